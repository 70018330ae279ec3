/**
 * Swap: physical memory smaller than what the programs use. Every byte of
 * private pages, shared objects and leased ranges survives paging out and
 * in, through program accesses and kernel copies alike, and frames and swap
 * slots return to their baseline when the processes exit.
 */
import { describe, expect, it } from "vitest";
import { ENOMEM } from "../../../emulator/kernel/abi.js";
import { Kernel } from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { RECEIVE, REPLY, pack, trap } from "../support/harness.js";

const PAGE = 4096;
const fill = (seed: number, n: number) => new Uint8Array(n).map((_, i) => (i * 31 + seed * 17 + (i >>> 12)) & 0xff);

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe("swap", () => {
  it("keeps every byte of two processes that use four times the physical memory", async () => {
    const kernel = new Kernel({ memoryBytes: 48 * PAGE, swapBytes: 512 * PAGE, seed: 3 });
    const errors: string[] = [];
    const worker = (seed: number) => async (sys: Sys) => {
      const size = 96 * PAGE;
      const at = await sys.kernel.memAlloc(0, size, 3);
      if (at < 0) return 90;
      for (let p = 0; p < size; p += 8 * PAGE) {
        sys.memory.writeBytes(at + p, fill(seed + p, 8 * PAGE));
        await sys.kernel.threadYield();
      }
      for (let round = 0; round < 2; round++) {
        for (let p = size - 8 * PAGE; p >= 0; p -= 8 * PAGE) {
          const d = firstDifference(sys.memory.readBytes(at + p, 8 * PAGE), fill(seed + p, 8 * PAGE));
          if (d !== -1) errors.push(`${seed}: byte ${p + d}`);
          await sys.kernel.threadYield();
        }
      }
      return 0;
    };
    kernel.spawn({ program: worker(1) });
    kernel.spawn({ program: worker(2) });
    const base = kernel.usedFrames;
    const { end } = await kernel.run();
    expect(end).toBe("all-exited");
    expect(errors).toEqual([]);
    expect(kernel.pager.pageOuts).toBeGreaterThan(100);
    expect(kernel.pager.pageIns).toBeGreaterThan(100);
    expect(kernel.usedSwapSlots).toBe(0);
    expect(kernel.usedFrames).toBeLessThan(base);
    expect(kernel.usedFrames).toBe(0);
  });

  it("pages shared objects out and in for both mappers, and kernel copies fault pages back in", async () => {
    const kernel = new Kernel({ memoryBytes: 40 * PAGE, swapBytes: 256 * PAGE });
    const log: unknown[] = [];
    const size = 48 * PAGE;
    let serverReady = 0;
    kernel.spawn({
      name: "server",
      privileged: true,
      program: async (sys) => {
        const door = await sys.kernel.ipcCreate(2, 0);
        const buf = await sys.messageBuffer();
        kernel.spawn({
          name: "client",
          descriptors: [{ pid: sys.pid, descriptor: door, rights: 1 }],
          program: async (c) => {
            const cbuf = await c.messageBuffer();
            const mem = await c.kernel.memCreate(size, 1);
            const at = await c.kernel.memMap(mem, 0, 0, size, 3);
            c.memory.writeBytes(at, fill(5, size));
            const priv = await c.kernel.memAlloc(0, size, 3);
            c.memory.writeBytes(priv, fill(6, size));
            const lease = await c.kernel.leaseCreate(priv + 3, size - 7, 1);
            cbuf.view.setUint32(0, mem, true);
            cbuf.view.setUint32(4, lease, true);
            await trap(c, 0x8000, 1, cbuf.address, pack(4095, 0, 2));
            log.push(firstDifference(c.memory.readBytes(at, size), fill(7, size)));
            return 0;
          },
        });
        serverReady = 1;
        const r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
        const mem = buf.view.getUint32(0, true);
        const lease = buf.view.getUint32(4, true);
        log.push(r[3]! & 0xff);
        const at = await sys.kernel.memMap(mem, 0, 0, size, 3);
        const copy = await sys.kernel.memAlloc(0, size, 3);
        log.push(await sys.kernel.leaseRead(lease, 0, copy, size));
        log.push(firstDifference(sys.memory.readBytes(copy, size - 7), fill(6, size).subarray(3, size - 4)));
        log.push(firstDifference(sys.memory.readBytes(at, size), fill(5, size)));
        sys.memory.writeBytes(at, fill(7, size));
        await trap(sys, REPLY, 0, buf.address, pack(4095, 0, 0));
        await sys.kernel.memUnmap(at, size);
        return 0;
      },
    });
    await kernel.run();
    expect(serverReady).toBe(1);
    expect(log).toEqual([2, size - 7, -1, -1, -1]);
    expect(kernel.pager.pageOuts).toBeGreaterThan(50);
    expect(kernel.usedSwapSlots).toBe(0);
    expect(kernel.usedFrames).toBe(0);
  });

  it("brings pages back when every frame and every swap slot is taken, trading places with a victim", async () => {
    const kernel = new Kernel({ memoryBytes: 24 * PAGE, swapBytes: 16 * PAGE });
    const log: number[] = [];
    kernel.spawn({
      program: async (sys) => {
        const pages: number[] = [];
        for (;;) {
          const at = await sys.kernel.memAlloc(0, PAGE, 3);
          if (at < 0) break;
          sys.memory.writeBytes(at, fill(pages.length, PAGE));
          pages.push(at);
        }
        log.push(kernel.machine.memory.freeFrames, kernel.pager.freeSlotCount);
        // debugRead sees paged-out bytes where they are, and brings nothing back.
        const ins = kernel.pager.pageIns;
        let peeked = 0;
        for (let i = 0; i < pages.length; i++) {
          if (firstDifference(kernel.debugRead(sys.pid, pages[i]!, PAGE)!, fill(i, PAGE)) !== -1) peeked++;
        }
        log.push(peeked, kernel.pager.pageIns - ins);
        let wrong = 0;
        for (let round = 0; round < 3; round++) {
          for (let i = 0; i < pages.length; i++) {
            if (firstDifference(sys.memory.readBytes(pages[i]!, PAGE), fill(i, PAGE)) !== -1) wrong++;
          }
        }
        log.push(wrong, pages.length > 30 ? 1 : 0);
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([0, 0, 0, 0, 0, 1]);
    expect(kernel.usedFrames).toBe(0);
    expect(kernel.usedSwapSlots).toBe(0);
  });

  it("answers ENOMEM when neither frames nor swap slots are left, and changes nothing", async () => {
    const kernel = new Kernel({ memoryBytes: 32 * PAGE, swapBytes: 16 * PAGE });
    const log: number[] = [];
    kernel.spawn({
      program: async (sys) => {
        log.push(await sys.kernel.memAlloc(0, 64 * PAGE, 3));
        const at = await sys.kernel.memAlloc(0, 32 * PAGE, 3);
        log.push(at > 0 ? 1 : at);
        sys.memory.writeBytes(at, fill(9, 32 * PAGE));
        log.push(firstDifference(sys.memory.readBytes(at, 32 * PAGE), fill(9, 32 * PAGE)));
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([-ENOMEM, 1, -1]);
    expect(kernel.usedSwapSlots).toBe(0);
  });
});
