/**
 * A serve thread that holds a waiting call sleeps in the kernel
 * (examples/sysv/wake-door.ts): a wait far longer than the daemon's spin
 * still ends with the right answer, and a client that waits forever leaves
 * the system idle instead of keeping the processor busy.
 */
import { describe, expect, it } from "vitest";
import type { ProgramEntry, Sys } from "../../../emulator/program/program.js";
import { SYSV_BUFFER_SIZE, SysvIpc, type MsgBuf } from "../../../examples/sysv/client.js";
import { IPC_CREAT } from "../../../examples/sysv/core/index.js";
import { runSysv } from "../../../examples/sysv/harness.js";

const KEY = 0x5a;

async function ipcOf(sys: Sys): Promise<SysvIpc> {
  return new SysvIpc(sys.trap, await sys.messageBuffer(SYSV_BUFFER_SIZE), sys.descriptors[0]!);
}

/** Waits in msgrcv for type `n`, `count` times, each answered after `delay` yields of the sender. */
function receiver(count: number): ProgramEntry {
  return async (sys) => {
    const ipc = await ipcOf(sys);
    const q = await ipc.msgget(KEY, IPC_CREAT | 0o600);
    const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
    for (let i = 1; i <= count; i++) if ((await ipc.msgrcv(q, m, 8, i, 0)) !== 1 || m.mtext[0] !== i) return 10 + i;
    return 0;
  };
}

function sender(count: number, delay: number): ProgramEntry {
  return async (sys) => {
    const ipc = await ipcOf(sys);
    const q = await ipc.msgget(KEY, IPC_CREAT | 0o600);
    for (let i = 1; i <= count; i++) {
      for (let j = 0; j < delay; j++) await sys.kernel.threadYield();
      if ((await ipc.msgsnd(q, i, Uint8Array.of(i), 0)) !== 0) return 20 + i;
    }
    return 0;
  };
}

describe("sysvd's waiting serve threads", () => {
  it("a wait longer than the spin sleeps and is woken with its answer, in order", async () => {
    const { statuses, end } = await runSysv([
      { name: "receiver", program: receiver(5), uid: 1000, gid: 100 },
      { name: "sender", program: sender(5, 200), uid: 1000, gid: 100 },
    ]);
    expect(statuses).toEqual({ receiver: 0, sender: 0 });
    expect(end.end).toBe("idle");
  });

  it("a client waiting forever leaves the system idle, far below the step limit", async () => {
    const { statuses, end } = await runSysv([{ name: "receiver", program: receiver(1), uid: 1000, gid: 100 }], {
      maxSteps: 1_000_000,
    });
    expect(statuses.receiver).toBeUndefined();
    expect(end.end).toBe("idle");
    expect(end.steps).toBeLessThan(1_000);
  });
});
