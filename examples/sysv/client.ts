/**
 * The client library: the System V calls with their POSIX shapes, over the
 * generated SysvClient. Each call returns what the C call returns (an id, a
 * value, a length, 0) or -1 with `errno` set, whether the daemon refused
 * (its errno) or the call could not be made (the kernel's or the stub's).
 * Arguments that C passes by pointer (semun's array and buf, msgrcv's
 * buffer, msgctl's buf) are objects the call fills in.
 */
import * as rt from "doorkit/runtime";
import { MSG_INLINE, SYSV_BUFFER_SIZE, SysvClient } from "../../gen/examples/sysv/sysv.js";
import type { MsqidDs, SemidDs } from "../../gen/examples/sysv/sysv.js";
import { EINVAL, GETALL, IPC_SET, IPC_STAT, SETALL } from "./core/index.js";
import type { SemBuf, Timespec } from "./core/index.js";

export { SYSV_BUFFER_SIZE };

/** semctl's fourth argument (union semun): `val` for SETVAL, `array` for GETALL/SETALL, `buf` for IPC_STAT/IPC_SET. */
export interface SemUn {
  val?: number;
  array?: number[];
  buf?: SemidDs;
}

/** msgrcv's buffer (struct msgbuf): filled in by the call. */
export interface MsgBuf {
  mtype: number;
  mtext: Uint8Array;
}

export class SysvIpc {
  /** The errno of the last call that returned -1. */
  errno = 0;
  readonly #stub: SysvClient;

  /**
   * `buffer` must hold SYSV_BUFFER_SIZE bytes; `door` is the reference to the
   * daemon. One SysvIpc makes one call at a time: each thread needs its own
   * (over the same door, so the daemon sees one client).
   */
  constructor(
    trap: rt.Trap,
    buffer: rt.MessageBuffer,
    readonly door: number,
  ) {
    this.#stub = new SysvClient(trap, buffer, door);
  }

  /** Tells the daemon this process's id, so that its SEM_UNDO adjustments are applied when it exits. */
  attach(pid: number): Promise<number> {
    return this.#call(() => this.#stub.attach(pid));
  }

  semget(key: number, nsems: number, semflg: number): Promise<number> {
    return this.#call(() => this.#stub.semget(key, nsems, semflg));
  }

  semop(semid: number, sops: readonly SemBuf[]): Promise<number> {
    return this.#call(() => this.#stub.semop(semid, [...sops]));
  }

  semtimedop(semid: number, sops: readonly SemBuf[], timeout: Timespec): Promise<number> {
    return this.#call(() => this.#stub.semtimedop(semid, [...sops], { ...timeout }));
  }

  async semctl(semid: number, semnum: number, cmd: number, arg: SemUn = {}): Promise<number> {
    switch (cmd) {
      case IPC_STAT:
        return this.#call(async () => {
          const r = await this.#stub.semctl_stat(semid);
          if (r.retval >= 0 && arg.buf !== undefined) Object.assign(arg.buf, r.ds);
          return r;
        });
      case IPC_SET:
        if (arg.buf === undefined) return this.#fail(EINVAL);
        return this.#call(() => this.#stub.semctl_set(semid, { ...arg.buf!.perm }));
      case GETALL:
        return this.#call(async () => {
          const r = await this.#stub.semctl_getall(semid);
          if (r.retval >= 0 && arg.array !== undefined) arg.array.splice(0, arg.array.length, ...r.values);
          return r;
        });
      case SETALL:
        return this.#call(() => this.#stub.semctl_setall(semid, arg.array ?? []));
      default:
        return this.#call(() => this.#stub.semctl(semid, semnum, cmd, arg.val ?? 0));
    }
  }

  msgget(key: number, msgflg: number): Promise<number> {
    return this.#call(() => this.#stub.msgget(key, msgflg));
  }

  /** msgsnd(2); texts longer than MSG_INLINE are EINVAL, as beyond the daemon's MSGMAX. */
  async msgsnd(msqid: number, mtype: number, mtext: Uint8Array, msgflg: number): Promise<number> {
    if (mtext.length > MSG_INLINE) return this.#fail(EINVAL);
    return this.#call(() => this.#stub.msgsnd(msqid, mtype, msgflg, mtext));
  }

  /** msgrcv(2): fills `msgp`; returns the text's length. */
  msgrcv(msqid: number, msgp: MsgBuf, msgsz: number, msgtyp: number, msgflg: number): Promise<number> {
    return this.#call(async () => {
      const r = await this.#stub.msgrcv(msqid, msgsz, msgtyp, msgflg);
      if (r.retval >= 0) {
        msgp.mtype = r.mtype;
        msgp.mtext = r.text;
      }
      return r;
    });
  }

  async msgctl(msqid: number, cmd: number, buf?: MsqidDs): Promise<number> {
    switch (cmd) {
      case IPC_STAT:
        return this.#call(async () => {
          const r = await this.#stub.msgctl_stat(msqid);
          if (r.retval >= 0 && buf !== undefined) Object.assign(buf, r.ds);
          return r;
        });
      case IPC_SET:
        if (buf === undefined) return this.#fail(EINVAL);
        return this.#call(() => this.#stub.msgctl_set(msqid, { ...buf.perm }, buf.qbytes));
      default:
        return this.#call(() => this.#stub.msgctl(msqid, cmd));
    }
  }

  shmget(key: number, size: number, shmflg: number): Promise<number> {
    return this.#call(() => this.#stub.shmget(key, size, shmflg));
  }

  /** Runs one stub call: its retval, or -1 with errno from the reply or from a DoorError. */
  async #call(run: () => Promise<{ retval: number; errno: number }>): Promise<number> {
    try {
      const r = await run();
      return r.retval < 0 ? this.#fail(r.errno) : r.retval;
    } catch (error) {
      if (error instanceof rt.DoorError) return this.#fail(error.errno);
      throw error;
    }
  }

  #fail(errno: number): number {
    this.errno = errno;
    return -1;
  }
}
