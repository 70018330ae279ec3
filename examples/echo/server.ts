/**
 * The echo server: registers its name with the process manager, then serves
 * Echo on the object it got, forever. Each client is told apart by the
 * cookie of the reference it calls through: the first call of a client
 * arrives with cookie 0, and the server gives it a number by setting
 * `call.cookie`, which the reply stores into the client's reference.
 */
import * as rt from "doorkit/runtime";
import { ECHO_BUFFER_SIZE, EchoDispatcher, type EchoServer } from "../../gen/examples/echo/echo.js";
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../gen/idl/procmgr.js";
import { ObjectClass } from "../../gen/idl/types.js";
import type { Sys } from "../../emulator/program/program.js";

export default async function server(sys: Sys, args: readonly string[]): Promise<number> {
  const name = args[0] ?? "/user/echo";
  const buffer = await sys.messageBuffer(Math.max(ECHO_BUFFER_SIZE, PROCMGR_BUFFER_SIZE));
  const { object } = await new ProcmgrClient(sys.trap, buffer).create(ObjectClass.USER, name);

  const calls = new Map<number, number>();
  const counted = (call: rt.Call): number => {
    if (call.cookie === 0) call.cookie = calls.size + 1;
    const n = (calls.get(call.cookie) ?? 0) + 1;
    calls.set(call.cookie, n);
    return n;
  };
  const echo: EchoServer = {
    echo({ text }, call) {
      counted(call);
      return { text };
    },
    count(_request, call) {
      return { calls: counted(call) };
    },
  };
  return rt.serve(sys.trap, buffer, object, new EchoDispatcher(echo));
}
