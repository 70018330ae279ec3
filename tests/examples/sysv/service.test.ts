/**
 * examples/sysv/service.ts: the Sysv interface over the core, as the
 * daemon's dispatcher calls it. Replies follow sysv.idl (retval, or -1 and
 * the errno); a call that must wait gets a promise that a later call by
 * another client settles; identity comes only from the caller's cookie.
 */
import * as rt from "doorkit/runtime";
import { describe, expect, it } from "vitest";
import { DAEMON_LIMITS, SysvService } from "../../../examples/sysv/service.js";
import * as ipc from "../../../examples/sysv/core/index.js";
import type { Caller } from "../../../examples/sysv/core/index.js";

const { EACCES, EAGAIN, EIDRM, EINTR, EINVAL, ENOSYS, GETVAL, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, SEM_UNDO, SETVAL } =
  ipc;

const people: Record<number, Caller> = {
  1: { pid: 10, uid: 1000, gid: 100 },
  2: { pid: 20, uid: 1000, gid: 100 },
  3: { pid: 30, uid: 2000, gid: 200 },
};
/** A served message as the dispatcher hands it over: only the cookie matters here. */
const from = (cookie: number) => ({ cookie }) as rt.Call;
const [a, b, stranger, nobody] = [from(1), from(2), from(3), from(99)];

function service() {
  const timers: { ms: number; fire: () => void; stopped: boolean }[] = [];
  const s = new SysvService({
    identify: (call) => people[call.cookie],
    timer: (ms, fire) => {
      const t = { ms, fire, stopped: false };
      timers.push(t);
      return () => void (t.stopped = true);
    },
  });
  return { s, timers };
}

/** Whether a promise has settled, after the microtasks queued so far ran. */
async function settled(p: unknown): Promise<boolean> {
  let done = false;
  void Promise.resolve(p).then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

function semset(s: SysvService, n = 1): number {
  return s.semget({ key: IPC_PRIVATE, nsems: n, semflg: 0o600 }, a).retval;
}

describe("SysvService", () => {
  it("answers at once when the core does: the id, or -1 and the errno", () => {
    const { s } = service();
    const id = semset(s);
    expect(id).toBeGreaterThanOrEqual(0);
    expect(s.semop({ semid: id, sops: [{ num: 0, op: 1, flg: 0 }] }, a)).toEqual({ retval: 0 });
    expect(s.semctl({ semid: id, semnum: 0, cmd: GETVAL, val: 0 }, a)).toEqual({ retval: 1 });
    expect(s.semop({ semid: id, sops: [{ num: 0, op: 1, flg: 0 }] }, stranger)).toEqual({ retval: -1, errno: EACCES });
    expect(s.semop({ semid: id + 1, sops: [{ num: 0, op: 1, flg: 0 }] }, a)).toEqual({ retval: -1, errno: EINVAL });
  });

  it("refuses a caller whose cookie names no identity (EACCES), whatever the request says", () => {
    const { s } = service();
    expect(s.semget({ key: IPC_PRIVATE, nsems: 1, semflg: 0o666 }, nobody)).toEqual({ retval: -1, errno: EACCES });
    expect(s.msgget({ key: 5, msgflg: ipc.IPC_CREAT | 0o666 }, nobody)).toEqual({ retval: -1, errno: EACCES });
  });

  it("a waiting semop holds only its caller: others are served, and the one that raises the value settles it", async () => {
    const { s } = service();
    const id = semset(s);
    const waiting = s.semop({ semid: id, sops: [{ num: 0, op: -1, flg: 0 }] }, b);
    expect(waiting).toBeInstanceOf(Promise);
    expect(s.takeBlocked()).toBe(true);
    expect(s.takeBlocked()).toBe(false);
    expect(await settled(waiting)).toBe(false);
    expect(s.semctl({ semid: id, semnum: 0, cmd: ipc.GETNCNT, val: 0 }, a)).toEqual({ retval: 1 });
    expect(s.semop({ semid: id, sops: [{ num: 0, op: 1, flg: 0 }] }, a)).toEqual({ retval: 0 });
    expect(s.takeBlocked()).toBe(false);
    expect(await waiting).toEqual({ retval: 0 });
    expect(s.semctl({ semid: id, semnum: 0, cmd: GETVAL, val: 0 }, a)).toEqual({ retval: 0 });
  });

  it("semtimedop: the timer ends the wait with EAGAIN; a completion first stops the timer", async () => {
    const { s, timers } = service();
    const id = semset(s);
    const timed = s.semtimedop(
      { semid: id, sops: [{ num: 0, op: -1, flg: 0 }], timeout: { sec: 1, nsec: 500_000_000 } },
      b,
    );
    expect(timers.map((t) => t.ms)).toEqual([1500]);
    timers[0]!.fire();
    expect(await timed).toEqual({ retval: -1, errno: EAGAIN });
    const served = s.semtimedop({ semid: id, sops: [{ num: 0, op: -1, flg: 0 }], timeout: { sec: 9, nsec: 0 } }, b);
    s.semctl({ semid: id, semnum: 0, cmd: SETVAL, val: 1 }, a);
    expect(await served).toEqual({ retval: 0 });
    expect(timers[1]!.stopped).toBe(true);
  });

  it("removal ends every wait with EIDRM", async () => {
    const { s } = service();
    const id = semset(s);
    const waiting = s.semop({ semid: id, sops: [{ num: 0, op: -1, flg: 0 }] }, b);
    expect(s.semctl({ semid: id, semnum: 0, cmd: IPC_RMID, val: 0 }, a)).toEqual({ retval: 0 });
    expect(await waiting).toEqual({ retval: -1, errno: EIDRM });
  });

  it("a process that exits: its own wait is released, its SEM_UNDO applies and wakes others", async () => {
    const { s } = service();
    const id = semset(s, 2);
    expect(s.semop({ semid: id, sops: [{ num: 0, op: 1, flg: SEM_UNDO }] }, b)).toEqual({ retval: 0 });
    const own = s.semop({ semid: id, sops: [{ num: 1, op: -1, flg: 0 }] }, b);
    const other = s.semop({ semid: id, sops: [{ num: 0, op: 0, flg: 0 }] }, a);
    s.processExited(people[2]!.pid);
    expect(await own).toEqual({ retval: -1, errno: EINTR });
    expect(await other).toEqual({ retval: 0 });
    expect(s.semctl({ semid: id, semnum: 1, cmd: ipc.GETNCNT, val: 0 }, a)).toEqual({ retval: 0 });
  });

  it("message ping-pong: a waiting msgrcv gets the text another client sends", async () => {
    const { s } = service();
    const q = s.msgget({ key: IPC_PRIVATE, msgflg: 0o600 }, a).retval;
    const reply = s.msgrcv({ msqid: q, msgsz: 64, msgtyp: 2, msgflg: 0 }, a);
    expect(s.msgsnd({ msqid: q, mtype: 2, msgflg: 0, text: new TextEncoder().encode("pong") }, b)).toEqual({
      retval: 0,
    });
    const got = await reply;
    expect(got.retval).toBe(4);
    expect(got.mtype).toBe(2);
    expect(new TextDecoder().decode(got.text)).toBe("pong");
    expect(s.msgrcv({ msqid: q, msgsz: 64, msgtyp: 0, msgflg: IPC_NOWAIT }, a)).toMatchObject({
      retval: -1,
      errno: ipc.ENOMSG,
    });
  });

  it("enforces the daemon's limits: texts up to Linux's MSGMAX, sets up to SEMS_INLINE", () => {
    const { s } = service();
    expect(s.limits().limits).toMatchObject({ msgmax: ipc.MSGMAX, semmsl: DAEMON_LIMITS.semmsl });
    const q = s.msgget({ key: IPC_PRIVATE, msgflg: 0o600 }, a).retval;
    const big = new Uint8Array(ipc.MSGMAX + 1);
    expect(s.msgsnd({ msqid: q, mtype: 1, msgflg: 0, text: big }, a)).toEqual({ retval: -1, errno: EINVAL });
    const tooMany = DAEMON_LIMITS.semmsl + 1;
    expect(s.semget({ key: IPC_PRIVATE, nsems: tooMany, semflg: 0o600 }, a)).toEqual({ retval: -1, errno: EINVAL });
  });

  it("semctl carries only the integer commands; stat, GETALL and SETALL have their own methods", () => {
    const { s } = service();
    const id = semset(s, 2);
    expect(s.semctl({ semid: id, semnum: 0, cmd: ipc.GETALL, val: 0 }, a)).toEqual({ retval: -1, errno: EINVAL });
    expect(s.semctl({ semid: id, semnum: 0, cmd: ipc.IPC_STAT, val: 0 }, a)).toEqual({ retval: -1, errno: EINVAL });
    expect(s.semctl_setall({ semid: id, values: [3, 4] }, a)).toEqual({ retval: 0 });
    expect(s.semctl_getall({ semid: id }, a)).toEqual({ retval: 0, values: [3, 4] });
    expect(s.semctl_stat({ semid: id }, a)).toMatchObject({
      retval: 0,
      ds: { nsems: 2, perm: { uid: 1000, mode: 0o600 } },
    });
    expect(s.semctl_stat({ semid: id }, stranger)).toMatchObject({ retval: -1, errno: EACCES });
  });

  it("msgctl: IPC_RMID, IPC_STAT and IPC_SET", () => {
    const { s } = service();
    const q = s.msgget({ key: IPC_PRIVATE, msgflg: 0o600 }, a).retval;
    const perm = { uid: 1000, gid: 100, mode: 0o640 };
    expect(s.msgctl_set({ msqid: q, perm, qbytes: 100 }, a)).toEqual({ retval: 0 });
    expect(s.msgctl_stat({ msqid: q }, a)).toMatchObject({ retval: 0, ds: { qbytes: 100, perm: { mode: 0o640 } } });
    expect(s.msgctl({ msqid: q, cmd: ipc.IPC_STAT }, a)).toEqual({ retval: -1, errno: EINVAL });
    expect(s.msgctl({ msqid: q, cmd: IPC_RMID }, stranger)).toEqual({ retval: -1, errno: ipc.EPERM });
    expect(s.msgctl({ msqid: q, cmd: IPC_RMID }, a)).toEqual({ retval: 0 });
  });

  it("shared memory and the lease paths answer ENOSYS without kernel calls; shmat by REPLY_ERROR", async () => {
    const { s } = service();
    expect(await s.shmget({ key: IPC_PRIVATE, size: 4096, shmflg: 0o600 }, a)).toEqual({ retval: -1, errno: ENOSYS });
    await expect(s.shmat({ shmid: 0, addr: 0, shmflg: 0 }, a)).rejects.toBeInstanceOf(rt.ReplyError);
    await expect(s.shmat({ shmid: 0, addr: 0, shmflg: 0 }, nobody)).rejects.toMatchObject({ errno: EACCES });
    expect(await s.msgsnd_lease({ msqid: 0, mtype: 1, msgflg: 0, text: 5 }, a)).toEqual({ retval: -1, errno: ENOSYS });
    expect(s.shmctl({ shmid: 0, cmd: ipc.IPC_STAT }, a)).toEqual({ retval: -1, errno: EINVAL });
  });

  it("attach: with the process manager's consent the process's exit applies its undo; ENOSYS without a watcher", async () => {
    const watched: number[] = [];
    const s = new SysvService({
      identify: (call) => (call.cookie === 7 ? { pid: 1, uid: 1000, gid: 100 } : people[call.cookie]),
      timer: () => () => {},
      watch: async (pid) => (pid === 666 ? ipc.EACCES : (watched.push(pid), 0)),
    });
    const client = from(7);
    expect(await s.attach({ pid: 42 }, client)).toEqual({ retval: 0 });
    expect(await s.attach({ pid: 666 }, client)).toEqual({ retval: -1, errno: EACCES });
    expect(await s.attach({ pid: 42 }, nobody)).toEqual({ retval: -1, errno: EACCES });
    expect(watched).toEqual([42]);
    const id = s.semget({ key: IPC_PRIVATE, nsems: 1, semflg: 0o600 }, a).retval;
    expect(s.semop({ semid: id, sops: [{ num: 0, op: 2, flg: SEM_UNDO }] }, client)).toEqual({ retval: 0 });
    s.processExited(42);
    expect(s.semctl({ semid: id, semnum: 0, cmd: GETVAL, val: 0 }, a)).toEqual({ retval: 0 });
    expect(await service().s.attach({ pid: 42 }, a)).toEqual({ retval: -1, errno: ENOSYS });
  });
});
