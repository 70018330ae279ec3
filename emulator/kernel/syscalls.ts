/**
 * The one system-call table: what a trap does, by arg0. The four IPC traps
 * have their own numbers; every other value is a send, and the send path
 * passes kernel-range numbers (0x000-0x3FF) on to kernel-calls.ts.
 */
import { RECEIVE, REPLY, REPLY_ERROR, REPLY_RECEIVE } from "./abi.js";
import { sysReceive, sysReply, sysReplyError, sysSend, type Next } from "./ipc.js";
import type { Kernel } from "./kernel.js";
import type { Thread } from "./thread.js";

export function syscall(k: Kernel, t: Thread): Next {
  switch (t.regs.args[0]) {
    case RECEIVE:
      return sysReceive(k, t);
    case REPLY:
      return sysReply(k, t, false);
    case REPLY_RECEIVE:
      return sysReply(k, t, true);
    case REPLY_ERROR:
      return sysReplyError(k, t);
    default:
      return sysSend(k, t);
  }
}
