/**
 * Message queues: msgget, msgsnd, msgrcv, msgctl. Follows Linux's
 * ipc/msg.c: a message goes straight to the oldest waiting receiver that
 * selects it (pipelined_send) and is queued only when none does; a
 * receiver takes the first message its type rule selects; a sender waits
 * while its message would not fit msg_qbytes.
 */
import { IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT, MSG_COPY, MSG_EXCEPT, MSG_NOERROR } from "./constants.js";
import { S_IRUGO, S_IWUGO } from "./constants.js";
import { E2BIG, EACCES, EAGAIN, EFAULT, EIDRM, EINVAL, ENOMSG, ENOSYS, EPERM } from "./errno.js";
import type { Context, Received } from "./events.js";
import { IdTable, ipcget } from "./id-table.js";
import { hasAccess, isPrivileged, isValidId, mayControl, newPerm, snapshotPerm, updatePerm } from "./ipc-perm.js";
import type { Caller, IpcPerm, PermSet, PermState } from "./ipc-perm.js";
import { blocked, fail, ok, type Outcome, type Result, type WaiterToken } from "./result.js";

export interface MsqidDs {
  readonly perm: IpcPerm;
  readonly stime: number;
  readonly rtime: number;
  readonly ctime: number;
  /** Bytes of text in the queue. */
  readonly cbytes: number;
  /** Messages in the queue. */
  readonly qnum: number;
  /** Most bytes (and most messages) the queue holds. */
  readonly qbytes: number;
  readonly lspid: number;
  readonly lrpid: number;
}

/** What IPC_SET changes. */
export interface MsqSet {
  readonly perm: PermSet;
  readonly qbytes: number;
}

export type MsgctlValue = { readonly kind: "done" } | { readonly kind: "stat"; readonly stat: MsqidDs };

/** How msgrcv selects (convert_mode). */
type Search = "any" | "equal" | "not-equal" | "less-equal";

interface Message {
  readonly mtype: number;
  readonly mtext: Uint8Array;
}

interface Sender {
  readonly token: WaiterToken;
  readonly caller: Caller;
  readonly message: Message;
}

interface Receiver {
  readonly token: WaiterToken;
  readonly caller: Caller;
  readonly search: Search;
  readonly msgtyp: number;
  /** The receiver's buffer; with MSG_NOERROR longer texts are cut to it. */
  readonly size: number;
  readonly noerror: boolean;
}

interface Queue {
  readonly id: number;
  readonly perm: PermState;
  readonly messages: Message[];
  cbytes: number;
  qbytes: number;
  lspid: number;
  lrpid: number;
  stime: number;
  rtime: number;
  ctime: number;
  readonly senders: Sender[];
  readonly receivers: Receiver[];
}

/** LONG_MIN of i386's 32-bit long; -LONG_MIN is taken as LONG_MAX. */
const LONG_MIN = -0x80000000;
const LONG_MAX = 0x7fffffff;

export class MessageQueues<M> {
  readonly #table: IdTable<Queue>;

  constructor(private readonly ctx: Context<M>) {
    this.#table = new IdTable<Queue>(() => ctx.limits.msgmni);
  }

  /** msgget(2): a new queue holds up to MSGMNB bytes. */
  msgget(caller: Caller, key: number, msgflg: number): Result<number> {
    return ipcget(this.#table, caller, key, msgflg, {
      create: () =>
        this.#table.add((id, seq) => ({
          id,
          perm: newPerm(caller, key, msgflg, seq),
          messages: [],
          cbytes: 0,
          qbytes: this.ctx.limits.msgmnb,
          lspid: 0,
          lrpid: 0,
          stime: 0,
          rtime: 0,
          ctime: this.ctx.now(),
          senders: [],
          receivers: [],
        })),
      moreChecks: () => 0,
    });
  }

  /** msgsnd(2), in do_msgsnd's order: size and id (EINVAL), mtype (EINVAL), the queue (EINVAL), access (EACCES), room. */
  msgsnd(caller: Caller, msqid: number, mtype: number, mtext: Uint8Array, msgflg: number): Outcome<0> {
    if (mtext.length > this.ctx.limits.msgmax || msqid < 0) return fail(EINVAL);
    if (!(mtype >= 1)) return fail(EINVAL);
    const queue = this.#table.find(msqid);
    if (queue === undefined) return fail(EINVAL);
    if (!hasAccess(caller, queue.perm, S_IWUGO)) return fail(EACCES);
    const message = { mtype, mtext: mtext.slice() };
    if (fits(queue, mtext.length)) {
      this.#deliver(queue, caller.pid, message);
      return ok(0);
    }
    if (msgflg & IPC_NOWAIT) return fail(EAGAIN);
    const token = this.ctx.newToken();
    queue.senders.push({ token, caller, message });
    return blocked(token);
  }

  /** Hands the message to the oldest receiver that selects it, else queues it (pipelined_send). */
  #deliver(queue: Queue, pid: number, message: Message): void {
    queue.lspid = pid;
    queue.stime = this.ctx.now();
    for (let i = 0; i < queue.receivers.length;) {
      const receiver = queue.receivers[i]!;
      if (!selects(receiver.search, receiver.msgtyp, message.mtype)) {
        i++;
        continue;
      }
      queue.receivers.splice(i, 1);
      if (!receiver.noerror && receiver.size < message.mtext.length) {
        this.ctx.emit({ kind: "msgrcv", waiter: receiver.token, pid: receiver.caller.pid, result: fail(E2BIG) });
        continue;
      }
      queue.lrpid = receiver.caller.pid;
      queue.rtime = this.ctx.now();
      const result = ok(cut(message, receiver.size));
      this.ctx.emit({ kind: "msgrcv", waiter: receiver.token, pid: receiver.caller.pid, result });
      return;
    }
    queue.messages.push(message);
    queue.cbytes += message.mtext.length;
  }

  /**
   * msgrcv(2), in do_msgrcv's order: id and size (EINVAL), MSG_COPY, the
   * queue (EINVAL), access (EACCES), then the selected message: too long
   * without MSG_NOERROR is E2BIG and it stays queued; none is ENOMSG with
   * IPC_NOWAIT, else the caller waits.
   */
  msgrcv(caller: Caller, msqid: number, msgsz: number, msgtyp: number, msgflg: number): Outcome<Received> {
    if (msqid < 0 || msgsz < 0) return fail(EINVAL);
    // MSG_COPY needs IPC_NOWAIT and no MSG_EXCEPT; Linux without CONFIG_CHECKPOINT_RESTORE then answers ENOSYS.
    if (msgflg & MSG_COPY) return fail(msgflg & MSG_EXCEPT || !(msgflg & IPC_NOWAIT) ? EINVAL : ENOSYS);
    const [search, type] = searchOf(msgtyp, msgflg);
    const queue = this.#table.find(msqid);
    if (queue === undefined) return fail(EINVAL);
    if (!hasAccess(caller, queue.perm, S_IRUGO)) return fail(EACCES);
    const noerror = (msgflg & MSG_NOERROR) !== 0;
    const at = findMessage(queue.messages, search, type);
    if (at >= 0) {
      const message = queue.messages[at]!;
      if (msgsz < message.mtext.length && !noerror) return fail(E2BIG);
      queue.messages.splice(at, 1);
      queue.cbytes -= message.mtext.length;
      queue.rtime = this.ctx.now();
      queue.lrpid = caller.pid;
      this.#wakeSenders(queue);
      return ok(cut(message, msgsz));
    }
    if (msgflg & IPC_NOWAIT) return fail(ENOMSG);
    const token = this.ctx.newToken();
    queue.receivers.push({ token, caller, search, msgtyp: type, size: msgsz, noerror });
    return blocked(token);
  }

  /**
   * ss_wakeup(): waiting senders whose message now fits retry, oldest first;
   * each checks its access again (EACCES if IPC_SET took it away).
   */
  #wakeSenders(queue: Queue): void {
    for (let i = 0; i < queue.senders.length;) {
      const sender = queue.senders[i]!;
      if (!fits(queue, sender.message.mtext.length)) {
        i++;
        continue;
      }
      queue.senders.splice(i, 1);
      if (!hasAccess(sender.caller, queue.perm, S_IWUGO)) {
        this.ctx.emit({ kind: "msgsnd", waiter: sender.token, pid: sender.caller.pid, result: fail(EACCES) });
        continue;
      }
      this.ctx.emit({ kind: "msgsnd", waiter: sender.token, pid: sender.caller.pid, result: ok(0) });
      this.#deliver(queue, sender.caller.pid, sender.message);
    }
  }

  /** msgctl(2): IPC_STAT, IPC_SET, IPC_RMID; anything else is EINVAL. */
  msgctl(caller: Caller, msqid: number, cmd: number, set?: MsqSet): Result<MsgctlValue> {
    if (msqid < 0 || cmd < 0) return fail(EINVAL);
    switch (cmd) {
      case IPC_STAT: {
        const queue = this.#table.find(msqid);
        if (queue === undefined) return fail(EINVAL);
        if (!hasAccess(caller, queue.perm, S_IRUGO)) return fail(EACCES);
        return ok({ kind: "stat", stat: this.#stat(queue) });
      }
      case IPC_SET:
      case IPC_RMID:
        return this.#msgctlDown(caller, msqid, cmd, set);
      default:
        return fail(EINVAL);
    }
  }

  /**
   * msgctl_down(): the queue (EINVAL), creator or owner (EPERM); IPC_SET
   * then checks msg_qbytes above MSGMNB (EPERM unless privileged) before
   * the new owner (EINVAL), and lets waiters look again.
   */
  #msgctlDown(caller: Caller, msqid: number, cmd: number, set: MsqSet | undefined): Result<MsgctlValue> {
    const queue = this.#table.find(msqid);
    if (queue === undefined) return fail(EINVAL);
    if (!mayControl(caller, queue.perm)) return fail(EPERM);
    if (cmd === IPC_RMID) {
      this.#remove(queue);
      return ok({ kind: "done" });
    }
    if (set === undefined) return fail(EFAULT);
    if (set.qbytes > this.ctx.limits.msgmnb && !isPrivileged(caller)) return fail(EPERM);
    if (!isValidId(set.perm.uid) || !isValidId(set.perm.gid)) return fail(EINVAL);
    updatePerm(queue.perm, set.perm);
    queue.qbytes = set.qbytes;
    queue.ctime = this.ctx.now();
    // expunge_all(-EAGAIN): receivers retry, so those that lost read access get EACCES.
    for (let i = 0; i < queue.receivers.length;) {
      const receiver = queue.receivers[i]!;
      if (hasAccess(receiver.caller, queue.perm, S_IRUGO)) {
        i++;
        continue;
      }
      queue.receivers.splice(i, 1);
      this.ctx.emit({ kind: "msgrcv", waiter: receiver.token, pid: receiver.caller.pid, result: fail(EACCES) });
    }
    this.#wakeSenders(queue);
    return ok({ kind: "done" });
  }

  /** freeque(): every waiting sender and receiver gets EIDRM; the messages go. */
  #remove(queue: Queue): void {
    this.#table.remove(queue);
    for (const r of queue.receivers.splice(0)) {
      this.ctx.emit({ kind: "msgrcv", waiter: r.token, pid: r.caller.pid, result: fail(EIDRM) });
    }
    for (const s of queue.senders.splice(0)) {
      this.ctx.emit({ kind: "msgsnd", waiter: s.token, pid: s.caller.pid, result: fail(EIDRM) });
    }
  }

  #stat(queue: Queue): MsqidDs {
    return {
      perm: snapshotPerm(queue.perm),
      stime: queue.stime,
      rtime: queue.rtime,
      ctime: queue.ctime,
      cbytes: queue.cbytes,
      qnum: queue.messages.length,
      qbytes: queue.qbytes,
      lspid: queue.lspid,
      lrpid: queue.lrpid,
    };
  }

  /** Ends a wait with `errno` (EINTR for a signal); false when it is not waiting here. */
  cancel(token: WaiterToken, errno: number): boolean {
    for (const queue of this.#table.values()) {
      const s = queue.senders.findIndex((w) => w.token === token);
      if (s >= 0) {
        const [sender] = queue.senders.splice(s, 1);
        this.ctx.emit({ kind: "msgsnd", waiter: token, pid: sender!.caller.pid, result: fail(errno) });
        return true;
      }
      const r = queue.receivers.findIndex((w) => w.token === token);
      if (r >= 0) {
        const [receiver] = queue.receivers.splice(r, 1);
        this.ctx.emit({ kind: "msgrcv", waiter: token, pid: receiver!.caller.pid, result: fail(errno) });
        return true;
      }
    }
    return false;
  }

  /** A process that exits stops waiting, silently. */
  exitProcess(pid: number): void {
    for (const queue of this.#table.values()) {
      for (let i = queue.senders.length - 1; i >= 0; i--)
        if (queue.senders[i]!.caller.pid === pid) queue.senders.splice(i, 1);
      for (let i = queue.receivers.length - 1; i >= 0; i--) {
        if (queue.receivers[i]!.caller.pid === pid) queue.receivers.splice(i, 1);
      }
    }
  }

  /** For invariant checks: byte counts and waiters that could proceed now. */
  *inspect(): IterableIterator<{
    id: number;
    cbytes: number;
    textBytes: number;
    qbytes: number;
    qnum: number;
    readySenders: number;
    readyReceivers: number;
  }> {
    for (const q of this.#table.values()) {
      const textBytes = q.messages.reduce((sum, m) => sum + m.mtext.length, 0);
      const readySenders = q.senders.filter((s) => fits(q, s.message.mtext.length)).length;
      const readyReceivers = q.receivers.filter((r) => findMessage(q.messages, r.search, r.msgtyp) >= 0).length;
      yield {
        id: q.id,
        cbytes: q.cbytes,
        textBytes,
        qbytes: q.qbytes,
        qnum: q.messages.length,
        readySenders,
        readyReceivers,
      };
    }
  }
}

/** msg_fits_inqueue(): the bytes, and the count of messages, both within msg_qbytes. */
function fits(queue: Queue, size: number): boolean {
  return queue.cbytes + size <= queue.qbytes && queue.messages.length + 1 <= queue.qbytes;
}

/** convert_mode(): 0 any; > 0 that type (MSG_EXCEPT: any other); < 0 the lowest type <= |msgtyp|. */
function searchOf(msgtyp: number, msgflg: number): [Search, number] {
  if (msgtyp === 0) return ["any", 0];
  if (msgtyp < 0) return ["less-equal", msgtyp === LONG_MIN ? LONG_MAX : -msgtyp];
  return [msgflg & MSG_EXCEPT ? "not-equal" : "equal", msgtyp];
}

function selects(search: Search, msgtyp: number, mtype: number): boolean {
  switch (search) {
    case "any":
      return true;
    case "equal":
      return mtype === msgtyp;
    case "not-equal":
      return mtype !== msgtyp;
    case "less-equal":
      return mtype <= msgtyp;
  }
}

/** find_msg(): the first selected message; for "less-equal" the first of the lowest type. */
function findMessage(messages: readonly Message[], search: Search, msgtyp: number): number {
  if (search !== "less-equal") return messages.findIndex((m) => selects(search, msgtyp, m.mtype));
  let found = -1;
  for (let i = 0; i < messages.length; i++) {
    const type = messages[i]!.mtype;
    if (type <= msgtyp && (found < 0 || type < messages[found]!.mtype)) found = i;
  }
  return found;
}

function cut(message: Message, size: number): Received {
  return { mtype: message.mtype, mtext: size < message.mtext.length ? message.mtext.slice(0, size) : message.mtext };
}
