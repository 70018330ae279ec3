/**
 * The daemon on the emulator: sysvd serves a door per client; clients use
 * the client library from their own processes. Message and semaphore
 * ping-pong between two processes (each blocks in turn, the daemon keeps
 * serving), and a client of another uid refused by the permission bits.
 */
import { describe, expect, it } from "vitest";
import { Kernel } from "../../../emulator/kernel/index.js";
import type { ProgramEntry, Sys } from "../../../emulator/program/program.js";
import { SYSV_BUFFER_SIZE, SysvIpc, type MsgBuf } from "../../../examples/sysv/client.js";
import { EACCES, IPC_CREAT, IPC_RMID } from "../../../examples/sysv/core/index.js";
import { serveSysv } from "../../../examples/sysv/sysvd.js";

const SYSTEM = 1;
const SEND = 1;
const ROUNDS = 40;

async function ipcOf(sys: Sys): Promise<SysvIpc> {
  return new SysvIpc(sys.trap, await sys.messageBuffer(SYSV_BUFFER_SIZE), sys.descriptors[0]!);
}

/** Sends type 1 and waits for type 2, ROUNDS times; then semaphore ping-pong. Exit 0 when all went right. */
const ping: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const q = await ipc.msgget(77, IPC_CREAT | 0o600);
  if (q < 0) return 10;
  const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
  for (let i = 0; i < ROUNDS; i++) {
    if ((await ipc.msgsnd(q, 1, Uint8Array.of(i), 0)) !== 0) return 11;
    if ((await ipc.msgrcv(q, m, 16, 2, 0)) !== 1 || m.mtype !== 2 || m.mtext[0] !== i + 1) return 12;
  }
  const s = await ipc.semget(78, 2, IPC_CREAT | 0o600);
  if (s < 0) return 13;
  for (let i = 0; i < ROUNDS; i++) {
    if ((await ipc.semop(s, [{ num: 0, op: 1, flg: 0 }])) !== 0) return 14;
    if ((await ipc.semop(s, [{ num: 1, op: -1, flg: 0 }])) !== 0) return 15;
  }
  return 0;
};

/** Waits for type 1 and answers type 2 with the byte plus one; then the other side of the semaphores. */
const pong: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const q = await ipc.msgget(77, IPC_CREAT | 0o600);
  if (q < 0) return 20;
  const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
  for (let i = 0; i < ROUNDS; i++) {
    if ((await ipc.msgrcv(q, m, 16, 1, 0)) !== 1) return 21;
    if ((await ipc.msgsnd(q, 2, Uint8Array.of(m.mtext[0]! + 1), 0)) !== 0) return 22;
  }
  const s = await ipc.semget(78, 2, IPC_CREAT | 0o600);
  if (s < 0) return 23;
  for (let i = 0; i < ROUNDS; i++) {
    if ((await ipc.semop(s, [{ num: 0, op: -1, flg: 0 }])) !== 0) return 24;
    if ((await ipc.semop(s, [{ num: 1, op: 1, flg: 0 }])) !== 0) return 25;
  }
  return (await ipc.msgctl(q, IPC_RMID)) === 0 ? 0 : 26;
};

/** Another uid: may open the key asking for nothing, but neither read nor write the 0600 queue. */
const intruder: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  let q = -1;
  while (q < 0) {
    q = await ipc.msgget(77, 0);
    if (q < 0) await sys.kernel.threadYield();
  }
  if ((await ipc.msgget(77, 0o600)) !== -1 || ipc.errno !== EACCES) return 30;
  if ((await ipc.msgsnd(q, 1, Uint8Array.of(0), 0)) !== -1 || ipc.errno !== EACCES) return 31;
  return 0;
};

/** Boots sysvd with one door per client (handed out as the only reference to it); returns each client's exit status. */
async function boot(clients: { name: string; program: ProgramEntry; uid: number; gid: number }[]) {
  const kernel = new Kernel({ memoryBytes: 8 << 20 });
  const status = new Map<number, number>();
  kernel.onExit((pid, s) => status.set(pid, s));
  const pids: number[] = [];
  kernel.spawn({
    name: "sysvd",
    privileged: true,
    program: async (sys) => {
      const doors: number[] = [];
      for (const _ of clients) doors.push(await sys.kernel.ipcCreate(SYSTEM, 0));
      clients.forEach((c, i) =>
        pids.push(
          kernel.spawn({
            name: c.name,
            program: c.program,
            descriptors: [{ pid: sys.pid, descriptor: doors[i]!, rights: SEND }],
          }),
        ),
      );
      return serveSysv(
        sys,
        clients.map((c, i) => ({ door: doors[i]!, caller: { pid: pids[i]!, uid: c.uid, gid: c.gid } })),
      );
    },
  });
  const end = await kernel.run();
  return { end, statuses: Object.fromEntries(clients.map((c, i) => [c.name, status.get(pids[i]!)])) };
}

describe("sysvd on the emulator", () => {
  it("ping-pong of messages and semaphores between two processes, and a refused intruder", async () => {
    const { end, statuses } = await boot([
      { name: "pong", program: pong, uid: 1000, gid: 100 },
      { name: "ping", program: ping, uid: 1000, gid: 100 },
      { name: "intruder", program: intruder, uid: 2000, gid: 200 },
    ]);
    expect(statuses).toEqual({ pong: 0, ping: 0, intruder: 0 });
    expect(end.end).toBe("idle");
  });
});
