/**
 * The init program of the image: spawns `pong`, then plays ROUNDS rounds
 * (first argument, default 10) of message ping-pong and of semaphore
 * ping-pong with it through sysvd; then sees pong's SEM_UNDO adjustment
 * undone when pong exits, and removes what it created. Exit 0 when every
 * answer was right; 10 + the step that failed otherwise.
 */
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../../gen/idl/procmgr.js";
import type { Sys } from "../../../emulator/program/program.js";
import { GETNCNT, GETVAL, IPC_CREAT, IPC_RMID } from "../core/index.js";
import type { MsgBuf, SysvIpc } from "../client.js";
import { connect } from "./connect.js";

export const MSG_KEY = 0x5359_5356;
export const SEM_KEY = 0x5359_5357;
/** Semaphore 0: pong raises it with SEM_UNDO; semaphore 1: ping lets pong exit. */
export const UNDO_KEY = 0x5359_5358;
/** The semaphore quitter waits on when it exits. */
export const QUIT_KEY = 0x5359_5359;

export default async function ping(sys: Sys, args: readonly string[]): Promise<number> {
  const rounds = Number(args[0] ?? 10);
  const procmgr = new ProcmgrClient(sys.trap, await sys.messageBuffer(PROCMGR_BUFFER_SIZE));
  const { pid } = await procmgr.spawn("pong");
  const ipc = await connect(sys);
  const q = await ipc.msgget(MSG_KEY, IPC_CREAT | 0o600);
  const s = await ipc.semget(SEM_KEY, 2, IPC_CREAT | 0o600);
  if (q < 0 || s < 0) return 10;
  const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
  for (let i = 0; i < rounds; i++) {
    if ((await ipc.msgsnd(q, 1, Uint8Array.of(i), 0)) !== 0) return 11;
    if ((await ipc.msgrcv(q, m, 16, 2, 0)) !== 1 || m.mtext[0] !== (i + 1) % 256) return 12;
  }
  for (let i = 0; i < rounds; i++) {
    if ((await ipc.semop(s, [{ num: 0, op: 1, flg: 0 }])) !== 0) return 13;
    if ((await ipc.semop(s, [{ num: 1, op: -1, flg: 0 }])) !== 0) return 14;
  }
  const u = await ipc.semget(UNDO_KEY, 2, IPC_CREAT | 0o600);
  // Wait until pong has raised semaphore 0 (down and up again, in one operation), then let it exit.
  if (
    (await ipc.semop(u, [
      { num: 0, op: -1, flg: 0 },
      { num: 0, op: 1, flg: 0 },
    ])) !== 0
  )
    return 15;
  if ((await ipc.semop(u, [{ num: 1, op: 1, flg: 0 }])) !== 0) return 16;
  if ((await procmgr.wait(pid)).status !== 0) return 17;
  // The daemon hears of the exit from the process manager, maybe after this wait returned.
  let value = -1;
  for (let i = 0; i < 100 && value !== 0; i++) {
    value = await ipc.semctl(u, 0, GETVAL);
    if (value !== 0) await sys.kernel.threadYield();
  }
  if (value !== 0) return 18;
  if ((await quitterLeavesNoTrace(sys, procmgr, ipc)) !== 0) return 20;
  for (const id of [s, u]) if ((await ipc.semctl(id, 0, IPC_RMID)) !== 0) return 19;
  return (await ipc.msgctl(q, IPC_RMID)) === 0 ? 0 : 19;
}

/** Spawns quitter, which exits while one of its threads waits in semop; its wait must leave no trace. */
async function quitterLeavesNoTrace(sys: Sys, procmgr: ProcmgrClient, ipc: SysvIpc): Promise<number> {
  const q = await ipc.semget(QUIT_KEY, 1, IPC_CREAT | 0o600);
  const { pid } = await procmgr.spawn("quitter");
  if ((await procmgr.wait(pid)).status !== 0) return 1;
  let waiting = -1;
  for (let i = 0; i < 100 && waiting !== 0; i++) {
    waiting = await ipc.semctl(q, 0, GETNCNT);
    if (waiting !== 0) await sys.kernel.threadYield();
  }
  if (waiting !== 0) return 2;
  if ((await ipc.semop(q, [{ num: 0, op: 1, flg: 0 }])) !== 0 || (await ipc.semctl(q, 0, GETVAL)) !== 1) return 3;
  return (await ipc.semctl(q, 0, IPC_RMID)) === 0 ? 0 : 4;
}
