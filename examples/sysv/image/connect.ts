/** Looks the daemon up (waiting until it has registered), attaches, and returns a client library over it. */
import * as rt from "doorkit/runtime";
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../../gen/idl/procmgr.js";
import type { Sys } from "../../../emulator/program/program.js";
import { SYSV_BUFFER_SIZE, SysvIpc } from "../client.js";

export async function connect(sys: Sys, name = "/sys/sysv"): Promise<SysvIpc> {
  const buffer = await sys.messageBuffer(Math.max(SYSV_BUFFER_SIZE, PROCMGR_BUFFER_SIZE));
  const procmgr = new ProcmgrClient(sys.trap, buffer);
  for (;;) {
    try {
      const ipc = new SysvIpc(sys.trap, buffer, (await procmgr.lookup(name)).object, sys);
      if ((await ipc.attach(sys.pid)) < 0) throw new Error(`attach refused: errno ${ipc.errno}`);
      return ipc;
    } catch (error) {
      if (!(error instanceof rt.DoorError && error.errno === rt.ENOENT)) throw error;
      await sys.kernel.threadYield();
    }
  }
}
