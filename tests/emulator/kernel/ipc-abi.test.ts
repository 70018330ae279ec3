/**
 * Register-level ABI tests, from docs/abi.md 1.1-1.3 and 1.5: every IPC trap and
 * each of its errnos, as a program sees them in its four registers.
 */
import { describe, expect, it } from "vitest";
import {
  E2BIG,
  EACCES,
  EBADF,
  EBUSY,
  EFAULT,
  EINVAL,
  EIO,
  EMSGSIZE,
  ENOMSG,
  ENOSPC,
  Kernel,
  snapshot,
} from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { REPLY, REPLY_ERROR, REPLY_RECEIVE, RECEIVE, adder, pack, run, solo, trap, world } from "../support/harness.js";

type Regs = readonly [number, number, number, number];
const failed = (errno: number, origin = 1): Regs => [-1, errno, origin, 0];

/** Runs `body` as the client of an `adder` server (door is descriptor 1) and returns what it recorded. */
async function asClient(body: (sys: Sys, log: unknown[]) => Promise<void>, objectClass = 2) {
  const log: unknown[] = [];
  await run(adder, [async (sys) => (await body(sys, log), 0)], { objectClass, memoryBytes: 1 << 20 });
  return log;
}

describe("send", () => {
  it("calls a server and gets retval, errno and the reply sizes back (int 0x80 and sysenter alike)", async () => {
    const log = await asClient(async (sys, log) => {
      const b = await sys.messageBuffer();
      b.view.setInt32(0, 41, true);
      log.push(await trap(sys, 0x8000, 1, b.address, pack(16, 4, 0)));
      b.view.setInt32(0, 9, true);
      log.push(await trap(sys, 0x7fffffff, 1, b.address, pack(16, 4, 0), "sysenter"));
      log.push(b.view.getInt32(0, true), b.view.getInt32(4, true));
    });
    expect(log).toEqual([[42, 7, 0, 8 << 8], [10, 7, 0, 8 << 8], 10, 7]);
  });

  it.each<[string, number, number, number, number]>([
    ["target bits 16-31 set", 0x8000, 0x10001, 0, EINVAL],
    ["data + descriptors beyond the total size", 0x8000, 1, pack(8, 5, 1), EINVAL],
    ["data beyond the total size", 0x8000, 1, pack(4, 5, 0), EINVAL],
    ["function -1", -1, 1, pack(16, 4, 0), EINVAL],
    ["a negative function", -0x8000, 1, pack(16, 4, 0), EINVAL],
    ["target 0 for a user function", 0x8000, 0, pack(16, 4, 0), EBADF],
    ["a descriptor that is not open", 0x8000, 77, pack(16, 4, 0), EBADF],
    ["more than 64 descriptors", 0x8000, 1, pack(4095, 0, 65), EMSGSIZE],
    ["a system-range function to a user object", 0x1000, 1, pack(16, 4, 0), EINVAL],
    ["a process-manager function with a target, from a non-manager", 0x400, 1, pack(16, 4, 0), EINVAL],
    ["a process-manager function when no manager runs", 0x400, 0, pack(16, 4, 0), EIO],
  ])("refuses %s", async (_name, fn, target, sizes, errno) => {
    const log = await asClient(async (sys, log) => {
      const b = await sys.messageBuffer();
      const descs = sizes & 0xff;
      for (let i = 0; i < descs; i++) b.view.setUint32(4 * i, 1, true);
      log.push(await trap(sys, fn, target, b.address, sizes === 0 ? pack(16, 4, 0) : sizes));
    });
    expect(log).toEqual([failed(errno)]);
  });

  it("enforces each class's function range", async () => {
    const probe = (fns: number[]) => async (sys: Sys, log: unknown[]) => {
      const b = await sys.messageBuffer();
      for (const fn of fns) log.push((await trap(sys, fn, 1, b.address, pack(16, 4, 0)))[1]);
    };
    const fns = [0x1000, 0x7fff, 0x8000, 0x7fffffff, 0x0fff];
    const system = await asClient(probe(fns), 1);
    const user = await asClient(probe(fns), 2);
    expect(system).toEqual([7, 7, EINVAL, EINVAL, EINVAL]);
    expect(user).toEqual([EINVAL, EINVAL, 7, 7, EINVAL]);
  });

  it("gives EFAULT for unmapped, read-only, page-crossing and null buffers", async () => {
    const log = await asClient(async (sys, log) => {
      const ro = await sys.kernel.memAlloc(0, 4096, 1);
      const rw = await sys.kernel.memAlloc(0, 4096, 3);
      log.push(await trap(sys, 0x8000, 1, 0x5000_0000, pack(16, 4, 0)));
      log.push(await trap(sys, 0x8000, 1, ro, pack(16, 4, 0)));
      log.push(await trap(sys, 0x8000, 1, rw + 4090, pack(16, 4, 0)));
      log.push(await trap(sys, 0x8000, 1, 0, pack(16, 4, 0)));
      log.push(await trap(sys, 0x8000, 1, 0xfffffff8, pack(16, 4, 0)));
    });
    expect(log).toEqual([failed(EFAULT), failed(EFAULT), failed(EFAULT), failed(EFAULT), failed(EFAULT)]);
  });

  it("refuses a message naming a descriptor the sender does not hold", async () => {
    const log = await asClient(async (sys, log) => {
      const b = await sys.messageBuffer();
      b.view.setUint32(4, 9, true);
      log.push(await trap(sys, 0x8000, 1, b.address, pack(16, 4, 1)));
      b.view.setUint32(4, 0x10001, true);
      log.push(await trap(sys, 0x8000, 1, b.address, pack(16, 4, 1)));
    });
    expect(log).toEqual([failed(EBADF), failed(EBADF)]);
  });

  it("refuses a reference without the SEND right", async () => {
    const log = await asClient(async (sys, log) => {
      const b = await sys.messageBuffer();
      log.push(await trap(sys, 0x8000, 1, b.address, pack(16, 4, 0)));
    });
    // The client's reference was granted SEND only; a receive-only copy is made by the owner below.
    expect(log[0]).toEqual([1, 7, 0, 8 << 8]);
    const refused: unknown[] = [];
    await run(
      async (sys, door) => {
        const copy = await sys.kernel.descDup(door, 0x02);
        const b = await sys.messageBuffer();
        refused.push(await trap(sys, 0x8000, copy, b.address, pack(16, 4, 0)));
        return 0;
      },
      [],
    );
    expect(refused).toEqual([failed(EACCES)]);
  });

  it("fails the sender with E2BIG when the request exceeds the receiver's buffer; the receiver keeps waiting", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        const r = await trap(sys, RECEIVE, door, b.address, pack(16, 0, 0));
        log.push(["server", r[0], r[3]]);
        await trap(sys, REPLY, 0, b.address, pack(16, 0, 0));
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          log.push(["big", await trap(sys, 0x8001, 1, b.address, pack(64, 17, 0))]);
          log.push(["small", await trap(sys, 0x8002, 1, b.address, pack(64, 16, 0))]);
          return 0;
        },
      ],
    );
    expect(log).toEqual([
      ["big", failed(E2BIG)],
      ["server", 0x8002, pack(64, 16, 0)],
      ["small", [0, 0, 0, 0]],
    ]);
  });
});

describe("receive", () => {
  it.each<[string, (sys: Sys, door: number, buf: number) => Promise<Regs>, number]>([
    ["arg1 bits 16-31 set", (s, d, b) => trap(s, RECEIVE, d | 0x10000, b, pack(64, 0, 0)), EINVAL],
    ["a descriptor that is not open", (s, _d, b) => trap(s, RECEIVE, 300, b, pack(64, 0, 0)), EBADF],
    ["an unmapped buffer", (s, d) => trap(s, RECEIVE, d, 0x6000_0000, pack(64, 0, 0)), EFAULT],
    ["a null buffer", (s, d) => trap(s, RECEIVE, d, 0, pack(64, 0, 0)), EFAULT],
  ])("refuses %s", async (_name, call, errno) => {
    const log: unknown[] = [];
    await run(async (sys, door) => {
      const b = await sys.messageBuffer();
      log.push(await call(sys, door, b.address));
      return 0;
    }, []);
    expect(log).toEqual([failed(errno)]);
  });

  it("refuses a read-only buffer, a reference without RECEIVE, and a destroyed object", async () => {
    const log: unknown[] = [];
    await run(async (sys, door) => {
      const ro = await sys.kernel.memAlloc(0, 4096, 1);
      log.push(await trap(sys, RECEIVE, door, ro, pack(64, 0, 0)));
      const sendOnly = await sys.kernel.descDup(door, 0x01);
      const b = await sys.messageBuffer();
      log.push(await trap(sys, RECEIVE, sendOnly, b.address, pack(64, 0, 0)));
      log.push(await sys.kernel.ipcDestroy(door));
      log.push(await trap(sys, RECEIVE, door, b.address, pack(64, 0, 0)));
      return 0;
    }, []);
    expect(log).toEqual([failed(EFAULT), failed(EACCES), 0, failed(EIO)]);
  });

  it("reports the function, the sender's cookie, its own msgPtr and the sender's sizes; REPLY stores a new cookie", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        let r = await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        log.push([r[0], r[1], r[2] === b.address, r[3]]);
        log.push(await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0)));
        r = await trap(sys, REPLY_RECEIVE, 0xc0ffee, b.address, pack(4095, 0, 0));
        log.push([r[0], r[1] >>> 0]);
        await trap(sys, REPLY, 0, b.address, pack(4095, 0, 0));
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          await trap(sys, 0x9000, 1, b.address, pack(100, 10, 0));
          await trap(sys, 0x9001, 1, b.address, pack(100, 3, 0));
          return 0;
        },
      ],
    );
    expect(log).toEqual([[0x9000, 0, true, pack(100, 10, 0)], failed(EBUSY), [0x9001, 0xc0ffee]]);
  });
});

describe("reply", () => {
  it("refuses REPLY, REPLY_RECEIVE and REPLY_ERROR with no current message (ENOMSG)", async () => {
    const log: unknown[] = [];
    await run(async (sys, door) => {
      const b = await sys.messageBuffer();
      log.push(await trap(sys, REPLY, 0, b.address, pack(16, 8, 0)));
      log.push(await trap(sys, REPLY_RECEIVE, 0, b.address, pack(16, 8, 0)));
      log.push(await trap(sys, REPLY_ERROR, 5, 0, 0));
      return door > 0 ? 0 : 1;
    }, []);
    expect(log).toEqual([failed(ENOMSG), failed(ENOMSG), failed(ENOMSG)]);
  });

  it("fails REPLY with E2BIG when the reply exceeds the caller's buffer; the call stays open", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        b.view.setInt32(0, 5, true);
        log.push(["too big", await trap(sys, REPLY, 0, b.address, pack(4095, 24, 0))]);
        log.push(["bad sizes", await trap(sys, REPLY, 0, b.address, pack(4, 8, 0))]);
        log.push(["ok", await trap(sys, REPLY, 0, b.address, pack(4095, 4, 0))]);
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          log.push(["client", await trap(sys, 0x8000, 1, b.address, pack(20, 0, 0))]);
          return 0;
        },
      ],
    );
    expect(log).toEqual([
      ["too big", failed(E2BIG)],
      ["bad sizes", failed(EINVAL)],
      ["ok", [0, 0, 0, 0]],
      ["client", [5, 0, 0, 4 << 8]],
    ]);
  });

  it.each<[number, Regs]>([
    [0, [0, 0, 0, 0]],
    [3, [0, 0, 0, 3 << 8]],
    [4, [11, 0, 0, 4 << 8]],
    [7, [11, 0, 0, 7 << 8]],
    [8, [11, 22, 0, 8 << 8]],
    [40, [11, 22, 0, 40 << 8]],
  ])("returns retval and errno words for a %i-byte reply", async (size, expected) => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        b.view.setInt32(0, 11, true);
        b.view.setInt32(4, 22, true);
        await trap(sys, REPLY, 0, b.address, pack(4095, size, 0));
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          log.push(await trap(sys, 0x8000, 1, b.address, pack(64, 0, 0)));
          return 0;
        },
      ],
    );
    expect(log).toEqual([expected]);
  });

  it("REPLY_ERROR fails the caller with origin 2; a non-positive errno or non-zero arg2/arg3 is EINVAL", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        log.push(await trap(sys, REPLY_ERROR, 0, 0, 0));
        log.push(await trap(sys, REPLY_ERROR, -3, 0, 0));
        log.push(await trap(sys, REPLY_ERROR, 5, 1, 0));
        log.push(await trap(sys, REPLY_ERROR, 71, 0, 0));
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          log.push(await trap(sys, 0x8000, 1, b.address, pack(64, 0, 0)));
          return 0;
        },
      ],
    );
    expect(log).toEqual([failed(EINVAL), failed(EINVAL), failed(EINVAL), [0, 0, 0, 0], [-1, 71, 2, 0]]);
  });

  it("a null call needs no buffer at all", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        let r = await trap(sys, RECEIVE, door, 0, 0);
        while (r[0] !== -1) r = await trap(sys, REPLY_RECEIVE, 0, 0, 0);
        return 0;
      },
      [
        async (sys) => {
          for (let i = 0; i < 3; i++) log.push(await trap(sys, 0x8000, 1, 0, 0));
          return 0;
        },
      ],
    );
    expect(log).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  });
});

describe("descriptors in messages", () => {
  it("copies references into the receiver's table and rewrites the numbers in its buffer", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        const second = await sys.kernel.ipcCreate(2, 0);
        await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        // Reply with the second door in the descriptor area after 8 data bytes.
        b.view.setInt32(0, 0, true);
        b.view.setInt32(4, 0, true);
        b.view.setUint32(8, second, true);
        await trap(sys, REPLY, 0, b.address, pack(4095, 8, 1));
        const r = await trap(sys, RECEIVE, second, b.address, pack(4095, 0, 0));
        log.push(["second door got", r[0], r[1]]);
        await trap(sys, REPLY, 0, b.address, pack(4095, 0, 0));
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          const r = await trap(sys, 0x8000, 1, b.address, pack(64, 0, 0));
          const got = b.view.getUint32(8, true);
          log.push(["reply", r[3], got]);
          log.push(["info", await sys.kernel.descInfo(got)]);
          log.push(["send", await trap(sys, 0x8123, got, b.address, pack(64, 0, 0))]);
          return 0;
        },
      ],
    );
    expect(log).toEqual([
      ["reply", (8 << 8) | 1, 2],
      ["info", { kind: 1, rights: 0x23, cookie: 0, owner: false }],
      ["second door got", 0x8123, 0],
      ["send", [0, 0, 0, 0]],
    ]);
  });
});

describe("trap vectors", () => {
  it("kills a process that traps on a vector other than its own", async () => {
    const { kernel, pid } = await solo(async (sys) => {
      await sys.intTrap(0x81).enter();
      return 0;
    });
    expect(kernel.processInfo(pid)).toMatchObject({ state: "exited", exitStatus: -11 });
    expect(kernel.processInfo(pid)!.fault).toMatch(/general protection/);
  });
});

describe("descriptor table limits", () => {
  it("a receiver whose table is full fails the sender with ENOSPC and keeps waiting", async () => {
    const log: unknown[] = [];
    await run(
      async (sys, door) => {
        let n = 0;
        while ((await sys.kernel.descDup(door, 0x01)) > 0) n++;
        log.push(["filled", n]);
        const b = await sys.messageBuffer();
        const r = await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        log.push(["server", r[0], r[3]]);
        await trap(sys, REPLY, 0, b.address, pack(4095, 0, 0));
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          b.view.setUint32(0, 1, true);
          log.push(["with a descriptor", await trap(sys, 0x8000, 1, b.address, pack(64, 0, 1))]);
          log.push(["without", await trap(sys, 0x8001, 1, b.address, pack(64, 0, 0))]);
          return 0;
        },
      ],
      { memoryBytes: 2 << 20 },
    );
    expect(log).toEqual([
      ["filled", 1023],
      ["with a descriptor", failed(ENOSPC)],
      ["server", 0x8001, pack(64, 0, 0)],
      ["without", [0, 0, 0, 0]],
    ]);
  });
});

describe("trace", () => {
  it("reports each request and reply with who, function, sizes, the receiver's descriptor numbers and the result", async () => {
    const events: ReturnType<typeof snapshot>[] = [];
    const w = world(
      async (sys, door) => {
        const b = await sys.messageBuffer();
        await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        b.view.setInt32(0, 3, true);
        b.view.setInt32(4, 4, true);
        await trap(sys, REPLY, 0, b.address, pack(4095, 8, 0));
        await trap(sys, RECEIVE, door, b.address, pack(4095, 0, 0));
        await trap(sys, REPLY_ERROR, 71, 0, 0);
        return 0;
      },
      [
        async (sys) => {
          const b = await sys.messageBuffer();
          b.view.setUint32(8, 1, true);
          await trap(sys, 0x8005, 1, b.address, pack(64, 6, 1));
          await trap(sys, 0x8006, 1, b.address, pack(64, 0, 0));
          await trap(sys, 0x8006, 7, b.address, pack(64, 0, 0));
          return 0;
        },
      ],
    );
    w.kernel.traceHook = (e) => {
      if (e.kind !== "kernel-call" && e.kind !== "exit") events.push(snapshot(e));
    };
    await w.kernel.run();
    const pick = (e: ReturnType<typeof snapshot>) => [e.kind, e.pid, e.peerPid, e.fn, e.dataSize, e.descriptors, e.retval, e.errno];
    expect(events.map(pick)).toEqual([
      ["request", 2, 1, 0x8005, 6, [2], 0, 0],
      ["reply", 1, 2, 0x8005, 8, [], 3, 4],
      ["request", 2, 1, 0x8006, 0, [], 0, 0],
      ["reply-error", 1, 2, 0x8006, 0, [], -1, 71],
      ["fail", 2, 0, 0x8006, 0, [], -1, EBADF],
    ]);
  });
});

describe("per-process trap vector", () => {
  it("a process spawned with vector 0x81 enters the kernel with int 0x81 and faults on int 0x80", async () => {
    const log: unknown[] = [];
    const kernel = new Kernel({ memoryBytes: 1 << 20 });
    const pid = kernel.spawn({
      trapVector: 0x81,
      program: async (sys) => {
        const t = sys.intTrap(0x81);
        t.args.set([0x032, 0, sys.stack.address, pack(64, 0, 0)]);
        await t.enter();
        log.push(Array.from(t.args));
        await sys.trap.enter();
        log.push("never");
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([[0, 0, 0, 8 << 8]]);
    expect(kernel.processInfo(pid)!.fault).toMatch(/general protection/);
  });
});
