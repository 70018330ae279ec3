/**
 * The process manager's own kernel calls: desc_set_cookie (a cookie that
 * travels with a reference, which the reference's message hands over) and
 * process_kill (ending another process with a status). Both are refused with
 * EPERM to every unprivileged process.
 */
import { describe, expect, it } from "vitest";
import { EBADF, EPERM, ESRCH, Kernel } from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { RECEIVE, REPLY, REPLY_RECEIVE, pack, trap, world } from "../support/harness.js";

const USER_FN = 0x8000;

/** Calls `target` with `descs` (written after no data) and returns the result registers and the reply's first descriptor. */
async function call(sys: Sys, target: number, descs: readonly number[] = []) {
  const buf = await sys.messageBuffer();
  descs.forEach((d, i) => buf.view.setUint32(4 * i, d, true));
  const r = await trap(sys, USER_FN, target, buf.address, pack(4095, 0, descs.length));
  return { r, desc: buf.view.getUint32(8, true) };
}

describe("desc_set_cookie", () => {
  it("hands a stamped reference over with its cookie; the receiver's forwarded copy starts at 0", async () => {
    const server: unknown[] = [];
    const client: unknown[] = [];
    const { kernel } = world(
      async (sys, door) => {
        const buf = await sys.messageBuffer();
        let r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
        // First call: answer with a copy of the door stamped 77.
        const copy = await sys.kernel.descDup(door, 0x01);
        server.push(await sys.kernel.descSetCookie(copy, 77), await sys.kernel.descSetCookie(999, 1));
        buf.view.setInt32(0, 0, true);
        buf.view.setInt32(4, 0, true);
        buf.view.setUint32(8, copy, true);
        r = await trap(sys, REPLY_RECEIVE, r[1], buf.address, pack(4095, 8, 1));
        server.push(await sys.kernel.descInfo(copy));
        // Second call, through the stamped reference: its cookie names the client.
        server.push(r[1]);
        r = await trap(sys, REPLY_RECEIVE, 5, buf.address, pack(4095, 0, 0));
        // Third call carries the client's reference: the copy here starts at cookie 0.
        const forwarded = buf.view.getUint32(0, true);
        server.push(await sys.kernel.descInfo(forwarded));
        await trap(sys, REPLY, r[1], buf.address, pack(4095, 0, 0));
        return 0;
      },
      [
        async (sys) => {
          const { desc } = await call(sys, 1);
          client.push(await sys.kernel.descInfo(desc));
          client.push(await sys.kernel.descSetCookie(desc, 12345));
          client.push((await call(sys, desc)).r[0]);
          client.push((await sys.kernel.descInfo(desc)) as { cookie: number });
          client.push((await call(sys, 1, [desc])).r[0]);
          return 0;
        },
      ],
    );
    await kernel.run();
    expect(server).toEqual([0, -EBADF, -EBADF, 77, { kind: 1, rights: 0x01, cookie: 0, owner: false }]);
    expect(client).toEqual([
      { kind: 1, rights: 0x01, cookie: 77, owner: false },
      -EPERM,
      0,
      { kind: 1, rights: 0x01, cookie: 5, owner: false },
      0,
    ]);
  });

  it("takes a stamped reference out of the sender with a reply that fails or is dropped", async () => {
    const log: unknown[] = [];
    const { kernel } = world(
      async (sys, door) => {
        const buf = await sys.messageBuffer();
        const stampedCopy = async () => {
          const copy = await sys.kernel.descDup(door, 0x01);
          await sys.kernel.descSetCookie(copy, 9);
          return copy;
        };
        let r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
        // The caller's buffer holds 8 bytes: a reply with a descriptor is E2BIG.
        const tooBig = await stampedCopy();
        buf.view.setUint32(8, tooBig, true);
        log.push((await trap(sys, REPLY, r[1], buf.address, pack(4095, 8, 1)))[1]);
        log.push(await sys.kernel.descInfo(tooBig));
        await trap(sys, REPLY, r[1], buf.address, pack(4095, 0, 0));
        // The second caller is killed before the reply: the reply is dropped.
        r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
        kernel.kill(kernel.listProcesses().at(-1)!.pid, "gone");
        const dropped = await stampedCopy();
        buf.view.setUint32(8, dropped, true);
        log.push((await trap(sys, REPLY, r[1], buf.address, pack(4095, 8, 1)))[0]);
        log.push(await sys.kernel.descInfo(dropped));
        return 0;
      },
      [
        async (sys) => {
          const buf = await sys.messageBuffer();
          await trap(sys, USER_FN, 1, buf.address, pack(8, 0, 0));
          const pid = kernel.spawn({
            program: async (c) => (await call(c, 1), 0),
            descriptors: [{ pid: 1, descriptor: 1 }],
          });
          return pid > 0 ? 0 : 1;
        },
      ],
    );
    await kernel.run();
    expect(log).toEqual([7, -EBADF, 0, -EBADF]);
  });
});

describe("process_kill", () => {
  it("ends another process with the status: its waiters get it, its references close; then ESRCH", async () => {
    const log: unknown[] = [];
    const kernel = new Kernel({ memoryBytes: 2 << 20 });
    let frames = 0;
    kernel.registerProgram("victim", async (sys) => {
      // Blocks for good: a call to a door nobody receives on.
      await call(sys, 1);
      return 1;
    });
    kernel.spawn({
      privileged: true,
      program: async (sys) => {
        const door = await sys.kernel.ipcCreate(2, 0);
        const victim = await sys.kernel.processSpawn("victim", 0);
        const pid = kernel.listProcesses().find((p) => p.name === "victim")!.pid;
        kernel.grant(sys.pid, door, pid, 0x01);
        await sys.kernel.threadYield();
        frames = kernel.usedFrames;
        log.push(kernel.processInfo(pid)!.state);
        log.push(await sys.kernel.processKill(door, 3));
        log.push(await sys.kernel.processKill(victim, -7));
        log.push(kernel.processInfo(pid)!.state, kernel.descriptorsOf(pid).length, kernel.usedFrames < frames);
        log.push(await sys.kernel.processWait(victim));
        log.push(await sys.kernel.processKill(victim, 1));
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual(["live", -EBADF, 0, "exited", 0, true, { status: -7 }, -ESRCH]);
  });

  it("is refused with EPERM to an unprivileged process, which stays alive", async () => {
    const log: unknown[] = [];
    const kernel = new Kernel({ memoryBytes: 2 << 20 });
    kernel.registerProgram("victim", async (sys) => {
      await call(sys, 1);
      return 1;
    });
    kernel.spawn({
      privileged: true,
      program: async (sys) => {
        const door = await sys.kernel.ipcCreate(2, 0);
        const victim = await sys.kernel.processSpawn("victim", 0);
        const pid = kernel.listProcesses().find((p) => p.name === "victim")!.pid;
        kernel.grant(sys.pid, door, pid, 0x01);
        const killer = kernel.spawn({
          descriptors: [{ pid: sys.pid, descriptor: victim }],
          program: async (k) => {
            log.push(await k.kernel.processKill(1, 9), await k.kernel.processKill(0, 9));
            return 0;
          },
        });
        log.push(killer > 0);
        // Waits for good: the victim must outlive the killer's attempts.
        await sys.kernel.processWait(victim);
        return 0;
      },
    });
    await kernel.run();
    const victim = kernel.listProcesses().find((p) => p.name === "victim")!;
    expect(log).toEqual([true, -EPERM, -EBADF]);
    expect(victim.state).toBe("live");
  });
});
