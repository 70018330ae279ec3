/**
 * Spawned by `ping`: answers each type-1 message with a type-2 message
 * carrying the byte plus one, then the other side of the semaphore
 * ping-pong; then it answers through the shared segment, which it leaves
 * attached; last it raises a semaphore with SEM_UNDO. Its exit undoes the
 * one and detaches the other. Exit 0 when all went right; 20 + the step that failed.
 */
import type { Sys } from "../../../emulator/program/program.js";
import { IPC_CREAT, SEM_UNDO } from "../core/index.js";
import type { MsgBuf } from "../client.js";
import { connect } from "./connect.js";
import { MSG_KEY, SEM_KEY, SHM_KEY, SHM_PING, SHM_PONG, UNDO_KEY } from "./ping.js";

export default async function pong(sys: Sys, args: readonly string[]): Promise<number> {
  const rounds = Number(args[0] ?? 10);
  const ipc = await connect(sys);
  const q = await ipc.msgget(MSG_KEY, IPC_CREAT | 0o600);
  const s = await ipc.semget(SEM_KEY, 2, IPC_CREAT | 0o600);
  if (q < 0 || s < 0) return 20;
  const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
  for (let i = 0; i < rounds; i++) {
    if ((await ipc.msgrcv(q, m, 16, 1, 0)) !== 1) return 21;
    if ((await ipc.msgsnd(q, 2, Uint8Array.of((m.mtext[0]! + 1) % 256), 0)) !== 0) return 22;
  }
  for (let i = 0; i < rounds; i++) {
    if ((await ipc.semop(s, [{ num: 0, op: -1, flg: 0 }])) !== 0) return 23;
    if ((await ipc.semop(s, [{ num: 1, op: 1, flg: 0 }])) !== 0) return 24;
  }
  const shm = await ipc.shmget(SHM_KEY, 0, 0o600);
  const at = shm < 0 ? -1 : await ipc.shmat(shm, 0, 0);
  if (at < 0 || sys.memory.read32(at) !== SHM_PING) return 27;
  sys.memory.write32(at + 4096, SHM_PONG);
  const u = await ipc.semget(UNDO_KEY, 2, IPC_CREAT | 0o600);
  if ((await ipc.semop(u, [{ num: 0, op: 1, flg: SEM_UNDO }])) !== 0) return 25;
  if ((await ipc.semop(u, [{ num: 1, op: -1, flg: 0 }])) !== 0) return 26;
  return 0;
}
