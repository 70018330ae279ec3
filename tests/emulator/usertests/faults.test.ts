/**
 * Things dying at the wrong moment: a server killed in the middle of a call,
 * an owner closing its object with senders queued, processes exiting with
 * descriptors. Everyone waiting gets its errno, and frames and descriptors
 * return to their baseline.
 */
import { describe, expect, it } from "vitest";
import { EIO, Kernel } from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { RECEIVE, REPLY, adder, pack, run, trap, world } from "../support/harness.js";

const EIO_REGS = [-1, EIO, 1, 0];

describe("faults", () => {
  it("a server that dies holding a call fails the caller with EIO; everything is freed", async () => {
    const log: unknown[] = [];
    const { kernel, ownerPid } = await run(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        throw new Error("server crashed");
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          log.push(await trap(sys, 0x8000, 1, b.address, pack(64, 4, 0)));
          log.push(await trap(sys, 0x8000, 1, b.address, pack(64, 4, 0)));
          return 0;
        },
      ],
    );
    expect(log).toEqual([EIO_REGS, EIO_REGS]);
    expect(kernel.processInfo(ownerPid)).toMatchObject({ exitStatus: -11, fault: "server crashed" });
    expect(kernel.usedFrames).toBe(0);
  });

  it("a server killed from outside while a call is queued and one is held: both callers get EIO", async () => {
    const log: unknown[] = [];
    const w = world(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        await sys.kernel.threadYield();
        w.kernel.kill(sys.pid, "killed by the test");
        return 0;
      },
      [0, 1].map((i) => async (sys: Sys) => {
        log.push([i, await trap(sys, 0x8000, 1, 0, 0)]);
        return 0;
      }),
    );
    await w.kernel.run();
    expect(log).toEqual([
      [0, EIO_REGS],
      [1, EIO_REGS],
    ]);
    expect(w.kernel.usedFrames).toBe(0);
  });

  it("an owner closing its object wakes every queued sender and receiver with EIO", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        await sys.createThread(async (t) => {
          log.push(["receiver", await trap(t, RECEIVE, door, 0, 0)]);
          return 0;
        });
        await sys.kernel.threadYield();
        await sys.kernel.threadYield();
        log.push(["close", await sys.kernel.descClose(door)]);
        return 0;
      },
      [1, 2, 3].map((i) => async (sys: Sys) => {
        log.push([i, await trap(sys, 0x8000, 1, 0, 0)]);
        return 0;
      }),
    );
    // The receiver thread takes client 1's call and ends without answering: that caller gets EIO too.
    expect(log).toEqual([
      ["receiver", [0x8000, 0, 0, 0]],
      [1, EIO_REGS],
      ["close", 0],
      [2, EIO_REGS],
      [3, EIO_REGS],
    ]);
  });

  it("a receiver blocked on a destroyed object gets EIO", async () => {
    const log: unknown[] = [];
    await run(async (sys, door) => {
      await sys.createThread(async (t) => {
        log.push(await trap(t, RECEIVE, door, 0, 0));
        return 0;
      });
      await sys.kernel.threadYield();
      await sys.kernel.ipcDestroy(door);
      await sys.kernel.threadYield();
      return 0;
    }, []);
    expect(log).toEqual([EIO_REGS]);
  });

  it("a process exiting with descriptors closes them all; the objects it used live on", async () => {
    let clientPid = 0;
    const w = world(adder, [
      async (sys) => {
        clientPid = sys.pid;
        await sys.kernel.descDup(1, 0x01);
        await sys.kernel.descDup(1, 0x01);
        await trap(sys, 0x8000, 1, sys.stack.address, pack(64, 4, 0));
        return 4;
      },
    ]);
    const end = await w.kernel.run();
    expect(end.end).toBe("idle");
    expect(w.kernel.processInfo(clientPid)).toMatchObject({ state: "exited", exitStatus: 4, descriptors: 0, pages: 0 });
    expect(w.kernel.descriptorsOf(w.ownerPid)).toEqual([
      { descriptor: 1, kind: "door", rights: 0x23, cookie: 0, owner: true, object: 1 },
    ]);
    const serverFrames = w.kernel.usedFrames;
    expect(serverFrames).toBeGreaterThan(0);
    w.kernel.kill(w.ownerPid, "end of test");
    expect(w.kernel.usedFrames).toBe(0);
  });

  it("a caller that dies while its call is held: the server's REPLY still succeeds", async () => {
    const log: unknown[] = [];
    const w = world(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        const r = await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        w.kernel.kill(r[1] === 0 ? clientPid : -1, "gone");
        log.push(await trap(sys, REPLY, 0, b.address, pack(4095, 8, 0)));
        return 0;
      },
      [
        async (sys) => {
          clientPid = sys.pid;
          await trap(sys, 0x8000, 1, 0, 0);
          log.push("client must not run again");
          return 0;
        },
      ],
    );
    let clientPid = 0;
    await w.kernel.run();
    expect(log).toEqual([[0, 0, 0, 0]]);
    expect(w.kernel.usedFrames).toBe(0);
  });

  it("running out of physical memory is ENOMEM for spawn and mem_alloc, never a crash", async () => {
    const kernel = new Kernel({ memoryBytes: 64 * 1024 });
    const results: number[] = [];
    const pid = kernel.spawn({
      program: async (sys) => {
        for (let i = 0; i < 20; i++) results.push(await sys.kernel.memAlloc(0, 4096, 3));
        return 0;
      },
    });
    let spawned = 0;
    while (kernel.spawn({ program: async () => 0 }) > 0) spawned++;
    expect(kernel.spawn({ program: async () => 0 })).toBe(-12);
    await kernel.run();
    expect(spawned).toBeGreaterThan(0);
    expect(kernel.processInfo(pid)!.exitStatus).toBe(0);
    expect(results.filter((r) => r === -12).length).toBeGreaterThan(0);
    expect(kernel.usedFrames).toBe(0);
  });
});

describe("misuse of the trap", () => {
  it("a thread that traps again while its call is pending is killed; the others go on", async () => {
    const log: unknown[] = [];
    const { kernel } = await run(adder, [
      async (sys) => {
        sys.trap.args.set([0x8000, 1, sys.stack.address, pack(64, 4, 0)]);
        const first = sys.trap.enter();
        sys.sysenter.args[0] = 0x032;
        await sys.sysenter.enter();
        await first;
        log.push("never");
        return 0;
      },
      async (sys) => {
        log.push(await trap(sys, 0x8000, 1, sys.stack.address, pack(64, 4, 0)));
        return 0;
      },
    ]);
    const [bad] = kernel.listProcesses().filter((p) => p.fault !== null);
    expect(bad).toMatchObject({ exitStatus: -11, fault: "trap from a thread that is not running" });
    expect(log).toEqual([[1, 7, 0, 8 << 8]]);
  });
});

describe("buffers unmapped by a sibling thread while a call waits", () => {
  it("a receiver whose buffer was unmapped gets EFAULT when a message comes; the sender waits for the next", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        const page = await sys.kernel.memAlloc(0, 4096, 3);
        await sys.createThread(async (t) => {
          log.push(["receiver", await trap(t, RECEIVE, door, page, pack(64, 0, 0))]);
          return 0;
        });
        await sys.kernel.threadYield();
        log.push(["unmap", await sys.kernel.memUnmap(page, 4096)]);
        const r = await trap(sys, RECEIVE, door, sys.stack.address, pack(64, 0, 0));
        log.push(["received", r[0]]);
        await trap(sys, REPLY, 0, sys.stack.address, pack(64, 0, 0));
        await sys.kernel.threadYield();
        return 0;
      },
      [
        async (sys) => {
          await sys.kernel.threadYield();
          log.push(["sender", await trap(sys, 0x8000, 1, sys.stack.address, pack(64, 4, 0))]);
          return 0;
        },
      ],
    );
    expect(log).toEqual([
      ["unmap", 0],
      ["received", 0x8000],
      ["receiver", [-1, 14, 1, 0]],
      ["sender", [0, 0, 0, 0]],
    ]);
  });

  it("a queued sender whose buffer was unmapped gets EFAULT when a receiver comes", async () => {
    const log: unknown[] = [];
    const w = world(
      async (sys, door) => {
        await sys.kernel.threadYield();
        await sys.kernel.threadYield();
        log.push(["server", await trap(sys, RECEIVE, door, sys.stack.address, pack(64, 0, 0))]);
        return 0;
      },
      [
        async (sys) => {
          const page = await sys.kernel.memAlloc(0, 4096, 3);
          await sys.createThread(async (t) => {
            log.push(["unmap", await t.kernel.memUnmap(page, 4096)]);
            return 0;
          });
          log.push(["sender", await trap(sys, 0x8000, 1, page, pack(64, 4, 0))]);
          return 0;
        },
      ],
    );
    await w.kernel.run();
    expect(log).toEqual([
      ["unmap", 0],
      ["sender", [-1, 14, 1, 0]],
    ]);
  });

  it("a queued sender whose descriptor was closed by a sibling gets EBADF when a receiver comes", async () => {
    const log: unknown[] = [];
    const w = world(
      async (sys, door) => {
        await sys.kernel.threadYield();
        await sys.kernel.threadYield();
        log.push(["server", await trap(sys, RECEIVE, door, sys.stack.address, pack(64, 0, 0))]);
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          const copy = await sys.kernel.descDup(1, 0x01);
          b.view.setUint32(4, copy, true);
          await sys.createThread(async (t) => {
            log.push(["close", await t.kernel.descClose(copy)]);
            return 0;
          });
          log.push(["sender", await trap(sys, 0x8000, 1, b.address, pack(64, 4, 1))]);
          return 0;
        },
      ],
      { clientRights: 0x21 },
    );
    await w.kernel.run();
    expect(log).toEqual([
      ["close", 0],
      ["sender", [-1, 9, 1, 0]],
    ]);
  });

  it("a caller whose buffer was unmapped while its call was held gets EFAULT; the server's REPLY succeeds", async () => {
    const log: unknown[] = [];
    const w = world(
      async (sys, door) => {
        const r = await trap(sys, RECEIVE, door, sys.stack.address, pack(64, 0, 0));
        log.push(["server got", r[0]]);
        await sys.kernel.threadYield();
        log.push(["reply", await trap(sys, REPLY, 0, sys.stack.address, pack(64, 8, 0))]);
        await sys.kernel.threadYield();
        return 0;
      },
      [
        async (sys) => {
          const page = await sys.kernel.memAlloc(0, 4096, 3);
          await sys.createThread(async (t) => {
            log.push(["unmap", await t.kernel.memUnmap(page, 4096)]);
            return 0;
          });
          log.push(["caller", await trap(sys, 0x8000, 1, page, pack(64, 4, 0))]);
          return 0;
        },
      ],
    );
    await w.kernel.run();
    expect(log).toEqual([
      ["server got", 0x8000],
      ["unmap", 0],
      ["reply", [0, 0, 0, 0]],
      ["caller", [-1, 14, 1, 0]],
    ]);
  });
});
