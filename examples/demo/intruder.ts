/**
 * A program in a domain the policy gives nothing: it tries to reach the echo
 * server, to take its name, and to create a system object, and the process
 * manager refuses each with its errno. Exits 0 when all three were refused
 * as the policy says.
 */
import * as rt from "doorkit/runtime";
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../gen/idl/procmgr.js";
import { ObjectClass } from "../../gen/idl/types.js";
import type { Sys } from "../../emulator/program/program.js";

async function errnoOf(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
    return 0;
  } catch (error) {
    if (error instanceof rt.DoorError) return error.errno;
    throw error;
  }
}

export default async function intruder(sys: Sys): Promise<number> {
  const procmgr = new ProcmgrClient(sys.trap, await sys.messageBuffer(PROCMGR_BUFFER_SIZE));
  let lookup = rt.ENOENT;
  // Until the server has registered its name, the answer is ENOENT.
  while (lookup === rt.ENOENT) {
    lookup = await errnoOf(() => procmgr.lookup("/user/echo"));
    if (lookup === rt.ENOENT) await sys.kernel.threadYield();
  }
  const takeName = await errnoOf(() => procmgr.create(ObjectClass.USER, "/user/echo"));
  const system = await errnoOf(() => procmgr.create(ObjectClass.SYSTEM, "/sys/evil"));
  return lookup === rt.EACCES && takeName === rt.EPERM && system === rt.EPERM ? 0 : 1;
}
