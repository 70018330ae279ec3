/**
 * sysvd as an image program: registers its name with the process manager
 * and serves Sysv there for every client, each with the uid and gid the
 * image gives its program: the manager stamps a client's pid into the
 * reference it looks up and tells the daemon who that pid is. A client that
 * attaches has its SEM_UNDO adjustments applied, its waits ended and its
 * segments detached when it exits.
 *
 * Argument: NAME (default /sys/sysv).
 */
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../../gen/idl/procmgr.js";
import { ObjectClass } from "../../../gen/idl/types.js";
import type { Sys } from "../../../emulator/program/program.js";
import { serveShared } from "../sysvd.js";

export default async function sysvd(sys: Sys, args: readonly string[]): Promise<number> {
  const name = args[0] ?? "/sys/sysv";
  const buffer = await sys.messageBuffer(PROCMGR_BUFFER_SIZE);
  const procmgr = new ProcmgrClient(sys.trap, buffer);
  const { object } = await procmgr.create(ObjectClass.SYSTEM, name);
  // An anonymous object for the process manager's exit notifications.
  const { object: exits } = await procmgr.create(ObjectClass.USER, "");
  return serveShared(sys, object, exits);
}
