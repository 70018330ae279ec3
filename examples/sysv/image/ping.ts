/**
 * The init program of the image: spawns `pong`, then plays ROUNDS rounds
 * (first argument, default 10) of message ping-pong and of semaphore
 * ping-pong with it through sysvd; shares a segment with it, which pong
 * leaves attached when it exits; then sees pong's SEM_UNDO adjustment
 * undone and its attachment gone when pong exits, and removes what it created. Exit 0 when every
 * answer was right; 10 + the step that failed otherwise.
 */
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../../gen/idl/procmgr.js";
import type { Sys } from "../../../emulator/program/program.js";
import type { ShmidDs } from "../../../gen/examples/sysv/sysv.js";
import { GETNCNT, GETVAL, IPC_CREAT, IPC_RMID, IPC_STAT } from "../core/index.js";
import type { MsgBuf, SysvIpc } from "../client.js";
import { connect } from "./connect.js";

export const MSG_KEY = 0x5359_5356;
export const SEM_KEY = 0x5359_5357;
/** Semaphore 0: pong raises it with SEM_UNDO; semaphore 1: ping lets pong exit. */
export const UNDO_KEY = 0x5359_5358;
/** The semaphore quitter waits on when it exits. */
export const QUIT_KEY = 0x5359_5359;
/** The segment: ping writes SHM_PING at 0, pong answers SHM_PONG at 4096 and exits still attached. */
export const SHM_KEY = 0x5359_535a;
export const SHM_SIZE = 8192;
export const SHM_PING = 0x7069_6e67;
export const SHM_PONG = 0x706f_6e67;

export default async function ping(sys: Sys, args: readonly string[]): Promise<number> {
  const rounds = Number(args[0] ?? 10);
  const procmgr = new ProcmgrClient(sys.trap, await sys.messageBuffer(PROCMGR_BUFFER_SIZE));
  const { pid } = await procmgr.spawn("pong");
  const ipc = await connect(sys);
  const q = await ipc.msgget(MSG_KEY, IPC_CREAT | 0o600);
  const s = await ipc.semget(SEM_KEY, 2, IPC_CREAT | 0o600);
  if (q < 0 || s < 0) return 10;
  const shm = await ipc.shmget(SHM_KEY, SHM_SIZE, IPC_CREAT | 0o600);
  const at = shm < 0 ? -1 : await ipc.shmat(shm, 0, 0);
  if (at < 0) return 21;
  sys.memory.write32(at, SHM_PING);
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
  // Another user, known to the daemon through the process manager, is refused what ping made.
  if ((await procmgr.wait((await procmgr.spawn("outsider")).pid)).status !== 0) return 23;
  if ((await pongLeftTheSegment(sys, ipc, shm, at)) !== 0) return 22;
  if ((await quitterLeavesNoTrace(sys, procmgr, ipc)) !== 0) return 20;
  for (const id of [s, u]) if ((await ipc.semctl(id, 0, IPC_RMID)) !== 0) return 19;
  return (await ipc.msgctl(q, IPC_RMID)) === 0 ? 0 : 19;
}

/** pong answered through the segment, and its exit detached it: only ping's attachment is left. */
async function pongLeftTheSegment(sys: Sys, ipc: SysvIpc, shm: number, at: number): Promise<number> {
  if (sys.memory.read32(at + 4096) !== SHM_PONG) return 1;
  const ds = {} as ShmidDs;
  for (let i = 0; i < 100 && ds.nattch !== 1; i++) {
    if ((await ipc.shmctl(shm, IPC_STAT, ds)) !== 0) return 2;
    if (ds.nattch !== 1) await sys.kernel.threadYield();
  }
  if (ds.nattch !== 1) return 3;
  if ((await ipc.shmctl(shm, IPC_RMID)) !== 0 || (await ipc.shmdt(at)) !== 0) return 4;
  return (await ipc.shmctl(shm, IPC_STAT, ds)) === -1 ? 0 : 5;
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
