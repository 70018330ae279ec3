/**
 * Semaphore sets, from semget(2), semop(2), semctl(2) and POSIX semop():
 * every call, flag and errno, the order of the checks, all-or-nothing
 * operations, waiting and waking, SEM_UNDO at exit, removal and death
 * while others wait.
 */
import { describe, expect, it } from "vitest";
import * as ipc from "../../../examples/sysv/core/index.js";
import { SysV, type Caller, type SemBuf } from "../../../examples/sysv/core/index.js";
import { alice, alice2, bob, completions, errno, root, value, waiter } from "./support.js";

const { GETALL, GETNCNT, GETPID, GETVAL, GETZCNT, IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, IPC_SET, IPC_STAT } =
  ipc;
const { SEMVMX, SEM_UNDO, SETALL, SETVAL } = ipc;

function op(num: number, o: number, flg = 0): SemBuf {
  return { num, op: o, flg };
}

/** A private set of `n` semaphores owned by alice, mode 0600 unless given. */
function setOf(n: number, mode = 0o600): [SysV, number] {
  const s = new SysV();
  return [s, value(s.sem.semget(alice, IPC_PRIVATE, n, mode))];
}

function get(s: SysV, id: number, cmd: number, semnum = 0, who: Caller = alice): number {
  const r = value(s.sem.semctl(who, id, semnum, cmd));
  if (r.kind !== "value") throw new Error("not a value");
  return r.value;
}

function all(s: SysV, id: number): readonly number[] {
  const r = value(s.sem.semctl(alice, id, 0, GETALL));
  if (r.kind !== "values") throw new Error("not values");
  return r.values;
}

describe("semget", () => {
  it("checks nsems against SEMMSL before looking the key up (EINVAL, not ENOENT)", () => {
    const s = new SysV();
    expect(errno(s.sem.semget(alice, 99, -1, 0))).toBe("EINVAL");
    expect(errno(s.sem.semget(alice, 99, ipc.SEMMSL + 1, 0))).toBe("EINVAL");
    expect(errno(s.sem.semget(alice, 99, 1, 0))).toBe("ENOENT");
    expect(errno(s.sem.semget(alice, 99, ipc.SEMMSL, IPC_CREAT | 0o600))).toBe("ok");
  });

  it("nsems 0 only opens an existing set; a larger nsems than the set has is EINVAL, before EACCES", () => {
    const s = new SysV();
    expect(errno(s.sem.semget(alice, IPC_PRIVATE, 0, 0o600))).toBe("EINVAL");
    const id = value(s.sem.semget(alice, 5, 2, IPC_CREAT | 0o600));
    expect(value(s.sem.semget(alice, 5, 0, 0))).toBe(id);
    expect(value(s.sem.semget(alice, 5, 1, 0))).toBe(id);
    expect(errno(s.sem.semget(alice, 5, 3, 0))).toBe("EINVAL");
    expect(errno(s.sem.semget(bob, 5, 3, 0o600))).toBe("EINVAL");
    expect(errno(s.sem.semget(bob, 5, 2, 0o600))).toBe("EACCES");
  });

  it("ENOSPC beyond SEMMNS semaphores in all sets; removal gives them back", () => {
    const s = new SysV({ limits: { semmns: 5 } });
    const a = value(s.sem.semget(alice, IPC_PRIVATE, 3, 0o600));
    expect(errno(s.sem.semget(alice, IPC_PRIVATE, 3, 0o600))).toBe("ENOSPC");
    value(s.sem.semget(alice, IPC_PRIVATE, 2, 0o600));
    value(s.sem.semctl(alice, a, 0, IPC_RMID));
    expect(errno(s.sem.semget(alice, IPC_PRIVATE, 3, 0o600))).toBe("ok");
  });

  it("a new set holds zeros (as Linux does) and IPC_STAT shows nsems and the times", () => {
    let clock = 1000;
    const s = new SysV({ now: () => clock });
    const id = value(s.sem.semget(alice, IPC_PRIVATE, 3, 0o600));
    expect(all(s, id)).toEqual([0, 0, 0]);
    const stat = () => {
      const r = value(s.sem.semctl(alice, id, 0, IPC_STAT));
      if (r.kind !== "stat") throw new Error("not a stat");
      return r.stat;
    };
    expect(stat()).toMatchObject({ nsems: 3, otime: 0, ctime: 1000 });
    clock = 2000;
    value(s.sem.semop(alice, id, [op(0, 1)]));
    expect(stat()).toMatchObject({ otime: 2000, ctime: 1000 });
    clock = 3000;
    value(s.sem.semctl(alice, id, 1, SETVAL, { val: 4 }));
    expect(stat()).toMatchObject({ otime: 2000, ctime: 3000 });
  });
});

describe("semop: checks, in order", () => {
  it("nsops < 1 or a negative id is EINVAL; more than SEMOPM is E2BIG even for an unknown id", () => {
    const [s, id] = setOf(1);
    expect(errno(s.sem.semop(alice, id, []))).toBe("EINVAL");
    expect(errno(s.sem.semop(alice, -1, [op(0, 1)]))).toBe("EINVAL");
    const many = Array.from({ length: ipc.SEMOPM + 1 }, () => op(0, 0));
    expect(errno(s.sem.semop(alice, id, many))).toBe("E2BIG");
    expect(errno(s.sem.semop(alice, id + 1, many))).toBe("E2BIG");
    expect(errno(s.sem.semop(alice, id + 1, [op(0, 1)]))).toBe("EINVAL");
    expect(errno(s.sem.semop(alice, id, many.slice(1)))).toBe("ok");
  });

  it("sem_num out of the set is EFBIG, before EACCES", () => {
    const [s, id] = setOf(2);
    expect(errno(s.sem.semop(alice, id, [op(2, 1)]))).toBe("EFBIG");
    expect(errno(s.sem.semop(bob, id, [op(2, 1)]))).toBe("EFBIG");
    expect(errno(s.sem.semop(bob, id, [op(1, 1)]))).toBe("EACCES");
  });

  it("waiting for zero needs read permission, altering needs write", () => {
    const [s, id] = setOf(1, 0o604);
    expect(errno(s.sem.semop(bob, id, [op(0, 0)]))).toBe("ok");
    expect(errno(s.sem.semop(bob, id, [op(0, 1)]))).toBe("EACCES");
    expect(errno(s.sem.semop(bob, id, [op(0, 0), op(0, 1)]))).toBe("EACCES");
    expect(errno(s.sem.semop(root, id, [op(0, 1)]))).toBe("ok");
  });

  it("a semtimedop timeout outside 0 <= nsec < 10^9 or with sec < 0 is EINVAL", () => {
    const [s, id] = setOf(1);
    expect(errno(s.sem.semop(alice, id, [op(0, 1)], { sec: 0, nsec: 1_000_000_000 }))).toBe("EINVAL");
    expect(errno(s.sem.semop(alice, id, [op(0, 1)], { sec: 0, nsec: -1 }))).toBe("EINVAL");
    expect(errno(s.sem.semop(alice, id, [op(0, 1)], { sec: -1, nsec: 0 }))).toBe("EINVAL");
    expect(errno(s.sem.semop(alice, id, [op(0, 1)], { sec: 1, nsec: 999_999_999 }))).toBe("ok");
  });
});

describe("semop: values", () => {
  it("adds, subtracts and records the caller as sempid of each semaphore it operated on", () => {
    const [s, id] = setOf(3);
    value(s.sem.semop(alice, id, [op(0, 5), op(2, 3)]));
    value(s.sem.semop(alice2, id, [op(0, -2)]));
    expect(all(s, id)).toEqual([3, 0, 3]);
    expect([get(s, id, GETPID, 0), get(s, id, GETPID, 1), get(s, id, GETPID, 2)]).toEqual([alice2.pid, 0, alice.pid]);
  });

  it("applies the operations in order, each seeing the ones before it", () => {
    const [s, id] = setOf(1);
    expect(errno(s.sem.semop(alice, id, [op(0, 1), op(0, -1), op(0, 0)]))).toBe("ok");
    expect(all(s, id)).toEqual([0]);
  });

  it("is all or nothing: an operation that would block with IPC_NOWAIT is EAGAIN and nothing changes", () => {
    const [s, id] = setOf(2);
    expect(errno(s.sem.semop(alice, id, [op(0, 1), op(1, -1, IPC_NOWAIT)]))).toBe("EAGAIN");
    expect(errno(s.sem.semop(alice, id, [op(0, 1), op(0, 0, IPC_NOWAIT)]))).toBe("EAGAIN");
    expect(all(s, id)).toEqual([0, 0]);
    expect(get(s, id, GETPID)).toBe(0);
  });

  it("a value above SEMVMX is ERANGE and nothing changes", () => {
    const [s, id] = setOf(2);
    value(s.sem.semctl(alice, id, 1, SETVAL, { val: SEMVMX }));
    expect(errno(s.sem.semop(alice, id, [op(0, 1), op(1, 1)]))).toBe("ERANGE");
    expect(errno(s.sem.semop(alice, id, [op(0, SEMVMX), op(0, 1)]))).toBe("ERANGE");
    expect(all(s, id)).toEqual([0, SEMVMX]);
  });

  it("the first operation that fails decides: blocking before range", () => {
    const [s, id] = setOf(2);
    value(s.sem.semctl(alice, id, 1, SETVAL, { val: SEMVMX }));
    expect(errno(s.sem.semop(alice, id, [op(0, -1, IPC_NOWAIT), op(1, 1)]))).toBe("EAGAIN");
    expect(errno(s.sem.semop(alice, id, [op(1, 1), op(0, -1, IPC_NOWAIT)]))).toBe("ERANGE");
  });
});

describe("semop: waiting and waking", () => {
  it("a decrement waits until the value is large enough; GETNCNT counts it", () => {
    const [s, id] = setOf(1);
    const w = waiter(s.sem.semop(alice2, id, [op(0, -2)]));
    expect(get(s, id, GETNCNT)).toBe(1);
    value(s.sem.semop(alice, id, [op(0, 1)]));
    expect(s.takeEvents()).toEqual([]);
    value(s.sem.semop(alice, id, [op(0, 1)]));
    expect(completions(s.takeEvents())).toEqual([[w, "ok"]]);
    expect(all(s, id)).toEqual([0]);
    expect(get(s, id, GETNCNT)).toBe(0);
    expect(get(s, id, GETPID)).toBe(alice2.pid);
  });

  it("a wait for zero completes when the value reaches zero; GETZCNT counts it", () => {
    const [s, id] = setOf(1);
    value(s.sem.semctl(alice, id, 0, SETVAL, { val: 2 }));
    const w = waiter(s.sem.semop(alice2, id, [op(0, 0)]));
    expect([get(s, id, GETZCNT), get(s, id, GETNCNT)]).toEqual([1, 0]);
    value(s.sem.semop(alice, id, [op(0, -1)]));
    expect(s.takeEvents()).toEqual([]);
    value(s.sem.semop(alice, id, [op(0, -1)]));
    expect(completions(s.takeEvents())).toEqual([[w, "ok"]]);
    expect(get(s, id, GETZCNT)).toBe(0);
  });

  it("wakes waiters oldest first", () => {
    const [s, id] = setOf(1);
    const first = waiter(s.sem.semop(alice2, id, [op(0, -1)]));
    const second = waiter(s.sem.semop({ ...alice2, pid: 12 }, id, [op(0, -1)]));
    value(s.sem.semop(alice, id, [op(0, 1)]));
    expect(completions(s.takeEvents())).toEqual([[first, "ok"]]);
    value(s.sem.semop(alice, id, [op(0, 1)]));
    expect(completions(s.takeEvents())).toEqual([[second, "ok"]]);
  });

  it("a large decrement does not hold back a smaller one behind it", () => {
    const [s, id] = setOf(1);
    const big = waiter(s.sem.semop(alice2, id, [op(0, -3)]));
    const small = waiter(s.sem.semop({ ...alice2, pid: 12 }, id, [op(0, -1)]));
    value(s.sem.semop(alice, id, [op(0, 2)]));
    expect(completions(s.takeEvents())).toEqual([[small, "ok"]]);
    expect(all(s, id)).toEqual([1]);
    value(s.sem.semop(alice, id, [op(0, 2)]));
    expect(completions(s.takeEvents())).toEqual([[big, "ok"]]);
  });

  it("one increment can complete a chain of waiters: a zero-wait after a decrement", () => {
    const [s, id] = setOf(2);
    const dec = waiter(s.sem.semop(alice2, id, [op(0, -1), op(1, 1)]));
    value(s.sem.semctl(alice, id, 1, SETVAL, { val: 0 }));
    const zero = waiter(s.sem.semop({ ...alice2, pid: 12 }, id, [op(1, -1)]));
    value(s.sem.semop(alice, id, [op(0, 1)]));
    expect(completions(s.takeEvents())).toEqual([
      [dec, "ok"],
      [zero, "ok"],
    ]);
    expect(all(s, id)).toEqual([0, 0]);
  });

  it("an operation that completes behind an older waiter can let the older one run: the scan starts over", () => {
    const [s, id] = setOf(2);
    const older = waiter(s.sem.semop(alice2, id, [op(0, -1)]));
    const newer = waiter(s.sem.semop({ ...alice2, pid: 12 }, id, [op(1, -1), op(0, 1)]));
    value(s.sem.semop(alice, id, [op(1, 1)]));
    expect(completions(s.takeEvents())).toEqual([
      [newer, "ok"],
      [older, "ok"],
    ]);
    expect(all(s, id)).toEqual([0, 0]);
  });

  it("counts a waiter on the semaphore it is blocked on, not on all it names (GETNCNT/GETZCNT)", () => {
    const [s, id] = setOf(3);
    waiter(s.sem.semop(alice2, id, [op(0, -1), op(1, -1), op(2, 0)]));
    expect([0, 1, 2].map((n) => get(s, id, GETNCNT, n))).toEqual([1, 0, 0]);
    value(s.sem.semop(alice, id, [op(0, 1)]));
    expect([0, 1, 2].map((n) => get(s, id, GETNCNT, n))).toEqual([0, 1, 0]);
    value(s.sem.semop(alice, id, [op(2, 1)]));
    value(s.sem.semop(alice, id, [op(1, 1)]));
    expect([0, 1, 2].map((n) => [get(s, id, GETNCNT, n), get(s, id, GETZCNT, n)])).toEqual([
      [0, 0],
      [0, 0],
      [0, 1],
    ]);
    expect(all(s, id)).toEqual([1, 1, 1]);
  });

  it("a woken operation that now fails completes with its error (ERANGE)", () => {
    const [s, id] = setOf(2);
    value(s.sem.semctl(alice, id, 1, SETVAL, { val: SEMVMX }));
    const w = waiter(s.sem.semop(alice2, id, [op(0, -1), op(1, 1)]));
    value(s.sem.semop(alice, id, [op(0, 1)]));
    expect(completions(s.takeEvents())).toEqual([[w, "ERANGE"]]);
    expect(all(s, id)).toEqual([1, SEMVMX]);
  });

  it("SETVAL and SETALL wake waiters", () => {
    const [s, id] = setOf(2);
    const a = waiter(s.sem.semop(alice2, id, [op(0, -1)]));
    const b = waiter(s.sem.semop({ ...alice2, pid: 12 }, id, [op(1, -2)]));
    value(s.sem.semctl(alice, id, 0, SETVAL, { val: 1 }));
    expect(completions(s.takeEvents())).toEqual([[a, "ok"]]);
    value(s.sem.semctl(alice, id, 0, SETALL, { array: [0, 3] }));
    expect(completions(s.takeEvents())).toEqual([[b, "ok"]]);
    expect(all(s, id)).toEqual([0, 1]);
  });

  it("IPC_RMID ends every wait with EIDRM", () => {
    const [s, id] = setOf(2);
    const a = waiter(s.sem.semop(alice2, id, [op(0, -1)]));
    const b = waiter(s.sem.semop({ ...alice2, pid: 12 }, id, [op(1, 0), op(0, -1)]));
    value(s.sem.semctl(alice, id, 0, IPC_SET, { set: { uid: alice.uid, gid: alice.gid, mode: 0o600 } }));
    value(s.sem.semctl(alice, id, 0, IPC_RMID));
    expect(completions(s.takeEvents())).toEqual([
      [a, "EIDRM"],
      [b, "EIDRM"],
    ]);
    expect(errno(s.sem.semop(alice, id, [op(0, 1)]))).toBe("EINVAL");
  });

  it("a timeout ends a wait with EAGAIN, a signal with EINTR; a zero timeout never waits", () => {
    const [s, id] = setOf(1);
    expect(errno(s.sem.semop(alice, id, [op(0, -1)], { sec: 0, nsec: 0 }))).toBe("EAGAIN");
    expect(get(s, id, GETNCNT)).toBe(0);
    const t = waiter(s.sem.semop(alice, id, [op(0, -1)], { sec: 1, nsec: 0 }));
    const i = waiter(s.sem.semop(alice2, id, [op(0, -1)]));
    expect(s.cancel(t, "timeout")).toBe(true);
    expect(s.cancel(i, "interrupt")).toBe(true);
    expect(s.cancel(i, "interrupt")).toBe(false);
    expect(completions(s.takeEvents())).toEqual([
      [t, "EAGAIN"],
      [i, "EINTR"],
    ]);
    expect(get(s, id, GETNCNT)).toBe(0);
    value(s.sem.semop(alice, id, [op(0, 1)]));
    expect(s.takeEvents()).toEqual([]);
    expect(all(s, id)).toEqual([1]);
  });

  it("a process that dies while waiting leaves no trace", () => {
    const [s, id] = setOf(2);
    waiter(s.sem.semop(alice2, id, [op(0, 1, SEM_UNDO), op(1, -1)]));
    expect(all(s, id)).toEqual([0, 0]);
    value(s.sem.semop(alice, id, [op(0, 1)]));
    waiter(s.sem.semop(alice2, id, [op(0, 0)]));
    expect(all(s, id)).toEqual([1, 0]);
    expect([get(s, id, GETNCNT, 1), get(s, id, GETZCNT, 0)]).toEqual([1, 1]);
    s.exitProcess(alice2.pid);
    expect([get(s, id, GETNCNT, 1), get(s, id, GETZCNT, 0)]).toEqual([0, 0]);
    value(s.sem.semop(alice, id, [op(1, 1), op(0, -1)]));
    expect(s.takeEvents()).toEqual([]);
    expect(all(s, id)).toEqual([0, 1]);
  });
});

describe("SEM_UNDO", () => {
  it("reverses a process's operations when it exits, and only that process's", () => {
    const [s, id] = setOf(2);
    value(s.sem.semctl(alice, id, 1, SETVAL, { val: 5 }));
    value(s.sem.semop(alice2, id, [op(0, 3, SEM_UNDO), op(1, -2, SEM_UNDO)]));
    value(s.sem.semop(alice, id, [op(0, 1, SEM_UNDO)]));
    value(s.sem.semop(alice2, id, [op(0, 1)]));
    expect(all(s, id)).toEqual([5, 3]);
    s.exitProcess(alice2.pid);
    expect(all(s, id)).toEqual([2, 5]);
    expect(get(s, id, GETPID, 0)).toBe(alice2.pid);
    s.exitProcess(alice.pid);
    expect(all(s, id)).toEqual([1, 5]);
  });

  it("clamps the result to 0 .. SEMVMX, as Linux does", () => {
    const [s, id] = setOf(2);
    value(s.sem.semop(alice2, id, [op(0, 1, SEM_UNDO)]));
    value(s.sem.semop(alice, id, [op(0, -1)]));
    value(s.sem.semctl(alice, id, 1, SETVAL, { val: SEMVMX }));
    value(s.sem.semop(alice2, id, [op(1, -1, SEM_UNDO)]));
    value(s.sem.semop(alice, id, [op(1, 1)]));
    s.exitProcess(alice2.pid);
    expect(all(s, id)).toEqual([0, SEMVMX]);
  });

  it("SETVAL clears the adjustments of that semaphore, SETALL of all", () => {
    const [s, id] = setOf(2);
    value(s.sem.semop(alice2, id, [op(0, 2, SEM_UNDO), op(1, 2, SEM_UNDO)]));
    value(s.sem.semctl(alice, id, 0, SETVAL, { val: 7 }));
    s.exitProcess(alice2.pid);
    expect(all(s, id)).toEqual([7, 0]);
    value(s.sem.semop(alice, id, [op(0, 1, SEM_UNDO), op(1, 1, SEM_UNDO)]));
    value(s.sem.semctl(alice, id, 0, SETALL, { array: [4, 4] }));
    s.exitProcess(alice.pid);
    expect(all(s, id)).toEqual([4, 4]);
  });

  it("an adjustment beyond -(SEMAEM+1) .. SEMAEM is ERANGE", () => {
    const [s, id] = setOf(1);
    value(s.sem.semop(alice, id, [op(0, SEMVMX, SEM_UNDO)]));
    value(s.sem.semop(alice, id, [op(0, -SEMVMX)]));
    value(s.sem.semop(alice, id, [op(0, 1, SEM_UNDO)]));
    value(s.sem.semop(alice, id, [op(0, -1)]));
    expect(errno(s.sem.semop(alice, id, [op(0, 1, SEM_UNDO)]))).toBe("ERANGE");
    expect(all(s, id)).toEqual([0]);
    expect(errno(s.sem.semop(alice, id, [op(0, 1)]))).toBe("ok");
  });

  it("the adjustments applied at exit wake waiters", () => {
    const [s, id] = setOf(1);
    value(s.sem.semctl(alice, id, 0, SETVAL, { val: 1 }));
    value(s.sem.semop(alice2, id, [op(0, -1, SEM_UNDO)]));
    const w = waiter(s.sem.semop(alice, id, [op(0, -1)]));
    s.exitProcess(alice2.pid);
    expect(completions(s.takeEvents())).toEqual([[w, "ok"]]);
    expect(all(s, id)).toEqual([0]);
  });

  it("a waiting operation with SEM_UNDO records its adjustment when it completes", () => {
    const [s, id] = setOf(1);
    waiter(s.sem.semop(alice2, id, [op(0, -1, SEM_UNDO)]));
    value(s.sem.semop(alice, id, [op(0, 2)]));
    expect(all(s, id)).toEqual([1]);
    s.exitProcess(alice2.pid);
    expect(all(s, id)).toEqual([2]);
  });
});

describe("semctl", () => {
  it("GETVAL, GETALL need read; SETVAL, SETALL need write", () => {
    const [s, id] = setOf(2, 0o640);
    const other = { ...bob, gid: alice.gid };
    expect(errno(s.sem.semctl(other, id, 0, GETVAL))).toBe("ok");
    expect(errno(s.sem.semctl(other, id, 0, GETALL))).toBe("ok");
    expect(errno(s.sem.semctl(other, id, 0, GETNCNT))).toBe("ok");
    expect(errno(s.sem.semctl(other, id, 0, SETVAL, { val: 1 }))).toBe("EACCES");
    expect(errno(s.sem.semctl(other, id, 0, SETALL, { array: [1, 1] }))).toBe("EACCES");
    expect(errno(s.sem.semctl(bob, id, 0, GETVAL))).toBe("EACCES");
  });

  it("SETVAL checks the value (ERANGE) before the id, then semnum before access", () => {
    const [s, id] = setOf(1);
    expect(errno(s.sem.semctl(alice, id + 1, 0, SETVAL, { val: SEMVMX + 1 }))).toBe("ERANGE");
    expect(errno(s.sem.semctl(alice, id, 0, SETVAL, { val: -1 }))).toBe("ERANGE");
    expect(errno(s.sem.semctl(alice, id + 1, 0, SETVAL, { val: 1 }))).toBe("EINVAL");
    expect(errno(s.sem.semctl(bob, id, 1, SETVAL, { val: 1 }))).toBe("EINVAL");
    expect(errno(s.sem.semctl(bob, id, 0, SETVAL, { val: 1 }))).toBe("EACCES");
    expect(errno(s.sem.semctl(alice, id, 0, SETVAL, { val: SEMVMX }))).toBe("ok");
    expect(get(s, id, GETVAL)).toBe(SEMVMX);
    expect(get(s, id, GETPID)).toBe(alice.pid);
  });

  it("GETVAL-like commands check access before semnum", () => {
    const [s, id] = setOf(1);
    for (const cmd of [GETVAL, GETPID, GETNCNT, GETZCNT]) {
      expect(errno(s.sem.semctl(bob, id, 5, cmd))).toBe("EACCES");
      expect(errno(s.sem.semctl(alice, id, 5, cmd))).toBe("EINVAL");
      expect(errno(s.sem.semctl(alice, id, -1, cmd))).toBe("EINVAL");
    }
  });

  it("SETALL: any value above SEMVMX is ERANGE and nothing changes; the sempids become the caller's", () => {
    const [s, id] = setOf(3);
    expect(errno(s.sem.semctl(alice, id, 0, SETALL, { array: [1, SEMVMX + 1, 1] }))).toBe("ERANGE");
    expect(all(s, id)).toEqual([0, 0, 0]);
    value(s.sem.semctl(alice2, id, 0, SETALL, { array: [1, 2, 3] }));
    expect(all(s, id)).toEqual([1, 2, 3]);
    expect(get(s, id, GETPID, 2)).toBe(alice2.pid);
    expect(errno(s.sem.semctl(alice, id, 0, SETALL, { array: [1, 2] }))).toBe("EFAULT");
  });

  it("an unknown command or a negative id is EINVAL", () => {
    const [s, id] = setOf(1);
    expect(errno(s.sem.semctl(alice, id, 0, 99))).toBe("EINVAL");
    expect(errno(s.sem.semctl(alice, -1, 0, GETVAL))).toBe("EINVAL");
    expect(errno(s.sem.semctl(alice, id, 0, IPC_SET))).toBe("EFAULT");
  });
});
