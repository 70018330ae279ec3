/**
 * Spawned by `ping`: one thread waits in semop on QUIT_KEY's semaphore,
 * and the process exits while it waits. The daemon, told of the exit,
 * drops the wait: GETNCNT goes back to 0 and a later increment stays.
 */
import type { Sys } from "../../../emulator/program/program.js";
import { GETNCNT, IPC_CREAT } from "../core/index.js";
import { SYSV_BUFFER_SIZE, SysvIpc } from "../client.js";
import { connect } from "./connect.js";
import { QUIT_KEY } from "./ping.js";

export default async function quitter(sys: Sys): Promise<number> {
  const ipc = await connect(sys);
  const s = await ipc.semget(QUIT_KEY, 1, IPC_CREAT | 0o600);
  if (s < 0) return 30;
  const door = ipc.door;
  await sys.createThread(async (thread) => {
    const own = new SysvIpc(thread.trap, await thread.messageBuffer(SYSV_BUFFER_SIZE), door);
    await own.semop(s, [{ num: 0, op: -1, flg: 0 }]);
    return 0;
  });
  while ((await ipc.semctl(s, 0, GETNCNT)) !== 1) await sys.kernel.threadYield();
  return sys.exit(0);
}
