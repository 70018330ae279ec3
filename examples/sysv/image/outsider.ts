/**
 * Spawned by `ping`, and run by the image as another user (uid 2000): the
 * daemon knows it from the process manager, not from anything it says, so
 * ping's semaphores and segment (mode 0600) refuse it. Exit 0 when every
 * call was refused with EACCES; 30 + the step that was not.
 */
import type { Sys } from "../../../emulator/program/program.js";
import { EACCES } from "../core/index.js";
import { connect } from "./connect.js";
import { SEM_KEY, SHM_KEY } from "./ping.js";

export default async function outsider(sys: Sys): Promise<number> {
  const ipc = await connect(sys);
  if ((await ipc.semget(SEM_KEY, 0, 0o600)) !== -1 || ipc.errno !== EACCES) return 31;
  if ((await ipc.shmget(SHM_KEY, 0, 0o400)) !== -1 || ipc.errno !== EACCES) return 32;
  const id = await ipc.shmget(SHM_KEY, 0, 0);
  if (id < 0 || (await ipc.shmat(id, 0, 0)) !== -1 || ipc.errno !== EACCES) return 33;
  return 0;
}
