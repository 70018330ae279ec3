/**
 * Memory objects: created, mapped and unmapped; passed in a message, the
 * receiver maps the same frames (a write on one side is seen on the other);
 * mapping errors are errnos; frames return to their baseline when the last
 * mapping and descriptor go.
 */
import { describe, expect, it } from "vitest";
import { EACCES, EBADF, EEXIST, EINVAL, ENOMEM } from "../../../emulator/kernel/abi.js";
import { Kernel } from "../../../emulator/kernel/index.js";
import { PageFaultError } from "../../../emulator/program/index.js";
import { RECEIVE, REPLY, pack, trap, world } from "../support/harness.js";

const PAGE = 4096;

describe("memory objects", () => {
  it("are seen by two processes through the same frames", async () => {
    const log: unknown[] = [];
    const w = world(
      async (sys, door) => {
        const buf = await sys.messageBuffer();
        const r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
        const mem = buf.view.getUint32((r[3]! >>> 8) & 0xfff, true);
        const at = await sys.kernel.memMap(mem, 0, PAGE, 2 * PAGE, 3);
        log.push(sys.memory.read32(at + 8), sys.memory.read8(at + PAGE + 5));
        sys.memory.write32(at + 12, 0xfeedface);
        await trap(sys, REPLY, 0, buf.address, pack(4095, 0, 0));
        await sys.kernel.memUnmap(at, 2 * PAGE);
        return 0;
      },
      [
        async (sys) => {
          const buf = await sys.messageBuffer();
          const mem = await sys.kernel.memCreate(3 * PAGE, 1);
          const at = await sys.kernel.memMap(mem, 0, 0, 3 * PAGE, 3);
          sys.memory.write32(at + PAGE + 8, 0x12345678);
          sys.memory.write8(at + 2 * PAGE + 5, 0x42);
          buf.view.setUint32(0, mem, true);
          await trap(sys, 0x8000, 1, buf.address, pack(4095, 0, 1));
          log.push(sys.memory.read32(at + PAGE + 12).toString(16));
          return 0;
        },
      ],
    );
    const base = w.kernel.usedFrames;
    await w.kernel.run();
    expect(log).toEqual([0x12345678, 0x42, "feedface"]);
    expect(w.kernel.usedFrames).toBeLessThanOrEqual(base);
  });

  it("refuse bad mappings with errnos and change nothing", async () => {
    const log: number[] = [];
    const w = world(
      async () => 0,
      [
        async (sys) => {
          const k = sys.kernel;
          const mem = await k.memCreate(2 * PAGE, 0);
          log.push(await k.memCreate(0, 0), await k.memCreate(PAGE, 4), await k.memCreate(0xffffffff, 0));
          log.push(await k.memMap(mem, 0, 1, PAGE, 3), await k.memMap(mem, 0, 0, 3 * PAGE, 3));
          log.push(await k.memMap(mem, 0, 0, PAGE, 0), await k.memMap(mem, 0, PAGE, 0, 1));
          log.push(await k.memMap(mem, 0x123, 0, PAGE, 1), await k.memMap(mem, 0xc0000000, 0, PAGE, 1));
          const at = await k.memMap(mem, 0x2000_0000, 0, PAGE, 1);
          log.push(at, await k.memMap(mem, at, 0, PAGE, 1));
          let faulted = false;
          try {
            sys.memory.write8(at, 1);
          } catch (e) {
            faulted = e instanceof PageFaultError;
          }
          log.push(faulted ? 1 : 0);
          const readOnly = await k.descDup(mem, 0x04 | 0x10);
          log.push(await k.memMap(readOnly, 0, 0, PAGE, 3), await k.memMap(1, 0, 0, PAGE, 1));
          log.push(await k.memUnmap(at, PAGE), sys.memory.isMapped(at) ? 1 : 0);
          return 0;
        },
      ],
    );
    await w.kernel.run();
    expect(log).toEqual([
      -EINVAL,
      -EINVAL,
      -ENOMEM,
      -EINVAL,
      -EINVAL,
      -EINVAL,
      -EINVAL,
      -EINVAL,
      -EINVAL,
      0x2000_0000,
      -EEXIST,
      1,
      -EACCES,
      -EBADF,
      0,
      0,
    ]);
  });

  it("that are not SHARED may be mapped only by their creator", async () => {
    const log: number[] = [];
    const w = world(
      async (sys, door) => {
        const buf = await sys.messageBuffer();
        const r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
        log.push(await sys.kernel.memMap(buf.view.getUint32((r[3]! >>> 8) & 0xfff, true), 0, 0, PAGE, 1));
        await trap(sys, REPLY, 0, buf.address, pack(4095, 0, 0));
        return 0;
      },
      [
        async (sys) => {
          const buf = await sys.messageBuffer();
          buf.view.setUint32(0, await sys.kernel.memCreate(PAGE, 0), true);
          await trap(sys, 0x8000, 1, buf.address, pack(4095, 0, 1));
          return 0;
        },
      ],
    );
    await w.kernel.run();
    expect(log).toEqual([-EACCES]);
  });

  it("return their frames when the last mapping and descriptor go, in either order", async () => {
    const kernel = new Kernel({ memoryBytes: 1 << 20 });
    const counts: number[] = [];
    kernel.spawn({
      program: async (sys) => {
        const k = sys.kernel;
        const before = kernel.usedFrames;
        const a = await k.memCreate(8 * PAGE, 1);
        const at = await k.memMap(a, 0x3000_0000, 0, 8 * PAGE, 3);
        for (let i = 0; i < 8; i++) sys.memory.write8(at + i * PAGE, i + 1);
        counts.push(kernel.usedFrames - before);
        await k.descClose(a);
        counts.push(kernel.usedFrames - before, sys.memory.read8(at + 7 * PAGE));
        await k.memUnmap(at, 8 * PAGE);
        counts.push(kernel.usedFrames - before);
        const b = await k.memCreate(4 * PAGE, 0);
        const bt = await k.memMap(b, 0x3000_0000, 0, 4 * PAGE, 3);
        sys.memory.write8(bt, 1);
        await k.memUnmap(bt, 4 * PAGE);
        counts.push(kernel.usedFrames - before);
        await k.descClose(b);
        counts.push(kernel.usedFrames - before);
        return 0;
      },
    });
    const base = kernel.usedFrames;
    await kernel.run();
    // 8 pages + 1 page table; closing keeps the mapped pages; unmapping frees them (the table stays).
    expect(counts).toEqual([9, 9, 8, 1, 2, 1]);
    expect(kernel.usedFrames).toBe(base - 3);
  });
});

describe("file objects", () => {
  it("map a RAM-disk file read-only, and its pages dropped under pressure come back from the file", async () => {
    const file = new Uint8Array(10 * PAGE + 123).map((_, i) => (i * 11) & 0xff);
    const kernel = new Kernel({ memoryBytes: 40 * PAGE, swapBytes: 64 * PAGE });
    const log: unknown[] = [];
    kernel.spawn({
      program: async (sys) => {
        const desc = kernel.createFileObject(sys.pid, { kind: "ram-disk", bytes: file }, file.length);
        log.push(await sys.kernel.memMap(desc, 0, 0, 11 * PAGE, 3));
        const at = await sys.kernel.memMap(desc, 0, 0, 11 * PAGE, 1);
        const first = sys.memory.readBytes(at, file.length);
        log.push(
          first.every((b, i) => b === file[i]),
          sys.memory.read8(at + file.length),
        );
        const slotsBefore = kernel.usedSwapSlots;
        const big = await sys.kernel.memAlloc(0, 40 * PAGE, 3);
        sys.memory.writeBytes(big, new Uint8Array(40 * PAGE).fill(9));
        log.push(kernel.pager.pageOuts > 0, kernel.usedSwapSlots - slotsBefore <= 40);
        const again = sys.memory.readBytes(at, file.length);
        log.push(again.every((b, i) => b === file[i]));
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([-EACCES, true, 0, true, true, true]);
    expect(kernel.usedFrames).toBe(0);
    expect(kernel.usedSwapSlots).toBe(0);
  });

  it("keep a server's file-cache pages through memory pressure", async () => {
    const kernel = new Kernel({ memoryBytes: 40 * PAGE, swapBytes: 64 * PAGE });
    const log: unknown[] = [];
    kernel.spawn({
      program: async (sys) => {
        const desc = kernel.createFileObject(sys.pid, { kind: "file-cache" }, 8 * PAGE);
        const at = await sys.kernel.memMap(desc, 0, 0, 8 * PAGE, 3);
        sys.memory.writeBytes(at, new Uint8Array(8 * PAGE).fill(0x77));
        const outs = kernel.pager.pageOuts;
        const big = await sys.kernel.memAlloc(0, 40 * PAGE, 3);
        sys.memory.writeBytes(big, new Uint8Array(40 * PAGE).fill(9));
        const ins = kernel.pager.pageIns;
        log.push(
          kernel.pager.pageOuts > outs,
          sys.memory.readBytes(at, 8 * PAGE).every((b) => b === 0x77),
        );
        // Reading the cache brought nothing back from swap: its pages never left.
        log.push(kernel.pager.pageIns === ins);
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([true, true, true]);
    expect(kernel.usedFrames).toBe(0);
  });

  it("let a program make its own page cache with mem_create FILE_CACHE, held in memory, never in swap", async () => {
    const FILE_CACHE = 0x2;
    const kernel = new Kernel({ memoryBytes: 40 * PAGE, swapBytes: 64 * PAGE });
    const log: unknown[] = [];
    kernel.spawn({
      program: async (sys) => {
        // Bigger than physical memory: refused for a cache, which cannot go to swap; fine for anonymous memory.
        log.push(await sys.kernel.memCreate(41 * PAGE, FILE_CACHE), (await sys.kernel.memCreate(41 * PAGE, 0)) > 0);
        log.push(await sys.kernel.memCreate(PAGE, 0x4));
        const desc = await sys.kernel.memCreate(8 * PAGE, FILE_CACHE);
        const at = await sys.kernel.memMap(desc, 0, 0, 8 * PAGE, 3);
        sys.memory.writeBytes(at, new Uint8Array(8 * PAGE).fill(0x5a));
        const outs = kernel.pager.pageOuts;
        const big = await sys.kernel.memAlloc(0, 40 * PAGE, 3);
        sys.memory.writeBytes(big, new Uint8Array(40 * PAGE).fill(1));
        const ins = kernel.pager.pageIns;
        log.push(kernel.pager.pageOuts > outs, sys.memory.readBytes(at, 8 * PAGE).every((b) => b === 0x5a));
        log.push(kernel.pager.pageIns === ins);
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([-ENOMEM, true, -EINVAL, true, true, true]);
    expect(kernel.usedFrames).toBe(0);
    expect(kernel.usedSwapSlots).toBe(0);
  });
});
