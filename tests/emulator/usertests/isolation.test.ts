/**
 * Programs that try to reach another process's memory or references: every
 * attempt ends in their own EFAULT, EBADF or page fault, and the other
 * process's bytes stay as they were.
 */
import { describe, expect, it } from "vitest";
import { EBADF, EFAULT, HEAP_BASE, Kernel } from "../../../emulator/kernel/index.js";
import { PageFaultError, type Sys } from "../../../emulator/program/index.js";
import { RECEIVE, REPLY, pack, run, trap } from "../support/harness.js";

const SECRET = 0x5ec7e7;

describe("isolation", () => {
  it("the same virtual address in two processes names different frames", async () => {
    const seen: number[] = [];
    const kernel = new Kernel({ memoryBytes: 1 << 20 });
    const owner = async (sys: Sys) => {
      const a = await sys.kernel.memAlloc(HEAP_BASE, 4096, 3);
      sys.memory.write32(a, SECRET);
      await sys.kernel.threadYield();
      seen.push(sys.memory.read32(a));
      return 0;
    };
    const prober = async (sys: Sys) => {
      const a = await sys.kernel.memAlloc(HEAP_BASE, 4096, 3);
      seen.push(sys.memory.read32(a));
      sys.memory.write32(a, 1);
      return 0;
    };
    kernel.spawn({ program: owner });
    kernel.spawn({ program: prober });
    await kernel.run();
    expect(seen).toEqual([0, SECRET]);
  });

  it("reading an address the process has not mapped is its own page fault, and kills only it", async () => {
    const kernel = new Kernel({ memoryBytes: 1 << 20 });
    let caught: unknown = null;
    const victim = kernel.spawn({
      program: async (sys) => {
        const a = await sys.kernel.memAlloc(HEAP_BASE, 4096, 3);
        sys.memory.write32(a, SECRET);
        await sys.kernel.threadYield();
        await sys.kernel.threadYield();
        return sys.memory.read32(a) === SECRET ? 0 : 1;
      },
    });
    const attacker = kernel.spawn({
      program: async (sys) => {
        try {
          sys.memory.read32(HEAP_BASE);
        } catch (e) {
          caught = e;
        }
        sys.memory.write32(0xc000_0000, 1);
        return 0;
      },
    });
    await kernel.run();
    expect(caught).toBeInstanceOf(PageFaultError);
    expect(kernel.processInfo(attacker)).toMatchObject({ exitStatus: -11, fault: "page fault at 0xc0000000 (write)" });
    expect(kernel.processInfo(victim)).toMatchObject({ exitStatus: 0, fault: null });
  });

  it("kernel addresses, wrapping ranges and other processes' addresses give EFAULT in every IPC trap", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        b.view.setUint32(0, SECRET, true);
        log.push(await trap(sys, RECEIVE, door, 0xc000_1000, pack(64, 0, 0)));
        log.push(await trap(sys, RECEIVE, door, 0xffff_fff0, pack(64, 0, 0)));
        const r = await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        log.push(await trap(sys, REPLY, 0, 0xbfff_0000 - 0x10_0000, pack(64, 8, 0)));
        log.push(await trap(sys, REPLY, r[1], b.address, pack(64, 0, 0)));
        log.push(b.view.getUint32(0, true) === SECRET);
        return 0;
      },
      [
        async (sys) => {
          // The server's buffer is at HEAP_BASE in its space; here that address is unmapped.
          log.push(await trap(sys, 0x8000, 1, HEAP_BASE, pack(64, 4, 0)));
          log.push(await trap(sys, 0x8000, 1, 0xc000_0000, pack(64, 4, 0)));
          log.push(await trap(sys, 0x8000, 2, sys.stack.address, pack(64, 4, 0)));
          log.push(await trap(sys, 0x8000, 1, sys.stack.address, pack(64, 0, 0)));
          return 0;
        },
      ],
    );
    expect(log).toEqual([
      [-1, EFAULT, 1, 0],
      [-1, EFAULT, 1, 0],
      [-1, EFAULT, 1, 0],
      [-1, EFAULT, 1, 0],
      [-1, EBADF, 1, 0],
      [-1, EFAULT, 1, 0],
      [0, 0, 0, 0],
      true,
      [0, 0, 0, 0],
    ]);
  });

  it("copies exactly the data bytes: the receiver's bytes beyond them are untouched", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        b.bytes.fill(0xee);
        await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        log.push(Array.from(b.bytes.subarray(0, 8)));
        b.bytes.fill(0x77, 0, 3);
        await trap(sys, REPLY, 0, b.address, pack(4095, 3, 0));
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          b.bytes.fill(0x11);
          await trap(sys, 0x8000, 1, b.address, pack(4095, 5, 0));
          log.push(Array.from(b.bytes.subarray(0, 6)));
          return 0;
        },
      ],
    );
    expect(log).toEqual([
      [0x11, 0x11, 0x11, 0x11, 0x11, 0xee, 0xee, 0xee],
      [0x77, 0x77, 0x77, 0x11, 0x11, 0x11],
    ]);
  });

  it("descriptor numbers are per process: another's number means nothing here", async () => {
    const log: unknown[] = [];
    const { kernel, ownerPid } = await run(
      async (sys, door) => {
        const extra = await sys.kernel.ipcCreate(2, 0);
        log.push(door, extra);
        return 0;
      },
      [
        async (sys) => {
          log.push((await trap(sys, 0x8000, 2, 0, 0))[1]);
          return 0;
        },
      ],
    );
    expect(log).toEqual([1, 2, EBADF]);
    expect(kernel.processInfo(ownerPid)!.state).toBe("exited");
  });
});
