/**
 * The demo's System V scene, a few calls long: the partner of
 * examples/sysv's `pong` (spawned with one round), it plays one message
 * round trip and one semaphore round trip with it, shares one segment with
 * it, lets it exit, and removes what it made. A shorter `ping` of
 * examples/sysv/image: same keys and protocol, without its outsider and
 * quitter checks. Exits 0 when every answer was right, else the step that failed.
 */
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../gen/idl/procmgr.js";
import type { Sys } from "../../emulator/program/program.js";
import { IPC_CREAT, IPC_RMID } from "../sysv/core/index.js";
import type { MsgBuf } from "../sysv/client.js";
import { connect } from "../sysv/image/connect.js";
import { MSG_KEY, SEM_KEY, SHM_KEY, SHM_PING, SHM_PONG, SHM_SIZE, UNDO_KEY } from "../sysv/image/ping.js";

export default async function sysvPing(sys: Sys): Promise<number> {
  const procmgr = new ProcmgrClient(sys.trap, await sys.messageBuffer(PROCMGR_BUFFER_SIZE));
  const { pid } = await procmgr.spawn("pong");
  const ipc = await connect(sys);
  const q = await ipc.msgget(MSG_KEY, IPC_CREAT | 0o600);
  const s = await ipc.semget(SEM_KEY, 2, IPC_CREAT | 0o600);
  const shm = await ipc.shmget(SHM_KEY, SHM_SIZE, IPC_CREAT | 0o600);
  const at = shm < 0 ? -1 : await ipc.shmat(shm, 0, 0);
  if (q < 0 || s < 0 || at < 0) return 1;
  sys.memory.write32(at, SHM_PING);
  const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
  if ((await ipc.msgsnd(q, 1, Uint8Array.of(41), 0)) !== 0) return 2;
  if ((await ipc.msgrcv(q, m, 16, 2, 0)) !== 1 || m.mtext[0] !== 42) return 3;
  if ((await ipc.semop(s, [{ num: 0, op: 1, flg: 0 }])) !== 0) return 4;
  if ((await ipc.semop(s, [{ num: 1, op: -1, flg: 0 }])) !== 0) return 5;
  // pong raises semaphore 0 of this set when it has answered through the segment, then waits on 1.
  const u = await ipc.semget(UNDO_KEY, 2, IPC_CREAT | 0o600);
  const answered = [
    { num: 0, op: -1, flg: 0 },
    { num: 0, op: 1, flg: 0 },
  ];
  if (u < 0 || (await ipc.semop(u, answered)) !== 0) return 6;
  if (sys.memory.read32(at + 4096) !== SHM_PONG) return 7;
  if ((await ipc.semop(u, [{ num: 1, op: 1, flg: 0 }])) !== 0) return 8;
  if ((await procmgr.wait(pid)).status !== 0) return 9;
  if ((await ipc.shmdt(at)) !== 0 || (await ipc.shmctl(shm, IPC_RMID)) !== 0) return 10;
  for (const id of [s, u]) if ((await ipc.semctl(id, 0, IPC_RMID)) !== 0) return 11;
  return (await ipc.msgctl(q, IPC_RMID)) === 0 ? 0 : 12;
}
