/**
 * The echo client: looks up the server's name (waiting until it is
 * registered), sends each of its arguments and checks the answers. Exits 0
 * when every echo came back unchanged and the count is right.
 */
import * as rt from "doorkit/runtime";
import { ECHO_BUFFER_SIZE, EchoClient } from "../../gen/examples/echo/echo.js";
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../gen/idl/procmgr.js";
import type { Sys } from "../../emulator/program/program.js";

const NAME = "/user/echo";

export default async function client(sys: Sys, args: readonly string[]): Promise<number> {
  const buffer = await sys.messageBuffer(Math.max(ECHO_BUFFER_SIZE, PROCMGR_BUFFER_SIZE));
  const procmgr = new ProcmgrClient(sys.trap, buffer);
  let object = 0;
  while (object === 0) {
    try {
      object = (await procmgr.lookup(NAME)).object;
    } catch (error) {
      // Not registered yet: let the server run first.
      if (!(error instanceof rt.DoorError && error.errno === rt.ENOENT)) throw error;
      await sys.kernel.threadYield();
    }
  }

  const echo = new EchoClient(sys.trap, buffer, object);
  for (const word of args) {
    const { text } = await echo.echo(word);
    if (text !== word) return 1;
  }
  const { calls } = await echo.count();
  return calls === args.length + 1 ? 0 : 2;
}
