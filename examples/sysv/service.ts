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
 * Shared memory and the lease paths of msgsnd and msgrcv make kernel calls
 * on the calling thread (`kernelOf`): a segment is a SHARED memory object
 * the daemon creates at shmget and hands out at shmat (read-only through a
 * reference without WRITE for SHM_RDONLY); without `kernelOf` they answer
 * ENOSYS.
 */
import * as rt from "doorkit/runtime";
import type * as idl from "../../gen/examples/sysv/sysv.js";
import { MSG_INLINE, SEMS_INLINE } from "../../gen/examples/sysv/sysv.js";
import type { KernelCalls, UserMemory } from "../../emulator/program/program.js";
import { EACCES, EFAULT, EINTR, EINVAL, ENOSYS, GETALL, GETNCNT, GETPID, GETVAL, GETZCNT } from "./core/index.js";
import { IPC_RMID, IPC_SET, IPC_STAT, SETALL, SETVAL, SHM_LOCK, SHM_UNLOCK, SysV } from "./core/index.js";
import type { Caller, IpcPerm, Outcome, Received, Result, SemctlValue, ShmctlValue, SysvEvent } from "./core/index.js";
import type { Timespec, WaiterToken } from "./core/index.js";

/** The daemon's limits: Linux's, but GETALL/SETALL travel inline. */
export const DAEMON_LIMITS = { semmsl: SEMS_INLINE } as const;

/** A segment's memory object: the daemon's full reference and a mappable read-only one for SHM_RDONLY. */
export interface SegmentMemory {
  readonly rw: number;
  readonly ro: number;
}

/** What a serve thread lends the service for kernel calls on its own trap. */
export interface ThreadKernel {
  readonly kernel: KernelCalls;
  readonly memory: UserMemory;
  /** Address of MSGMAX bytes of the thread's own memory, where lease texts pass through. */
  readonly scratch: number;
}

const RIGHT_READ = 0x04;
const RIGHT_MAP = 0x10;
const MEM_SHARED = 1;

export interface ServiceOptions {
  /** The caller's identity from its reference's cookie; undefined when unknown. */
  readonly identify: (call: rt.Call) => Caller | undefined;
  /** Runs `fire` after `ms` milliseconds; returns a function that stops it. */
  readonly timer: (ms: number, fire: () => void) => () => void;
  /** Seconds since the epoch, for the *_time fields. */
  readonly now?: () => number;
  /** Asks to be told when process `pid` exits (processExited); 0 or the errno. Without it attach is ENOSYS. */
  readonly watch?: (pid: number, call: rt.Call) => Promise<number>;
  /** The calling thread's kernel calls; without it shared memory and lease texts are ENOSYS. */
  readonly kernelOf?: (call: rt.Call) => ThreadKernel | undefined;
  /**
   * Keeps the calling thread (the one in dispatch) until `settled` settles,
   * and resolves once that thread runs again, so what follows may make
   * kernel calls on it. Defaults to `settled` itself.
   */
  readonly hold?: <T>(call: rt.Call, settled: Promise<T>) => Promise<T>;
  /** Told, synchronously, that the waiting call `call` has just settled: its thread may be woken. */
  readonly settled?: (call: rt.Call) => void;
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
  readonly #core: SysV<SegmentMemory>;
  readonly #pending = new Map<WaiterToken, Pending>();
  /** Segments whose memory object is being made: shmat waits for it. */
  readonly #making = new Map<number, Promise<number>>();
  /** Memory of destroyed segments, for the daemon to close (takeReleased). */
  #released: SegmentMemory[] = [];
  /** Attached process ids and the pid the caller's identity carries. */
  readonly #attached = new Map<number, number>();
  #blocked = false;

  constructor(private readonly options: ServiceOptions) {
    this.#core = new SysV<SegmentMemory>({ limits: DAEMON_LIMITS, now: options.now });
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

  /** Whether takeReleased has anything. */
  hasReleased(): boolean {
    return this.#released.length > 0;
  }

  /** Memory objects of segments destroyed since the last take: the daemon closes their references. */
  takeReleased(): SegmentMemory[] {
    const released = this.#released;
    this.#released = [];
    return released;
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
    // At most MSG_INLINE bytes travel back inline: a longer text is E2BIG here (or cut, with MSG_NOERROR).
    const room = Math.min(msgsz, MSG_INLINE);
    return this.#wait(call, (who) => this.#core.msg.msgrcv(who, msqid, room, msgtyp, msgflg), {
      done: (m): idl.SysvMsgrcvReply => ({ retval: m.mtext.length, mtype: m.mtype, text: m.mtext }),
      error: (errno) => ({ ...failed(errno), mtype: 0, text: new Uint8Array(0) }),
    });
  }

  /** msgsnd(2) of a text the caller lends: read into the thread's scratch memory, then sent as msgsnd. */
  async msgsnd_lease({ msqid, mtype, msgflg, text }: idl.SysvMsgsndLeaseRequest, call: rt.Call): Promise<Plain> {
    const k = this.options.kernelOf?.(call);
    if (k === undefined) return failed(ENOSYS);
    const read = await this.#readLease(k, text);
    if (read.kind === "error") return failed(read.errno);
    return this.#wait(call, (who) => this.#core.msg.msgsnd(who, msqid, mtype, read.value, msgflg), {
      done: () => ({ retval: 0 }),
    });
  }

  /** The lease's bytes, up to MSGMAX + 1 (enough for msgsnd to refuse a longer text); the lease is closed. */
  async #readLease(k: ThreadKernel, lease: number): Promise<Result<Uint8Array>> {
    try {
      const info = await k.kernel.leaseInfo(lease);
      if (typeof info === "number") return { kind: "error", errno: -info };
      // do_msgsnd checks msgsz against msg_ctlmax before it copies anything.
      if (info.length > this.#core.limits.msgmax) return { kind: "error", errno: EINVAL };
      const n = await k.kernel.leaseRead(lease, 0, k.scratch, info.length);
      if (n < 0) return { kind: "error", errno: EFAULT };
      return { kind: "ok", value: k.memory.readBytes(k.scratch, n) };
    } finally {
      await k.kernel.descClose(lease);
    }
  }

  /** msgrcv(2) into the caller's lease: msgsz is its length; the text goes through the thread's scratch memory. */
  async msgrcv_lease(
    { msqid, msgtyp, msgflg, text }: idl.SysvMsgrcvLeaseRequest,
    call: rt.Call,
  ): Promise<idl.SysvMsgrcvLeaseReply> {
    const k = this.options.kernelOf?.(call);
    if (k === undefined) return { ...failed(ENOSYS), mtype: 0 };
    try {
      const info = await k.kernel.leaseInfo(text);
      if (typeof info === "number") return { ...failed(-info), mtype: 0 };
      const got = await this.#wait(call, (who) => this.#core.msg.msgrcv(who, msqid, info.length, msgtyp, msgflg), {
        done: (m): Received | Plain => m,
        error: (errno) => failed(errno),
      });
      if (!("mtext" in got)) return { ...got, mtype: 0 };
      k.memory.writeBytes(k.scratch, got.mtext);
      // As Linux's store_msg: the message is taken even when the copy out fails.
      const n = await k.kernel.leaseWrite(text, 0, k.scratch, got.mtext.length);
      if (n !== got.mtext.length) return { ...failed(EFAULT), mtype: 0 };
      return { retval: n, mtype: got.mtype };
    } finally {
      await k.kernel.descClose(text);
    }
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

  /**
   * shmget(2): a new segment gets a SHARED memory object of its size, made
   * before the reply; when the kernel cannot make it the segment is taken
   * back and the errno (ENOMEM, ENOSPC) is the answer.
   */
  async shmget({ key, size, shmflg }: idl.SysvShmgetRequest, call: rt.Call): Promise<Plain> {
    const who = this.options.identify(call);
    if (who === undefined) return failed(EACCES);
    const k = this.options.kernelOf?.(call);
    if (k === undefined) return failed(ENOSYS);
    const r = this.#core.shm.shmget(who, key, size, shmflg);
    this.#drain();
    if (r.kind === "error") return failed(r.errno);
    const id = r.value;
    let making = this.#making.get(id);
    if (making === undefined && this.#core.shm.memoryOf(id) === undefined) {
      making = this.#makeMemory(k, id, size).finally(() => this.#making.delete(id));
      this.#making.set(id, making);
    }
    const errno = making === undefined ? 0 : await making;
    return errno === 0 ? { retval: id } : failed(errno);
  }

  /** A segment's memory object and its read-only reference; 0 or the errno (the segment is then discarded). */
  async #makeMemory(k: ThreadKernel, shmid: number, size: number): Promise<number> {
    const rw = await k.kernel.memCreate(size, MEM_SHARED);
    if (rw < 0) {
      this.#core.shm.discard(shmid);
      return -rw;
    }
    const ro = await k.kernel.descDup(rw, RIGHT_READ | RIGHT_MAP);
    if (ro < 0) {
      await k.kernel.descClose(rw);
      this.#core.shm.discard(shmid);
      return -ro;
    }
    // A segment removed while its memory was being made keeps no memory.
    if (!this.#core.shm.setMemory(shmid, { rw, ro })) this.#released.push({ rw, ro });
    return 0;
  }

  /**
   * shmat(2): the segment's memory object (the read-only reference for
   * SHM_RDONLY), for the client to map; refusals are REPLY_ERROR since the
   * reply carries a descriptor.
   */
  async shmat({ shmid, addr, shmflg }: idl.SysvShmatRequest, call: rt.Call): Promise<idl.SysvShmatReply> {
    const who = this.options.identify(call);
    if (who === undefined) throw new rt.ReplyError(EACCES, "unknown caller");
    if (this.options.kernelOf?.(call) === undefined) throw new rt.ReplyError(ENOSYS, "no kernel calls");
    const making = this.#making.get(shmid);
    if (making !== undefined) await making;
    const r = this.#core.shm.shmat(who, shmid, addr, shmflg);
    this.#drain();
    if (r.kind === "error") throw new rt.ReplyError(r.errno, "shmat refused");
    const { attachment, memory, size, readonly, addr: at } = r.value;
    if (memory === undefined) {
      this.#core.shm.shmdt(who, attachment);
      this.#drain();
      throw new rt.ReplyError(EINVAL, "segment without memory");
    }
    return { memory: readonly ? memory.ro : memory.rw, attachment, size, addr: at };
  }

  shmdt({ attachment }: idl.SysvShmdtRequest, call: rt.Call): Plain {
    return this.#plain(call, (who) => this.#core.shm.shmdt(who, attachment));
  }

  shmctl({ shmid, cmd }: idl.SysvShmctlRequest, call: rt.Call): Plain {
    const integer = cmd === IPC_RMID || cmd === SHM_LOCK || cmd === SHM_UNLOCK;
    return this.#plain(call, (who) =>
      integer ? doneOf(this.#core.shm.shmctl(who, shmid, cmd)) : { kind: "error", errno: EINVAL },
    );
  }

  shmctl_stat({ shmid }: idl.SysvShmctlStatRequest, call: rt.Call): idl.SysvShmctlStatReply {
    const who = this.options.identify(call);
    const r: Result<ShmctlValue> | undefined =
      who === undefined ? undefined : this.#core.shm.shmctl(who, shmid, IPC_STAT);
    if (r?.kind === "ok" && r.value.kind === "stat") {
      const { perm, ...rest } = r.value.stat;
      return { retval: 0, ds: { perm: permOf(perm), ...rest } };
    }
    const ds = { perm: permOf(undefined), segsz: 0, atime: 0, dtime: 0, ctime: 0, cpid: 0, lpid: 0, nattch: 0 };
    return { ...failed(r === undefined ? EACCES : r.kind === "error" ? r.errno : EINTR), ds };
  }

  shmctl_set({ shmid, perm }: idl.SysvShmctlSetRequest, call: rt.Call): Plain {
    return this.#plain(call, (who) => doneOf(this.#core.shm.shmctl(who, shmid, IPC_SET, perm)));
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
    const settled = new Promise<R>((resolve) => {
      const pending: Pending = {
        pid: who.pid,
        settle: (event) => {
          this.options.settled?.(call);
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
    return this.options.hold === undefined ? settled : this.options.hold(call, settled);
  }

  /** Settles the waits the last core call ended. */
  #drain(): void {
    for (const event of this.#core.takeEvents()) {
      if (event.kind === "shm-destroyed") {
        if (event.memory !== undefined) this.#released.push(event.memory);
        continue;
      }
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
