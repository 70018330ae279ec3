/**
 * Kernel calls as messages (idl/kernel.idl): results and every errno, seen
 * through the program API's kernel client and raw requests.
 */
import { describe, expect, it } from "vitest";
import {
  E2BIG,
  EACCES,
  EAGAIN,
  EBADF,
  EBUSY,
  EEXIST,
  EINVAL,
  ENOENT,
  ENOMEM,
  ENOSYS,
  EPERM,
  HEAP_BASE,
  Kernel,
} from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { pack, trap } from "../support/harness.js";

async function record(body: (sys: Sys, log: unknown[]) => Promise<void>, privileged = false) {
  const log: unknown[] = [];
  const kernel = new Kernel({ memoryBytes: 1 << 20 });
  kernel.registerProgram("child", async () => 17);
  const pid = kernel.spawn({ privileged, program: async (sys) => (await body(sys, log), 0) });
  const result = await kernel.run();
  return { log, kernel, pid, result };
}

describe("descriptor calls", () => {
  it("desc_dup narrows rights and keeps the cookie; desc_info reports it; desc_close frees the number", async () => {
    const { log } = await record(async (sys, log) => {
      const door = await sys.kernel.ipcCreate(2, 0);
      const copy = await sys.kernel.descDup(door, 0x01 | 0x20);
      log.push(door, copy, await sys.kernel.descInfo(copy), await sys.kernel.descInfo(door));
      log.push(await sys.kernel.descClose(copy), await sys.kernel.descInfo(copy));
      log.push(await sys.kernel.descDup(door, 0x40), await sys.kernel.descDup(99, 1), await sys.kernel.descClose(99));
      const noDup = await sys.kernel.descDup(door, 0x01);
      log.push(await sys.kernel.descDup(noDup, 0x01));
    }, true);
    expect(log).toEqual([
      1,
      2,
      { kind: 1, rights: 0x21, cookie: 0, owner: false },
      { kind: 1, rights: 0x23, cookie: 0, owner: true },
      0,
      -EBADF,
      -EINVAL,
      -EBADF,
      -EBADF,
      -EACCES,
    ]);
  });

  it("ipc_create is for privileged processes only, with a valid class; ipc_destroy is the owner's", async () => {
    const unprivileged = await record(async (sys, log) => {
      log.push(await sys.kernel.ipcCreate(2, 0));
    });
    expect(unprivileged.log).toEqual([-EPERM]);
    const { log } = await record(async (sys, log) => {
      log.push(await sys.kernel.ipcCreate(0, 0), await sys.kernel.ipcCreate(3, 0));
      const door = await sys.kernel.ipcCreate(1, 5);
      const copy = await sys.kernel.descDup(door, 0x3f);
      log.push(await sys.kernel.ipcDestroy(copy), await sys.kernel.ipcDestroy(door));
    }, true);
    expect(log).toEqual([-EINVAL, -EINVAL, -EPERM, 0]);
  });
});

describe("memory calls", () => {
  it("mem_alloc maps zeroed pages where asked or at a free address, and mem_unmap removes them", async () => {
    const { log, kernel } = await record(async (sys, log) => {
      const a = await sys.kernel.memAlloc(0, 5000, 3);
      log.push(a === HEAP_BASE, sys.memory.read32(a + 4096 + 100));
      sys.memory.write32(a + 8, 0xdeadbeef);
      log.push(sys.memory.read32(a + 8) === 0xdeadbeef);
      log.push(await sys.kernel.memAlloc(0x2000_0000, 4096, 1));
      log.push(sys.memory.isMapped(0x2000_0000), sys.memory.isMapped(0x2000_0000, { forWrite: true }));
      log.push(await sys.kernel.memUnmap(a, 8192), sys.memory.isMapped(a));
    });
    expect(log).toEqual([true, 0, true, 0x2000_0000, true, false, 0, false]);
    expect(kernel.usedFrames).toBe(0);
  });

  it.each<[string, number, number, number, number]>([
    ["an unaligned address", 0x2000_0010, 4096, 3, EINVAL],
    ["a zero length", 0, 0, 3, EINVAL],
    ["no access at all", 0, 4096, 0, EINVAL],
    ["unknown protection bits", 0, 4096, 4, EINVAL],
    ["nothing: address 0 picks a free range", 0x0, 4096, 3, 0],
    ["kernel space", 0xc000_0000, 4096, 3, EINVAL],
    ["a range that wraps", 0xffff_f000, 0x2000, 3, EINVAL],
    ["more memory than there is", 0x2000_0000, 64 << 20, 3, ENOMEM],
  ])("mem_alloc refuses %s", async (_name, address, length, prot, errno) => {
    const { log } = await record(async (sys, log) => {
      log.push(await sys.kernel.memAlloc(address, length, prot));
    });
    if (errno === 0) expect(log[0]).toBe(HEAP_BASE);
    else expect(log).toEqual([-errno]);
  });

  it("mem_alloc over a mapped page is EEXIST, and unmapping a pinned message buffer is EBUSY", async () => {
    const { log } = await record(async (sys, log) => {
      const b = await sys.messageBuffer();
      log.push(await sys.kernel.memAlloc(b.address, 4096, 3));
      log.push(await sys.kernel.memUnmap(b.address, 4096));
      log.push(await sys.kernel.memUnmap(sys.stack.address, 4096));
    });
    expect(log).toEqual([-EEXIST, -EBUSY, -EBUSY]);
  });
});

describe("thread and process calls", () => {
  it("thread_create runs an entry with its argument; thread_yield lets it run; its return ends it", async () => {
    const order: string[] = [];
    const { kernel, pid } = await record(async (sys) => {
      const tid = await sys.createThread(async (t) => {
        order.push(`thread ${t.argument} tid ${t.tid > sys.tid}`);
        return 0;
      }, 42);
      order.push(`created ${tid > 0}`);
      await sys.kernel.threadYield();
      order.push("main again");
    });
    expect(order).toEqual(["created true", "thread 42 tid true", "main again"]);
    expect(kernel.processInfo(pid)).toMatchObject({ state: "exited", exitStatus: 0 });
  });

  it("thread_create refuses a 65th thread with EAGAIN (64 stack slots)", async () => {
    const { log } = await record(async (sys, log) => {
      const door = await sys.kernel.ipcCreate(2, 0);
      const waiter = async (t: Sys) => ((await trap(t, 1, door, 0, 0)), 0);
      const tids: number[] = [];
      for (let i = 0; i < 64; i++) tids.push(await sys.createThread(waiter));
      log.push(tids.filter((t) => t > 0).length, tids.at(-1));
    }, true);
    expect(log).toEqual([63, -EAGAIN]);
  });

  it("thread_create refuses an entry index the program never registered", async () => {
    const { log } = await record(async (sys, log) => {
      log.push(await sys.kernel.raw(0x030, new Uint8Array(8).fill(9)).then((a) => [a[0], a[1]]));
    });
    expect(log).toEqual([[-1, EINVAL]]);
  });

  it("the process ends with its last thread, even when the first thread exits early", async () => {
    const { kernel, pid } = await record(async (sys) => {
      await sys.createThread(async (t) => {
        await t.kernel.threadYield();
        return 3;
      });
      await sys.kernel.threadExit(1);
    });
    expect(kernel.processInfo(pid)).toMatchObject({ state: "exited", exitStatus: 3, threads: 0 });
  });

  it("process_spawn and process_wait: privileged only, unknown programs refused, status returned", async () => {
    const { log } = await record(async (sys, log) => {
      const child = await sys.kernel.processSpawn("child", 4);
      log.push(await sys.kernel.processWait(child));
      log.push(await sys.kernel.processWait(child));
      log.push(await sys.kernel.processSpawn("nope", 0));
      log.push(await sys.kernel.processSpawn("x".repeat(65), 0));
      log.push(await sys.kernel.descInfo(child));
      const name = new TextEncoder().encode("child");
      const raw = new Uint8Array(8 + name.length);
      new DataView(raw.buffer).setUint32(0, 8 | (name.length << 16), true);
      raw.set(name, 8);
      const regs = await sys.kernel.raw(0x039, raw);
      log.push([regs[0]! > 0, regs[1], regs[3]]);
    }, true);
    expect(log).toEqual([{ status: 17 }, { status: 17 }, -ENOENT, -36, { kind: 2, rights: 0x20, cookie: 0, owner: false }, [true, 0, (8 << 8) | 1]]);
    const unprivileged = await record(async (sys, log) => {
      log.push(await sys.kernel.processSpawn("child", 0));
    });
    expect(unprivileged.log).toEqual([-EPERM]);
  });

  it("process_wait on a door is EBADF", async () => {
    const { log } = await record(async (sys, log) => {
      const door = await sys.kernel.ipcCreate(2, 0);
      log.push(await sys.kernel.processWait(door));
    }, true);
    expect(log).toEqual([-EBADF]);
  });

  it("process_exit ends every thread of the process with the status", async () => {
    const { kernel, pid } = await record(async (sys) => {
      await sys.createThread(async (t) => {
        await t.kernel.threadYield();
        return 9;
      });
      await sys.exit(6);
    });
    expect(kernel.processInfo(pid)).toMatchObject({ state: "exited", exitStatus: 6 });
  });
});

describe("request checks", () => {
  it.each([0x000, 0x005, 0x3ff, 0x044, 0x054, 0x062])(
    "function 0x%s is ENOSYS",
    async (fn) => {
      const { log } = await record(async (sys, log) => {
        log.push(await trap(sys, fn, 0, sys.stack.address, pack(64, 16, 0)));
      });
      expect(log).toEqual([[-1, ENOSYS, 1, 0]]);
    },
  );

  it("refuses wrong request sizes, wrong descriptor counts and a buffer too small for the reply", async () => {
    const { log } = await record(async (sys, log) => {
      const s = sys.stack.address;
      sys.stack.view.setUint32(0, 1, true);
      log.push(await trap(sys, 0x021, 0, s, pack(64, 3, 0)));
      log.push(await trap(sys, 0x021, 0, s, pack(64, 8, 0)));
      log.push(await trap(sys, 0x021, 0, s, pack(64, 4, 1)));
      log.push(await trap(sys, 0x022, 0, s, pack(20, 4, 0)));
      log.push(await trap(sys, 0x021, 55, s, pack(64, 4, 0)));
    });
    expect(log).toEqual([
      [-1, EINVAL, 1, 0],
      [-1, EINVAL, 1, 0],
      [-1, EBADF, 1, 0],
      [-1, E2BIG, 1, 0],
      [-1, EBADF, 1, 0],
    ]);
  });

  it("returns a successful kernel call like a reply: retval 0, errno 0, reply sizes", async () => {
    const { log } = await record(async (sys, log) => {
      const s = sys.stack.address;
      sys.stack.view.setUint32(0, 0x2000_0000, true);
      sys.stack.view.setUint32(4, 4096, true);
      sys.stack.view.setUint32(8, 3, true);
      log.push(await trap(sys, 0x043, 0, s, pack(64, 12, 0)), sys.stack.view.getUint32(8, true));
    });
    expect(log).toEqual([[0, 0, 0, 12 << 8], 0x2000_0000]);
  });
});

describe("the process manager's range", () => {
  it("routes target-0 calls to the process manager's door with the sender's pid as cookie", async () => {
    const log: unknown[] = [];
    const kernel = new Kernel({ memoryBytes: 1 << 20 });
    const pm = kernel.spawn({
      privileged: true,
      program: async (sys) => {
        const b = await sys.messageBuffer();
        const r = await trap(sys, 1, 1, b.address, pack(4095, 0, 0));
        log.push(["pm got", r[0], r[1]]);
        await trap(sys, 2, 0, b.address, pack(4095, 0, 0));
        return 0;
      },
    });
    expect(kernel.createDoorFor(pm, 1, 0)).toBe(1);
    expect(kernel.setProcessManager(pm, 1)).toBe(true);
    const client = kernel.spawn({
      program: async (sys) => {
        log.push(["client", await trap(sys, 0x401, 0, 0, 0)]);
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([
      ["pm got", 0x401, client],
      ["client", [0, 0, 0, 0]],
    ]);
  });

  it("the process manager's own calls in its range with a target go to that object's owner (notifications)", async () => {
    const log: unknown[] = [];
    const kernel = new Kernel({ memoryBytes: 1 << 20 });
    const owner = kernel.spawn({
      privileged: true,
      program: async (sys) => {
        const door = await sys.kernel.ipcCreate(2, 0);
        log.push(["grant", kernel.grant(sys.pid, door, pm, 0x01)]);
        const r = await trap(sys, 1, door, sys.stack.address, pack(4095, 0, 0));
        log.push(["owner got", r[0]]);
        await trap(sys, 2, 0, sys.stack.address, pack(4095, 0, 0));
        return 0;
      },
    });
    const pm = kernel.spawn({
      privileged: true,
      program: async (sys) => {
        await sys.kernel.threadYield();
        log.push(["notify", await trap(sys, 0x480, 2, 0, 0)]);
        return 0;
      },
    });
    expect(kernel.createDoorFor(pm, 1, 0)).toBe(1);
    expect(kernel.setProcessManager(pm, 1)).toBe(true);
    await kernel.run();
    expect(log).toEqual([
      ["grant", 2],
      ["owner got", 0x480],
      ["notify", [0, 0, 0, 0]],
    ]);
    expect(owner).toBe(1);
  });
});
