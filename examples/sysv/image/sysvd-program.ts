/**
 * sysvd as an image program: registers its name with the process manager
 * and serves Sysv there for every client, all with the one identity its
 * arguments give (the process manager does not yet say who each caller is;
 * harness.ts shows per-client identities). A client that attaches has its
 * SEM_UNDO adjustments applied and its waits ended when it exits.
 *
 * Arguments: NAME (default /sys/sysv) and UID:GID (default 1000:100).
 * Exit status 2 for arguments it cannot read.
 */
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../../gen/idl/procmgr.js";
import { ObjectClass } from "../../../gen/idl/types.js";
import type { Sys } from "../../../emulator/program/program.js";
import { serveShared } from "../sysvd.js";

export default async function sysvd(sys: Sys, args: readonly string[]): Promise<number> {
  const name = args[0] ?? "/sys/sysv";
  const [uid, gid, extra] = (args[1] ?? "1000:100").split(":").map(Number);
  if (extra !== undefined || !Number.isInteger(uid) || !Number.isInteger(gid) || uid! < 0 || gid! < 0) return 2;
  const buffer = await sys.messageBuffer(PROCMGR_BUFFER_SIZE);
  const procmgr = new ProcmgrClient(sys.trap, buffer);
  const { object } = await procmgr.create(ObjectClass.SYSTEM, name);
  // An anonymous object for the process manager's exit notifications.
  const { object: exits } = await procmgr.create(ObjectClass.USER, "");
  return serveShared(sys, object, { uid: uid!, gid: gid! }, exits);
}
