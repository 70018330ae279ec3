/**
 * The Sysv interface (sysv.idl) implemented over the pure core: what the
 * sysvd daemon's dispatcher calls. It turns each request into a core call
 * with the caller's identity, answers at once when the core does, and
 * answers a blocked call with a promise that the completion event of a
 * later call settles, so the serve thread that holds it waits while other
 * threads serve other clients.
 *
 * Identity comes from `identify(call)`: the daemon maps the cookie of the
 * caller's reference to what the process manager set up for that client,
 * never to anything in the message. A call it cannot identify is EACCES.
 * Shared memory answers ENOSYS, and so do the lease paths of msgsnd and
 * msgrcv, until the kernel has memory objects and leases.
 */
import * as rt from "doorkit/runtime";
import type * as idl from "../../gen/examples/sysv/sysv.js";
import { MSG_INLINE, SEMS_INLINE } from "../../gen/examples/sysv/sysv.js";
import { EACCES, EINTR, EINVAL, ENOSYS, GETALL, GETNCNT, GETPID, GETVAL, GETZCNT } from "./core/index.js";
import { IPC_RMID, IPC_SET, IPC_STAT, SETALL, SETVAL, SysV } from "./core/index.js";
import type { Caller, IpcPerm, Outcome, Result, SemctlValue, SysvEvent, Timespec, WaiterToken } from "./core/index.js";

/** The daemon's limits: Linux's, but GETALL/SETALL and message texts travel inline. */
export const DAEMON_LIMITS = { semmsl: SEMS_INLINE, msgmax: MSG_INLINE } as const;

export interface ServiceOptions {
  /** The caller's identity from its reference's cookie; undefined when unknown. */
  readonly identify: (call: rt.Call) => Caller | undefined;
  /** Runs `fire` after `ms` milliseconds; returns a function that stops it. */
  readonly timer: (ms: number, fire: () => void) => () => void;
  /** Seconds since the epoch, for the *_time fields. */
  readonly now?: () => number;
  /** Asks to be told when process `pid` exits (processExited); 0 or the errno. Without it attach is ENOSYS. */
  readonly watch?: (pid: number, call: rt.Call) => Promise<number>;
}

type Plain = { retval: number; errno?: number };

interface WaitReply<R, T> {
  done(value: T): R;
  error?(errno: number): R;
  readonly timeout?: Timespec;
}

interface Pending {
  readonly pid: number;
  settle(event: SysvEvent<never> | null): void;
  stopTimer?: () => void;
}

const failed = (errno: number) => ({ retval: -1, errno });

export class SysvService implements idl.SysvServer {
  readonly #core: SysV<never>;
  readonly #pending = new Map<WaiterToken, Pending>();
  /** Attached process ids and the pid the caller's identity carries. */
  readonly #attached = new Map<number, number>();
  #blocked = false;

  constructor(private readonly options: ServiceOptions) {
    this.#core = new SysV({ limits: DAEMON_LIMITS, now: options.now });
  }

  /**
   * Whether the last call returned a promise that waits on another client
   * (a blocked semop, msgsnd or msgrcv), and clears it: the daemon keeps
   * such a call's thread waiting, while promises of its own kernel calls
   * need no help.
   */
  takeBlocked(): boolean {
    const blocked = this.#blocked;
    this.#blocked = false;
    return blocked;
  }

  /** The process manager said `pid` exited: its waits end, its undo applies, its segments detach. */
  processExited(exited: number): void {
    const pid = this.#attached.get(exited) ?? exited;
    this.#attached.delete(exited);
    this.#core.exitProcess(pid);
    for (const [token, pending] of this.#pending) {
      if (pending.pid !== pid) continue;
      this.#pending.delete(token);
      pending.stopTimer?.();
      pending.settle(null);
    }
    this.#drain();
  }

  async attach({ pid }: idl.SysvAttachRequest, call: rt.Call): Promise<Plain> {
    const who = this.options.identify(call);
    if (who === undefined) return failed(EACCES);
    if (this.options.watch === undefined) return failed(ENOSYS);
    const errno = await this.options.watch(pid, call);
    if (errno !== 0) return failed(errno);
    this.#attached.set(pid, who.pid);
    return { retval: 0 };
  }

  limits(): idl.SysvLimitsReply {
    return { limits: { ...this.#core.limits } };
  }

  semget({ key, nsems, semflg }: idl.SysvSemgetRequest, call: rt.Call): Plain {
    return this.#plain(call, (who) => this.#core.sem.semget(who, key, nsems, semflg));
  }

  semop({ semid, sops }: idl.SysvSemopRequest, call: rt.Call): rt.Answer<Plain> {
    return this.#wait(call, (who) => this.#core.sem.semop(who, semid, sops), { done: () => ({ retval: 0 }) });
  }

  semtimedop({ semid, sops, timeout }: idl.SysvSemtimedopRequest, call: rt.Call): rt.Answer<Plain> {
    const run = (who: Caller) => this.#core.sem.semop(who, semid, sops, timeout);
    return this.#wait(call, run, { done: () => ({ retval: 0 }), timeout });
  }

  semctl({ semid, semnum, cmd, val }: idl.SysvSemctlRequest, call: rt.Call): Plain {
    // Only the integer commands travel here; the others have their own methods.
    const integer = [IPC_RMID, GETVAL, SETVAL, GETPID, GETNCNT, GETZCNT].includes(cmd);
    return this.#plain(call, (who) =>
      integer ? valueOf(this.#core.sem.semctl(who, semid, semnum, cmd, { val })) : { kind: "error", errno: EINVAL },
    );
  }

  semctl_stat({ semid }: idl.SysvSemctlStatRequest, call: rt.Call): idl.SysvSemctlStatReply {
    const who = this.options.identify(call);
    const r = who === undefined ? undefined : this.#core.sem.semctl(who, semid, 0, IPC_STAT);
    this.#drain();
    if (r?.kind === "ok" && r.value.kind === "stat") {
      const { perm, otime, ctime, nsems } = r.value.stat;
      return { retval: 0, ds: { perm: permOf(perm), otime, ctime, nsems } };
    }
    const errno = r === undefined ? EACCES : r.kind === "error" ? r.errno : EINTR;
    return { ...failed(errno), ds: { perm: permOf(undefined), otime: 0, ctime: 0, nsems: 0 } };
  }

  semctl_set({ semid, perm }: idl.SysvSemctlSetRequest, call: rt.Call): Plain {
    return this.#plain(call, (who) => valueOf(this.#core.sem.semctl(who, semid, 0, IPC_SET, { set: perm })));
  }

  semctl_getall({ semid }: idl.SysvSemctlGetallRequest, call: rt.Call): idl.SysvSemctlGetallReply {
    const who = this.options.identify(call);
    if (who === undefined) return { ...failed(EACCES), values: [] };
    const r = this.#core.sem.semctl(who, semid, 0, GETALL);
    this.#drain();
    if (r.kind === "ok" && r.value.kind === "values") return { retval: 0, values: [...r.value.values] };
    return { ...failed(r.kind === "error" ? r.errno : EINTR), values: [] };
  }

  semctl_setall({ semid, values }: idl.SysvSemctlSetallRequest, call: rt.Call): Plain {
    return this.#plain(call, (who) => valueOf(this.#core.sem.semctl(who, semid, 0, SETALL, { array: values })));
  }

  msgget({ key, msgflg }: idl.SysvMsggetRequest, call: rt.Call): Plain {
    return this.#plain(call, (who) => this.#core.msg.msgget(who, key, msgflg));
  }

  msgsnd({ msqid, mtype, msgflg, text }: idl.SysvMsgsndRequest, call: rt.Call): rt.Answer<Plain> {
    return this.#wait(call, (who) => this.#core.msg.msgsnd(who, msqid, mtype, text, msgflg), {
      done: () => ({ retval: 0 }),
    });
  }

  msgrcv({ msqid, msgsz, msgtyp, msgflg }: idl.SysvMsgrcvRequest, call: rt.Call): rt.Answer<idl.SysvMsgrcvReply> {
    // Texts are at most MSGMAX = MSG_INLINE bytes here, so every received text fits the reply.
    return this.#wait(call, (who) => this.#core.msg.msgrcv(who, msqid, msgsz, msgtyp, msgflg), {
      done: (m): idl.SysvMsgrcvReply => ({ retval: m.mtext.length, mtype: m.mtype, text: m.mtext }),
      error: (errno) => ({ ...failed(errno), mtype: 0, text: new Uint8Array(0) }),
    });
  }

  msgsnd_lease(): Plain {
    return failed(ENOSYS);
  }

  msgrcv_lease(): idl.SysvMsgrcvLeaseReply {
    return { ...failed(ENOSYS), mtype: 0 };
  }

  msgctl({ msqid, cmd }: idl.SysvMsgctlRequest, call: rt.Call): Plain {
    return this.#plain(call, (who) =>
      cmd === IPC_RMID ? doneOf(this.#core.msg.msgctl(who, msqid, cmd)) : { kind: "error", errno: EINVAL },
    );
  }

  msgctl_stat({ msqid }: idl.SysvMsgctlStatRequest, call: rt.Call): idl.SysvMsgctlStatReply {
    const who = this.options.identify(call);
    const r = who === undefined ? undefined : this.#core.msg.msgctl(who, msqid, IPC_STAT);
    if (r?.kind === "ok" && r.value.kind === "stat") {
      const { perm, ...rest } = r.value.stat;
      return { retval: 0, ds: { perm: permOf(perm), ...rest } };
    }
    const zero = { stime: 0, rtime: 0, ctime: 0, cbytes: 0, qnum: 0, qbytes: 0, lspid: 0, lrpid: 0 };
    return {
      ...failed(r === undefined ? EACCES : r.kind === "error" ? r.errno : EINTR),
      ds: { perm: permOf(undefined), ...zero },
    };
  }

  msgctl_set({ msqid, perm, qbytes }: idl.SysvMsgctlSetRequest, call: rt.Call): Plain {
    return this.#plain(call, (who) => doneOf(this.#core.msg.msgctl(who, msqid, IPC_SET, { perm, qbytes })));
  }

  shmget(): Plain {
    return failed(ENOSYS);
  }

  shmat(): never {
    throw new rt.ReplyError(ENOSYS, "shared memory needs the kernel's memory objects");
  }

  shmdt(): Plain {
    return failed(ENOSYS);
  }

  shmctl(): Plain {
    return failed(ENOSYS);
  }

  shmctl_stat(): idl.SysvShmctlStatReply {
    const ds = { perm: permOf(undefined), segsz: 0, atime: 0, dtime: 0, ctime: 0, cpid: 0, lpid: 0, nattch: 0 };
    return { ...failed(ENOSYS), ds };
  }

  shmctl_set(): Plain {
    return failed(ENOSYS);
  }

  /** A call that never waits: its result as retval, or -1 and the errno. */
  #plain(call: rt.Call, run: (who: Caller) => Result<number>): Plain {
    const who = this.options.identify(call);
    if (who === undefined) return failed(EACCES);
    const r = run(who);
    this.#drain();
    return r.kind === "ok" ? { retval: r.value } : failed(r.errno);
  }

  /**
   * A call that may wait: an answer now, or a promise the completion event
   * settles; with a timeout, a timer cancels the wait (EAGAIN).
   */
  #wait<R, T>(call: rt.Call, run: (who: Caller) => Outcome<T>, reply: WaitReply<R, T>): rt.Answer<R> {
    const error = reply.error ?? ((errno: number) => failed(errno) as R);
    const who = this.options.identify(call);
    if (who === undefined) return error(EACCES);
    const outcome = run(who);
    this.#drain();
    if (outcome.kind === "ok") return reply.done(outcome.value);
    if (outcome.kind === "error") return error(outcome.errno);
    const token = outcome.waiter;
    this.#blocked = true;
    return new Promise<R>((resolve) => {
      const pending: Pending = {
        pid: who.pid,
        settle: (event) => {
          if (event === null || event.kind === "shm-destroyed") return resolve(error(EINTR));
          const result = event.result as Result<T>;
          resolve(result.kind === "ok" ? reply.done(result.value) : error(result.errno));
        },
      };
      if (reply.timeout !== undefined) {
        pending.stopTimer = this.options.timer(reply.timeout.sec * 1000 + reply.timeout.nsec / 1e6, () => {
          this.#core.cancel(token, "timeout");
          this.#drain();
        });
      }
      this.#pending.set(token, pending);
    });
  }

  /** Settles the waits the last core call ended. */
  #drain(): void {
    for (const event of this.#core.takeEvents()) {
      if (event.kind === "shm-destroyed") continue;
      const pending = this.#pending.get(event.waiter);
      if (pending === undefined) continue;
      this.#pending.delete(event.waiter);
      pending.stopTimer?.();
      pending.settle(event);
    }
  }
}

function valueOf(r: Result<SemctlValue>): Result<number> {
  if (r.kind === "error") return r;
  return r.value.kind === "value" ? { kind: "ok", value: r.value.value } : { kind: "ok", value: 0 };
}

function doneOf(r: Result<unknown>): Result<number> {
  return r.kind === "error" ? r : { kind: "ok", value: 0 };
}

function permOf(perm: IpcPerm | undefined): idl.IpcPerm {
  return perm === undefined ? { key: 0, uid: 0, gid: 0, cuid: 0, cgid: 0, mode: 0, seq: 0 } : { ...perm };
}
