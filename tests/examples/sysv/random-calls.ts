/**
 * Random System V call sequences by a few processes, and the invariants
 * checked after every step: semaphore values stay in 0..SEMVMX; no waiter
 * is left that could run now; GETNCNT + GETZCNT count exactly the waiting
 * operations; queue byte counts equal the sum of the queued texts; no
 * message is lost or made up; attach counts match the attachments; and
 * every wait ends exactly once (a reply, a cancel, EIDRM at removal)
 * unless its process died. Used by invariants.property.test.ts and
 * fuzz/sysv.fuzz.ts.
 */
import fc from "fast-check";
import * as ipc from "../../../examples/sysv/core/index.js";
import { SysV, type Caller, type SemBuf } from "../../../examples/sysv/core/index.js";

function check(ok: boolean, problem: string): asserts ok {
  if (!ok) throw new Error(problem);
}

const { GETNCNT, GETZCNT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, IPC_SET, MSG_EXCEPT, MSG_NOERROR, SEM_UNDO, SETVAL } = ipc;

const NSEMS = 3;
const PIDS = [10, 11, 12, 13];

export type Step =
  | { kind: "semop"; pid: number; sops: SemBuf[] }
  | { kind: "setval"; pid: number; num: number; val: number }
  | { kind: "msgsnd"; pid: number; mtype: number; size: number; nowait: boolean }
  | { kind: "msgrcv"; pid: number; msgtyp: number; size: number; flags: number }
  | { kind: "qbytes"; qbytes: number }
  | { kind: "shmat"; pid: number }
  | { kind: "shmdt"; pick: number }
  | { kind: "cancel"; pick: number }
  | { kind: "exit"; pid: number }
  | { kind: "rmid"; what: "sem" | "msg" | "shm" };

const pid = fc.constantFrom(...PIDS);
export const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("semop" as const),
      pid,
      sops: fc.array(
        fc.record({
          num: fc.integer({ min: 0, max: NSEMS - 1 }),
          op: fc.integer({ min: -3, max: 3 }),
          flg: fc.constantFrom(0, 0, IPC_NOWAIT, SEM_UNDO, SEM_UNDO | IPC_NOWAIT),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("setval" as const),
      pid,
      num: fc.integer({ min: 0, max: NSEMS - 1 }),
      val: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("msgsnd" as const),
      pid,
      mtype: fc.integer({ min: 1, max: 4 }),
      size: fc.integer({ min: 0, max: 6 }),
      nowait: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("msgrcv" as const),
      pid,
      msgtyp: fc.integer({ min: -4, max: 4 }),
      size: fc.integer({ min: 0, max: 6 }),
      flags: fc.constantFrom(0, IPC_NOWAIT, MSG_NOERROR, MSG_EXCEPT, MSG_EXCEPT | MSG_NOERROR | IPC_NOWAIT),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("qbytes" as const), qbytes: fc.integer({ min: 0, max: 16 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shmat" as const), pid }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shmdt" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("exit" as const), pid }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("rmid" as const), what: fc.constantFrom("sem", "msg", "shm") }),
  },
);

const owner: Caller = { pid: 1, uid: 1000, gid: 100 };
const as = (p: number): Caller => ({ pid: p, uid: 1000, gid: 100 });

class Run {
  readonly s = new SysV<string>();
  semid: number;
  msqid: number;
  shmid: number;
  /** Waits not yet ended: token -> pid. */
  readonly waiting = new Map<number, number>();
  /** Attachments not yet detached: [pid, attachment]. */
  attachments: [number, number][] = [];
  /** Messages sent and not yet received or removed with their queue. */
  inFlight = 0;

  constructor() {
    this.semid = this.#ok(this.s.sem.semget(owner, IPC_PRIVATE, NSEMS, 0o600));
    this.msqid = this.#ok(this.s.msg.msgget(owner, IPC_PRIVATE, 0o600));
    this.shmid = this.#ok(this.s.shm.shmget(owner, IPC_PRIVATE, 4096, 0o600));
    this.#qbytes(12);
  }

  #ok<T>(r: ipc.Outcome<T>): T {
    if (r.kind !== "ok") throw new Error(`expected ok: ${JSON.stringify(r)}`);
    return r.value;
  }

  #qbytes(qbytes: number): void {
    this.#ok(this.s.msg.msgctl(owner, this.msqid, IPC_SET, { perm: { uid: 1000, gid: 100, mode: 0o600 }, qbytes }));
  }

  #track(p: number, r: ipc.Outcome<unknown>): void {
    if (r.kind === "blocked") {
      check(!this.waiting.has(r.waiter), `waiter ${r.waiter} given twice`);
      this.waiting.set(r.waiter, p);
    }
  }

  apply(st: Step): void {
    switch (st.kind) {
      case "semop":
        return this.#track(st.pid, this.s.sem.semop(as(st.pid), this.semid, st.sops));
      case "setval":
        this.s.sem.semctl(as(st.pid), this.semid, st.num, SETVAL, { val: st.val });
        return;
      case "msgsnd": {
        const r = this.s.msg.msgsnd(
          as(st.pid),
          this.msqid,
          st.mtype,
          new Uint8Array(st.size),
          st.nowait ? IPC_NOWAIT : 0,
        );
        if (r.kind === "ok") this.inFlight++;
        return this.#track(st.pid, r);
      }
      case "msgrcv": {
        const r = this.s.msg.msgrcv(as(st.pid), this.msqid, st.size, st.msgtyp, st.flags);
        if (r.kind === "ok") {
          this.inFlight--;
          check(
            r.value.mtext.length <= st.size,
            `msgrcv gave ${r.value.mtext.length} bytes for a buffer of ${st.size}`,
          );
        }
        return this.#track(st.pid, r);
      }
      case "qbytes":
        return this.#qbytes(st.qbytes);
      case "shmat": {
        const r = this.s.shm.shmat(as(st.pid), this.shmid, 0, 0);
        if (r.kind === "ok") this.attachments.push([st.pid, r.value.attachment]);
        return;
      }
      case "shmdt": {
        if (this.attachments.length === 0) return;
        const [p, a] = this.attachments.splice(st.pick % this.attachments.length, 1)[0]!;
        check(this.s.shm.shmdt(as(p), a).kind === "ok", `shmdt of attachment ${a} failed`);
        return;
      }
      case "cancel": {
        const tokens = [...this.waiting.keys()];
        if (tokens.length > 0)
          check(this.s.cancel(tokens[st.pick % tokens.length]!, "interrupt"), "cancel of a waiting call failed");
        return;
      }
      case "exit":
        this.s.exitProcess(st.pid);
        for (const [token, p] of this.waiting) if (p === st.pid) this.waiting.delete(token);
        this.attachments = this.attachments.filter(([p]) => p !== st.pid);
        return;
      case "rmid":
        return this.#rmid(st.what);
    }
  }

  #rmid(what: "sem" | "msg" | "shm"): void {
    switch (what) {
      case "sem":
        this.#ok(this.s.sem.semctl(owner, this.semid, 0, IPC_RMID));
        this.semid = this.#ok(this.s.sem.semget(owner, IPC_PRIVATE, NSEMS, 0o600));
        return;
      case "msg": {
        const before = [...this.s.msg.inspect()].find((q) => q.id === this.msqid)!;
        this.inFlight -= before.qnum;
        this.#ok(this.s.msg.msgctl(owner, this.msqid, IPC_RMID));
        this.msqid = this.#ok(this.s.msg.msgget(owner, IPC_PRIVATE, 0o600));
        this.#qbytes(12);
        return;
      }
      case "shm":
        this.#ok(this.s.shm.shmctl(owner, this.shmid, IPC_RMID));
        this.shmid = this.#ok(this.s.shm.shmget(owner, IPC_PRIVATE, 4096, 0o600));
        return;
    }
  }

  /** Ends waits from the events; each must have been waiting, and end once. */
  settle(): void {
    for (const event of this.s.takeEvents()) {
      if (event.kind === "shm-destroyed") continue;
      check(
        this.waiting.get(event.waiter) === event.pid,
        `event for waiter ${event.waiter} (pid ${event.pid}) that was not waiting`,
      );
      this.waiting.delete(event.waiter);
      if (event.kind === "msgsnd" && event.result.kind === "ok") this.inFlight++;
      if (event.kind === "msgrcv" && event.result.kind === "ok") this.inFlight--;
    }
  }

  check(): void {
    let semWaiting = 0;
    for (const set of this.s.sem.inspect()) {
      for (const v of set.values) check(v >= 0 && v <= ipc.SEMVMX, `semaphore value ${v} out of range`);
      check(set.runnable === 0, `${set.runnable} waiting semop(s) could run`);
      semWaiting += set.waiting;
      let counted = 0;
      for (let n = 0; n < NSEMS; n++) {
        for (const cmd of [GETNCNT, GETZCNT]) {
          const r = this.s.sem.semctl(owner, set.id, n, cmd);
          if (r.kind === "ok" && r.value.kind === "value") counted += r.value.value;
        }
      }
      check(counted === set.waiting, `GETNCNT+GETZCNT ${counted}, waiting ${set.waiting}`);
    }
    let queued = 0;
    for (const q of this.s.msg.inspect()) {
      check(q.cbytes === q.textBytes, `msg_cbytes ${q.cbytes}, texts ${q.textBytes}`);
      check(q.readySenders === 0, `${q.readySenders} waiting sender(s) fit`);
      check(q.readyReceivers === 0, `${q.readyReceivers} waiting receiver(s) have a message`);
      queued += q.qnum;
    }
    check(queued === this.inFlight, `${queued} queued, ${this.inFlight} sent and not received`);
    for (const seg of this.s.shm.inspect())
      check(seg.nattch === seg.attachments, `shm_nattch ${seg.nattch}, attachments ${seg.attachments}`);
    check(this.waiting.size >= semWaiting, `${semWaiting} semops waiting, ${this.waiting.size} waits in all`);
  }
}

/** Runs `steps`, checking after each; then removes everything. Null when every check held, else the problem. */
export function checkSequence(steps: readonly Step[]): string | null {
  try {
    const run = new Run();
    for (const [i, st] of steps.entries()) {
      try {
        run.apply(st);
        run.settle();
        run.check();
      } catch (error) {
        return `step ${i} (${st.kind}): ${(error as Error).message}`;
      }
    }
    for (const what of ["sem", "msg", "shm"] as const) run.apply({ kind: "rmid", what });
    run.settle();
    check(run.waiting.size === 0, `${run.waiting.size} wait(s) never ended`);
    check(run.inFlight === 0, `${run.inFlight} message(s) unaccounted for`);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
