/**
 * The daemon on the emulator: sysvd serves a door per client; clients use
 * the client library from their own processes. Message and semaphore
 * ping-pong between two processes (each blocks in turn, the daemon keeps
 * serving), and a client of another uid refused by the permission bits.
 */
import { describe, expect, it } from "vitest";
import type { ProgramEntry, Sys } from "../../../emulator/program/program.js";
import { SYSV_BUFFER_SIZE, SysvIpc, type MsgBuf } from "../../../examples/sysv/client.js";
import {
  EACCES,
  EAGAIN,
  EFBIG,
  EIDRM,
  EINVAL,
  EPERM,
  GETALL,
  GETPID,
  GETVAL,
} from "../../../examples/sysv/core/index.js";
import {
  IPC_CREAT,
  IPC_NOWAIT,
  IPC_PRIVATE,
  IPC_RMID,
  IPC_SET,
  IPC_STAT,
  MSGMNB,
  SETALL,
  SETVAL,
} from "../../../examples/sysv/core/index.js";
import type { MsqidDs, SemidDs } from "../../../gen/examples/sysv/sysv.js";
import { runSysv } from "../../../examples/sysv/harness.js";

const ROUNDS = 40;

/** Whether a call returned -1 with `errno`. */
function refused(ipc: SysvIpc, result: number, errno: number): boolean {
  return result === -1 && ipc.errno === errno;
}

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

/** Another uid: may open the key asking for nothing, but neither use nor remove the 0600 queue. */
const intruder: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  let q = -1;
  while (q < 0) {
    q = await ipc.msgget(77, 0);
    if (q < 0) await sys.kernel.threadYield();
  }
  if (!refused(ipc, await ipc.msgget(77, 0o600), EACCES)) return 30;
  if (!refused(ipc, await ipc.msgsnd(q, 1, Uint8Array.of(0), 0), EACCES)) return 31;
  if (!refused(ipc, await ipc.msgctl(q, IPC_RMID), EPERM)) return 32;
  return 0;
};

/** Waits on an empty queue until it is removed: EIDRM. */
const waiter: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const q = await ipc.msgget(90, IPC_CREAT | 0o666);
  const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
  return (await ipc.msgrcv(q, m, 16, 0, 0)) === -1 && ipc.errno === EIDRM ? 0 : 40;
};

/** Lets the other block first, checks the queue is still empty, then removes it. */
const remover: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const q = await ipc.msgget(90, IPC_CREAT | 0o666);
  const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
  for (let i = 0; i < 5; i++) await sys.kernel.threadYield();
  if ((await ipc.msgrcv(q, m, 16, 0, IPC_NOWAIT)) !== -1) return 50;
  return (await ipc.msgctl(q, IPC_RMID)) === 0 ? 0 : 51;
};

/** The control calls through the client library: each check has its own exit status. */
const controller: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const s = await ipc.semget(IPC_PRIVATE, 3, 0o640);
  if (s < 0) return 60;
  if ((await ipc.semctl(s, 0, SETALL, { array: [1, 2, 3] })) !== 0) return 61;
  const array: number[] = [];
  if ((await ipc.semctl(s, 0, GETALL, { array })) !== 0 || array.join() !== "1,2,3") return 62;
  if ((await ipc.semctl(s, 1, SETVAL, { val: 7 })) !== 0 || (await ipc.semctl(s, 1, GETVAL)) !== 7) return 63;
  if ((await ipc.semctl(s, 2, GETPID)) !== sys.pid) return 64;
  const buf = {} as SemidDs;
  if ((await ipc.semctl(s, 0, IPC_STAT, { buf })) !== 0 || buf.nsems !== 3 || buf.perm.mode !== 0o640) return 65;
  if (!refused(ipc, await ipc.semop(s, [{ num: 3, op: 1, flg: 0 }]), EFBIG)) return 66;
  const q = await ipc.msgget(IPC_PRIVATE, 0o600);
  const ds = {} as MsqidDs;
  if ((await ipc.msgctl(q, IPC_STAT, ds)) !== 0 || ds.qbytes !== MSGMNB) return 67;
  if ((await ipc.msgctl(q, IPC_SET, { ...ds, qbytes: 10 })) !== 0) return 68;
  if (!refused(ipc, await ipc.msgsnd(q, 1, new Uint8Array(11), IPC_NOWAIT), EAGAIN)) return 69;
  if (!refused(ipc, await ipc.msgsnd(q, 1, new Uint8Array(4001), 0), EINVAL)) return 70;
  if (!refused(ipc, await ipc.shmget(IPC_PRIVATE, 0, 0o600), EINVAL)) return 71;
  return 0;
};

describe("sysvd on the emulator", () => {
  it("ping-pong of messages and semaphores between two processes, and a refused intruder", async () => {
    const { end, statuses } = await runSysv([
      { name: "pong", program: pong, uid: 1000, gid: 100 },
      { name: "ping", program: ping, uid: 1000, gid: 100 },
      { name: "intruder", program: intruder, uid: 2000, gid: 200 },
    ]);
    expect(statuses).toEqual({ pong: 0, ping: 0, intruder: 0 });
    expect(end.end).toBe("idle");
  });

  it("a client waiting in msgrcv gets EIDRM when another removes the queue", async () => {
    const { statuses } = await runSysv([
      { name: "waiter", program: waiter, uid: 1000, gid: 100 },
      { name: "remover", program: remover, uid: 1000, gid: 100 },
    ]);
    expect(statuses).toEqual({ waiter: 0, remover: 0 });
  });

  it("the control calls through the client library fill in what C would", async () => {
    const { statuses } = await runSysv([{ name: "controller", program: controller, uid: 1000, gid: 100 }]);
    expect(statuses).toEqual({ controller: 0 });
  });
});
