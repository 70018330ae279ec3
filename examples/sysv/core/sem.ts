/**
 * Semaphore sets: semget, semop/semtimedop, semctl, SEM_UNDO at exit.
 * Follows Linux's ipc/sem.c; where the order of checks matters the
 * comment names the function it comes from. Waiting operations stay in one
 * FIFO per set; after every change the set is brought to a fixed point in
 * which no waiting operation could complete (Linux's update_queue with its
 * restart rule, over the merged queue it uses for complex operations).
 */
import { GETALL, GETNCNT, GETPID, GETVAL, GETZCNT, IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT } from "./constants.js";
import { S_IRUGO, S_IWUGO, SEMAEM, SEMVMX, SEM_UNDO, SETALL, SETVAL } from "./constants.js";
import { E2BIG, EACCES, EAGAIN, EFAULT, EFBIG, EIDRM, EINVAL, ENOSPC, EPERM, ERANGE } from "./errno.js";
import type { Context } from "./events.js";
import { IdTable, ipcget } from "./id-table.js";
import { hasAccess, isValidId, mayControl, newPerm, snapshotPerm, updatePerm } from "./ipc-perm.js";
import type { Caller, IpcPerm, PermSet, PermState } from "./ipc-perm.js";
import { blocked, fail, ok, type Outcome, type Result, type WaiterToken } from "./result.js";

/** One operation of semop(2). */
export interface SemBuf {
  /** Semaphore number, 0 .. nsems - 1. */
  readonly num: number;
  /** Added to the value; 0 waits for zero. */
  readonly op: number;
  /** IPC_NOWAIT, SEM_UNDO. */
  readonly flg: number;
}

/** semtimedop's relative timeout. */
export interface Timespec {
  readonly sec: number;
  readonly nsec: number;
}

export interface SemidDs {
  readonly perm: IpcPerm;
  readonly otime: number;
  readonly ctime: number;
  readonly nsems: number;
}

/** semctl's argument (union semun): what SETVAL, SETALL and IPC_SET read. */
export interface SemArg {
  readonly val?: number;
  readonly array?: readonly number[];
  readonly set?: PermSet;
}

export type SemctlValue =
  | { readonly kind: "value"; readonly value: number }
  | { readonly kind: "values"; readonly values: readonly number[] }
  | { readonly kind: "stat"; readonly stat: SemidDs };

interface SemWaiter {
  readonly token: WaiterToken;
  readonly pid: number;
  readonly sops: readonly SemBuf[];
  readonly alter: boolean;
  /** The operation it waits on (q->blocking), what GETNCNT and GETZCNT count. */
  blocking: SemBuf;
}

interface SemSet {
  readonly id: number;
  readonly perm: PermState;
  readonly values: number[];
  /** Pid of the last process to operate on each semaphore (sempid). */
  readonly pids: number[];
  otime: number;
  ctime: number;
  /** Waiting operations, oldest first. */
  readonly pending: SemWaiter[];
  /** Each process's SEM_UNDO adjustments (semadj) for this set. */
  readonly undos: Map<number, number[]>;
}

type Attempt =
  | { readonly kind: "done" }
  | { readonly kind: "error"; readonly errno: number }
  | { readonly kind: "wait"; readonly on: SemBuf };

export class Semaphores<M> {
  readonly #table: IdTable<SemSet>;
  /** Semaphores in all sets (used_sems), against SEMMNS. */
  #used = 0;

  constructor(private readonly ctx: Context<M>) {
    this.#table = new IdTable<SemSet>(() => ctx.limits.semmni);
  }

  /** semget(2). ksys_semget checks nsems against SEMMSL before the key. */
  semget(caller: Caller, key: number, nsems: number, semflg: number): Result<number> {
    if (!Number.isInteger(nsems) || nsems < 0 || nsems > this.ctx.limits.semmsl) return fail(EINVAL);
    return ipcget(this.#table, caller, key, semflg, {
      create: () => this.#create(caller, key, nsems, semflg),
      moreChecks: (set) => (nsems > set.values.length ? EINVAL : 0),
    });
  }

  /** newary(): nsems 0 only opens an existing set; SEMMNS bounds all sets together. */
  #create(caller: Caller, key: number, nsems: number, semflg: number): Result<SemSet> {
    if (nsems === 0) return fail(EINVAL);
    if (this.#used + nsems > this.ctx.limits.semmns) return fail(ENOSPC);
    const made = this.#table.add((id, seq) => ({
      id,
      perm: newPerm(caller, key, semflg, seq),
      values: new Array<number>(nsems).fill(0),
      pids: new Array<number>(nsems).fill(0),
      otime: 0,
      ctime: this.ctx.now(),
      pending: [],
      undos: new Map(),
    }));
    if (made.kind === "ok") this.#used += nsems;
    return made;
  }

  /**
   * semop(2) and semtimedop(2), in do_semtimedop's order: nsops and semid
   * (EINVAL), SEMOPM (E2BIG), the timeout (EINVAL), the set (EINVAL),
   * sem_num (EFBIG), access (EACCES); then all operations or none.
   */
  semop(caller: Caller, semid: number, sops: readonly SemBuf[], timeout?: Timespec): Outcome<0> {
    if (sops.length < 1 || semid < 0) return fail(EINVAL);
    if (sops.length > this.ctx.limits.semopm) return fail(E2BIG);
    if (timeout !== undefined && !validTimeout(timeout)) return fail(EINVAL);
    let max = 0;
    let alter = false;
    let undo = false;
    for (const sop of sops) {
      if (sop.num < 0) return fail(EFBIG);
      max = Math.max(max, sop.num);
      alter ||= sop.op !== 0;
      undo ||= (sop.flg & SEM_UNDO) !== 0;
    }
    const set = this.#table.find(semid);
    if (set === undefined) return fail(EINVAL);
    if (max >= set.values.length) return fail(EFBIG);
    if (!hasAccess(caller, set.perm, alter ? S_IWUGO : S_IRUGO)) return fail(EACCES);
    if (undo && !set.undos.has(caller.pid)) set.undos.set(caller.pid, new Array<number>(set.values.length).fill(0));

    const attempt = this.#perform(set, sops, caller.pid);
    switch (attempt.kind) {
      case "done":
        set.otime = this.ctx.now();
        if (alter) this.#update(set);
        return ok(0);
      case "error":
        return fail(attempt.errno);
      case "wait": {
        // A zero timeout expires at once (schedule_hrtimeout with 0).
        if (timeout !== undefined && timeout.sec === 0 && timeout.nsec === 0) return fail(EAGAIN);
        const token = this.ctx.newToken();
        set.pending.push({ token, pid: caller.pid, sops, alter, blocking: attempt.on });
        return blocked(token);
      }
    }
  }

  /**
   * perform_atomic_semop_slow(): the operations in order, each seeing the
   * ones before it; the first that would block (or the first out of range:
   * ERANGE) undoes the ones already applied. A blocking operation with
   * IPC_NOWAIT gives EAGAIN.
   */
  #perform(set: SemSet, sops: readonly SemBuf[], pid: number): Attempt {
    const adj = set.undos.get(pid);
    let i = 0;
    let outcome: Attempt = { kind: "done" };
    for (; i < sops.length; i++) {
      const sop = sops[i]!;
      const value = set.values[sop.num]!;
      const next = value + sop.op;
      if ((sop.op === 0 && value !== 0) || next < 0) {
        outcome = sop.flg & IPC_NOWAIT ? { kind: "error", errno: EAGAIN } : { kind: "wait", on: sop };
        break;
      }
      if (next > SEMVMX) {
        outcome = { kind: "error", errno: ERANGE };
        break;
      }
      if (sop.flg & SEM_UNDO) {
        const adjusted = adj![sop.num]! - sop.op;
        if (adjusted < -SEMAEM - 1 || adjusted > SEMAEM) {
          outcome = { kind: "error", errno: ERANGE };
          break;
        }
        adj![sop.num] = adjusted;
      }
      set.values[sop.num] = next;
    }
    if (outcome.kind === "done") {
      for (const sop of sops) set.pids[sop.num] = pid;
      return outcome;
    }
    for (i--; i >= 0; i--) {
      const sop = sops[i]!;
      set.values[sop.num]! -= sop.op;
      if (sop.flg & SEM_UNDO) adj![sop.num]! += sop.op;
    }
    return outcome;
  }

  /**
   * Completes every waiting operation that can now complete: waits for zero
   * first, then altering operations oldest first, starting over after each
   * one that changed the values; an operation that now fails (ERANGE,
   * EAGAIN) completes with that error.
   */
  #update(set: SemSet): void {
    for (;;) {
      this.#retry(set, /* alter */ false);
      if (!this.#retry(set, /* alter */ true)) return;
    }
  }

  /** One pass over the waiters of one kind; true when an altering operation succeeded. */
  #retry(set: SemSet, alter: boolean): boolean {
    for (let i = 0; i < set.pending.length;) {
      const waiter = set.pending[i]!;
      if (waiter.alter !== alter) {
        i++;
        continue;
      }
      const attempt = this.#perform(set, waiter.sops, waiter.pid);
      if (attempt.kind === "wait") {
        waiter.blocking = attempt.on;
        i++;
        continue;
      }
      set.pending.splice(i, 1);
      if (attempt.kind === "error") {
        this.ctx.emit({ kind: "semop", waiter: waiter.token, pid: waiter.pid, result: fail(attempt.errno) });
        continue;
      }
      set.otime = this.ctx.now();
      this.ctx.emit({ kind: "semop", waiter: waiter.token, pid: waiter.pid, result: ok(0) });
      if (alter) return true;
    }
    return false;
  }

  /** semctl(2), dispatched as ksys_semctl does; an unknown command is EINVAL. */
  semctl(caller: Caller, semid: number, semnum: number, cmd: number, arg: SemArg = {}): Result<SemctlValue> {
    if (semid < 0) return fail(EINVAL);
    switch (cmd) {
      case IPC_STAT: {
        const set = this.#table.find(semid);
        if (set === undefined) return fail(EINVAL);
        if (!hasAccess(caller, set.perm, S_IRUGO)) return fail(EACCES);
        return ok({ kind: "stat", stat: this.#stat(set) });
      }
      case GETALL:
      case GETVAL:
      case GETPID:
      case GETNCNT:
      case GETZCNT:
      case SETALL:
        return this.#semctlMain(caller, semid, semnum, cmd, arg);
      case SETVAL:
        return this.#setval(caller, semid, semnum, arg.val ?? 0);
      case IPC_SET:
      case IPC_RMID:
        return this.#semctlDown(caller, semid, cmd, arg);
      default:
        return fail(EINVAL);
    }
  }

  /** semctl_main(): the set, access (SETALL writes), SETALL's values (ERANGE), then semnum (EINVAL). */
  #semctlMain(caller: Caller, semid: number, semnum: number, cmd: number, arg: SemArg): Result<SemctlValue> {
    const set = this.#table.find(semid);
    if (set === undefined) return fail(EINVAL);
    if (!hasAccess(caller, set.perm, cmd === SETALL ? S_IWUGO : S_IRUGO)) return fail(EACCES);
    const nsems = set.values.length;
    if (cmd === GETALL) return ok({ kind: "values", values: set.values.slice() });
    if (cmd === SETALL) {
      // The kernel reads nsems values from the caller's array: a shorter one runs past it.
      const array = arg.array ?? [];
      if (array.length < nsems) return fail(EFAULT);
      for (let i = 0; i < nsems; i++) if (!(array[i]! >= 0 && array[i]! <= SEMVMX)) return fail(ERANGE);
      for (let i = 0; i < nsems; i++) {
        set.values[i] = array[i]!;
        set.pids[i] = caller.pid;
      }
      for (const adj of set.undos.values()) adj.fill(0);
      set.ctime = this.ctx.now();
      this.#update(set);
      return ok({ kind: "value", value: 0 });
    }
    if (!Number.isInteger(semnum) || semnum < 0 || semnum >= nsems) return fail(EINVAL);
    switch (cmd) {
      case GETVAL:
        return ok({ kind: "value", value: set.values[semnum]! });
      case GETPID:
        return ok({ kind: "value", value: set.pids[semnum]! });
      case GETNCNT:
        return ok({ kind: "value", value: countWaiting(set, semnum, (op) => op < 0) });
      default:
        return ok({ kind: "value", value: countWaiting(set, semnum, (op) => op === 0) });
    }
  }

  /** semctl_setval(): the value first (ERANGE, before the id), then the set, semnum, access. */
  #setval(caller: Caller, semid: number, semnum: number, val: number): Result<SemctlValue> {
    if (!(val >= 0 && val <= SEMVMX)) return fail(ERANGE);
    const set = this.#table.find(semid);
    if (set === undefined) return fail(EINVAL);
    if (!Number.isInteger(semnum) || semnum < 0 || semnum >= set.values.length) return fail(EINVAL);
    if (!hasAccess(caller, set.perm, S_IWUGO)) return fail(EACCES);
    for (const adj of set.undos.values()) adj[semnum] = 0;
    set.values[semnum] = val;
    set.pids[semnum] = caller.pid;
    set.ctime = this.ctx.now();
    this.#update(set);
    return ok({ kind: "value", value: 0 });
  }

  /** semctl_down(): the set (EINVAL), creator or owner (EPERM), then IPC_SET or IPC_RMID. */
  #semctlDown(caller: Caller, semid: number, cmd: number, arg: SemArg): Result<SemctlValue> {
    const set = this.#table.find(semid);
    if (set === undefined) return fail(EINVAL);
    if (!mayControl(caller, set.perm)) return fail(EPERM);
    if (cmd === IPC_RMID) {
      this.#remove(set);
      return ok({ kind: "value", value: 0 });
    }
    if (arg.set === undefined) return fail(EFAULT);
    if (!isValidId(arg.set.uid) || !isValidId(arg.set.gid)) return fail(EINVAL);
    updatePerm(set.perm, arg.set);
    set.ctime = this.ctx.now();
    return ok({ kind: "value", value: 0 });
  }

  /** freeary(): every waiter gets EIDRM; the undo adjustments go with the set. */
  #remove(set: SemSet): void {
    this.#table.remove(set);
    this.#used -= set.values.length;
    for (const waiter of set.pending.splice(0)) {
      this.ctx.emit({ kind: "semop", waiter: waiter.token, pid: waiter.pid, result: fail(EIDRM) });
    }
  }

  #stat(set: SemSet): SemidDs {
    return { perm: snapshotPerm(set.perm), otime: set.otime, ctime: set.ctime, nsems: set.values.length };
  }

  /** Ends a wait with `errno` (EAGAIN for a timeout, EINTR for a signal); false when it is not waiting here. */
  cancel(token: WaiterToken, errno: number): boolean {
    for (const set of this.#table.values()) {
      const at = set.pending.findIndex((w) => w.token === token);
      if (at < 0) continue;
      const [waiter] = set.pending.splice(at, 1);
      this.ctx.emit({ kind: "semop", waiter: token, pid: waiter!.pid, result: fail(errno) });
      return true;
    }
    return false;
  }

  /**
   * exit_sem(): the process's waits vanish without a trace, then its
   * adjustments are added to each set, the result clamped to 0 .. SEMVMX
   * as Linux does, and waiters that can now run complete.
   */
  exitProcess(pid: number): void {
    for (const set of this.#table.values()) {
      for (let i = set.pending.length - 1; i >= 0; i--) if (set.pending[i]!.pid === pid) set.pending.splice(i, 1);
      const adj = set.undos.get(pid);
      if (adj === undefined) continue;
      set.undos.delete(pid);
      let changed = false;
      for (let i = 0; i < adj.length; i++) {
        if (adj[i] === 0) continue;
        set.values[i] = Math.min(SEMVMX, Math.max(0, set.values[i]! + adj[i]!));
        set.pids[i] = pid;
        changed = true;
      }
      if (changed) this.#update(set);
    }
  }

  /** For invariant checks: every set's values, waiters and whether any waiter could run now. */
  *inspect(): IterableIterator<{
    id: number;
    values: readonly number[];
    waiting: number;
    runnable: number;
  }> {
    for (const set of this.#table.values()) {
      let runnable = 0;
      for (const waiter of set.pending) if (wouldComplete(set, waiter.sops, waiter.pid)) runnable++;
      yield {
        id: set.id,
        values: set.values.slice(),
        waiting: set.pending.length,
        runnable,
      };
    }
  }
}

function validTimeout(t: Timespec): boolean {
  return t.sec >= 0 && t.nsec >= 0 && t.nsec < 1_000_000_000;
}

/** count_semcnt(): waiters whose blocking operation is on `semnum` and of the kind asked. */
function countWaiting(set: SemSet, semnum: number, counts: (op: number) => boolean): number {
  let n = 0;
  for (const waiter of set.pending) if (waiter.blocking.num === semnum && counts(waiter.blocking.op)) n++;
  return n;
}

/** Whether `sops` would not block now (success or an error both end the wait); changes nothing. */
function wouldComplete(set: SemSet, sops: readonly SemBuf[], pid: number): boolean {
  const values = set.values.slice();
  const adj = set.undos.get(pid)?.slice();
  for (const sop of sops) {
    const value = values[sop.num]!;
    const next = value + sop.op;
    if ((sop.op === 0 && value !== 0) || next < 0) return (sop.flg & IPC_NOWAIT) !== 0;
    if (next > SEMVMX) return true;
    if (sop.flg & SEM_UNDO && adj !== undefined) {
      const adjusted = adj[sop.num]! - sop.op;
      if (adjusted < -SEMAEM - 1 || adjusted > SEMAEM) return true;
      adj[sop.num] = adjusted;
    }
    values[sop.num] = next;
  }
  return true;
}
