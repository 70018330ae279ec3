/**
 * trap_vector_set and thread_sandbox at the register level: the gate moves,
 * a sandboxed thread's traps (any vector, sysenter) reach the handler with
 * its registers, the reply sets the registers it resumes with, and refusals
 * are errnos.
 */
import { describe, expect, it } from "vitest";
import { EACCES, EBADF, EINVAL, ESRCH } from "../../../emulator/kernel/abi.js";
import { Kernel } from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { RECEIVE, REPLY_ERROR, REPLY_RECEIVE, pack, trap } from "../support/harness.js";

describe("trap_vector_set", () => {
  it("moves the system-call gate; the old vector then faults, sysenter still works", async () => {
    const kernel = new Kernel();
    const log: number[] = [];
    const pid = kernel.spawn({
      program: async (sys) => {
        log.push(await sys.kernel.trapVectorSet(0x10));
        log.push(await sys.kernel.trapVectorSet(0x81));
        const t = sys.intTrap(0x81);
        const r = await trap({ ...sys, trap: t } as Sys, 0x032, 0, sys.stack.address, pack(64, 0, 0));
        log.push(r[0], r[1]);
        log.push((await trap(sys, 0x032, 0, sys.stack.address, pack(64, 0, 0), "sysenter"))[0]);
        await trap(sys, 0x032, 0, sys.stack.address, pack(64, 0, 0));
        log.push(99);
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([-EINVAL, 0, 0, 0, 0]);
    expect(kernel.processInfo(pid)!.fault).toMatch(/general protection/);
  });
});

describe("thread_sandbox", () => {
  /** A process whose main thread handles the traps of a second, sandboxed thread running `guest`. */
  async function sandboxed(guest: (sys: Sys) => Promise<void>, handle: (buf: DataView, n: number) => number | "error") {
    const kernel = new Kernel();
    const seen: number[][] = [];
    kernel.spawn({
      privileged: true,
      program: async (sys) => {
        const door = await sys.kernel.ipcCreate(2, 0);
        const tid = await sys.createThread(async (g) => {
          await guest(g);
          return 0;
        });
        await sys.kernel.threadSandbox(tid, door);
        const buf = await sys.messageBuffer();
        let r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
        for (let n = 0; r[0] !== -1; n++) {
          seen.push([
            r[0],
            (r[3]! >>> 8) & 0xfff,
            ...Array.from({ length: 12 }, (_, i) => buf.view.getInt32(4 * i, true)),
          ]);
          const answer = handle(buf.view, n);
          if (answer === "error") {
            await trap(sys, REPLY_ERROR, 77, 0, 0);
            r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
          } else r = await trap(sys, REPLY_RECEIVE, 0, buf.address, pack(4095, answer, 0));
        }
        return 0;
      },
    });
    await kernel.run();
    return seen;
  }

  it("sends every trap with its registers and resumes the thread with the reply's", async () => {
    const got: number[][] = [];
    const seen = await sandboxed(
      async (g) => {
        got.push([...(await trap(g, 5, 6, 7, 8))]);
        got.push([...(await trap(g, 1, 2, 3, 4, "sysenter"))]);
        const t = g.intTrap(0x21);
        t.args.set([9, 9, 9, 9]);
        await t.enter();
        got.push([...t.args]);
      },
      (view, n) => {
        const vector = view.getUint32(0, true);
        const eax = view.getInt32(8, true);
        // Reply: the registers from offset 8, eax replaced; the third reply is only 8 bytes (eax, ebx).
        new Uint8Array(view.buffer, view.byteOffset, 48).copyWithin(0, 8, 48);
        view.setInt32(0, eax * 100 + vector, true);
        return n === 2 ? 8 : 40;
      },
    );
    expect(seen.map((s) => s.slice(0, 8))).toEqual([
      [0xffff, 48, 0x80, 0, 5, 6, 7, 8],
      [0xffff, 48, 0, 1, 1, 2, 3, 4],
      [0xffff, 48, 0x21, 0, 9, 9, 9, 9],
    ]);
    expect(got).toEqual([
      [500 + 0x80, 6, 7, 8],
      [100, 2, 3, 4],
      [900 + 0x21, 9, 9, 9],
    ]);
  });

  it("resumes with a failed call's registers when the handler answers REPLY_ERROR", async () => {
    const got: number[][] = [];
    await sandboxed(
      async (g) => {
        got.push([...(await trap(g, 5, 6, 7, 8))]);
      },
      () => "error",
    );
    expect(got).toEqual([[-1, 77, 2, 0]]);
  });

  it("refuses an unknown thread, a non-door and a reference without SEND", async () => {
    const kernel = new Kernel();
    const log: number[] = [];
    kernel.spawn({
      privileged: true,
      program: async (sys) => {
        const door = await sys.kernel.ipcCreate(2, 0);
        const receiveOnly = await sys.kernel.descDup(door, 0x02);
        const mem = await sys.kernel.memCreate(4096, 0);
        log.push(await sys.kernel.threadSandbox(999, door));
        log.push(await sys.kernel.threadSandbox(sys.tid, mem));
        log.push(await sys.kernel.threadSandbox(sys.tid, receiveOnly));
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([-ESRCH, -EBADF, -EACCES]);
  });
});
