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
import type { MsqidDs, SemidDs, ShmidDs } from "../../gen/examples/sysv/sysv.js";
import type { Sys } from "../../emulator/program/program.js";
import { EEXIST, EINVAL, ENOSYS, GETALL, IPC_SET, IPC_STAT, MSGMAX, PAGE_SIZE, SETALL } from "./core/index.js";
import { SHM_RDONLY, SHM_REMAP } from "./core/index.js";
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

/** What the client needs of its process for shared memory and long texts: kernel calls and its memory. */
export type SysvProcess = Pick<Sys, "kernel" | "memory">;

interface Attached {
  readonly attachment: number;
  readonly length: number;
}

const PROT_READ = 1;
const PROT_WRITE = 2;

export class SysvIpc {
  /** The errno of the last call that returned -1. */
  errno = 0;
  readonly #stub: SysvClient;
  /** Mapped segments by address: shmdt takes the address, as in C. */
  readonly #attached = new Map<number, Attached>();
  /** MSGMAX bytes of this process's memory that long texts are lent from; made on first use. */
  #staging = 0;

  /**
   * `buffer` must hold SYSV_BUFFER_SIZE bytes; `door` is the reference to the
   * daemon. One SysvIpc makes one call at a time: each thread needs its own
   * (over the same door, so the daemon sees one client). Without `process`,
   * shmat/shmdt are ENOSYS and texts longer than MSG_INLINE EINVAL.
   */
  constructor(
    trap: rt.Trap,
    buffer: rt.MessageBuffer,
    readonly door: number,
    private readonly process?: SysvProcess,
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

  /** msgsnd(2); a text longer than MSG_INLINE is lent to the daemon (up to MSGMAX). */
  async msgsnd(msqid: number, mtype: number, mtext: Uint8Array, msgflg: number): Promise<number> {
    if (mtext.length <= MSG_INLINE) return this.#call(() => this.#stub.msgsnd(msqid, mtype, msgflg, mtext));
    if (mtext.length > MSGMAX) return this.#fail(EINVAL);
    const address = await this.#stagingArea();
    if (address < 0) return this.#fail(-address);
    this.process!.memory.writeBytes(address, mtext);
    const text = { address, length: mtext.length };
    return this.#call(() => this.#stub.msgsnd_lease(msqid, mtype, msgflg, text));
  }

  /** msgrcv(2): fills `msgp`; returns the text's length. A `msgsz` above MSG_INLINE lends the daemon a buffer. */
  msgrcv(msqid: number, msgp: MsgBuf, msgsz: number, msgtyp: number, msgflg: number): Promise<number> {
    if (msgsz > MSG_INLINE && this.process !== undefined) return this.#msgrcvLeased(msqid, msgp, msgsz, msgtyp, msgflg);
    return this.#call(async () => {
      const r = await this.#stub.msgrcv(msqid, msgsz, msgtyp, msgflg);
      if (r.retval >= 0) {
        msgp.mtype = r.mtype;
        msgp.mtext = r.text;
      }
      return r;
    });
  }

  async #msgrcvLeased(msqid: number, msgp: MsgBuf, msgsz: number, msgtyp: number, msgflg: number): Promise<number> {
    const address = await this.#stagingArea();
    if (address < 0) return this.#fail(-address);
    // No text is longer than MSGMAX, so lending more would only expose memory.
    const text = { address, length: Math.min(msgsz, MSGMAX) };
    return this.#call(async () => {
      const r = await this.#stub.msgrcv_lease(msqid, msgtyp, msgflg, text);
      if (r.retval >= 0) {
        msgp.mtype = r.mtype;
        msgp.mtext = this.process!.memory.readBytes(address, r.retval);
      }
      return r;
    });
  }

  /** The staging area's address, or -errno. */
  async #stagingArea(): Promise<number> {
    if (this.process === undefined) return -EINVAL;
    if (this.#staging === 0) {
      const at = await this.process.kernel.memAlloc(0, MSGMAX, PROT_READ | PROT_WRITE);
      if (at < 0) return at;
      this.#staging = at;
    }
    return this.#staging;
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

  /**
   * shmat(2): maps the segment the daemon hands over (read-only for
   * SHM_RDONLY) at `shmaddr` (0: anywhere); returns the address, or -1.
   * A range already mapped is EINVAL unless SHM_REMAP, as on Linux.
   */
  async shmat(shmid: number, shmaddr: number, shmflg: number): Promise<number> {
    const process = this.process;
    if (process === undefined) return this.#fail(ENOSYS);
    let got;
    try {
      got = await this.#stub.shmat(shmid, shmaddr, shmflg);
    } catch (error) {
      if (error instanceof rt.DoorError) return this.#fail(error.errno);
      throw error;
    }
    const length = Math.ceil(got.size / PAGE_SIZE) * PAGE_SIZE;
    if (got.addr !== 0 && shmflg & SHM_REMAP) await process.kernel.memUnmap(got.addr, length);
    const prot = shmflg & SHM_RDONLY ? PROT_READ : PROT_READ | PROT_WRITE;
    const at = await process.kernel.memMap(got.memory, got.addr, 0, length, prot);
    // The mapping holds the object; the descriptor is not needed after it.
    await process.kernel.descClose(got.memory);
    if (at < 0) {
      await this.#stub.shmdt(got.attachment).catch(() => undefined);
      return this.#fail(-at === EEXIST ? EINVAL : -at);
    }
    // SHM_REMAP over a segment attached at the same address replaces that attachment, as its unmap would on Linux.
    const replaced = this.#attached.get(at);
    this.#attached.set(at, { attachment: got.attachment, length });
    if (replaced !== undefined) await this.#stub.shmdt(replaced.attachment).catch(() => undefined);
    return at;
  }

  /** shmdt(2) of the address shmat returned: unmaps it and tells the daemon; EINVAL for any other address. */
  async shmdt(shmaddr: number): Promise<number> {
    const found = this.#attached.get(shmaddr);
    if (found === undefined || this.process === undefined) return this.#fail(EINVAL);
    this.#attached.delete(shmaddr);
    await this.process.kernel.memUnmap(shmaddr, found.length);
    return this.#call(() => this.#stub.shmdt(found.attachment));
  }

  /** shmctl(2): IPC_STAT and IPC_SET use `buf`; IPC_RMID, SHM_LOCK, SHM_UNLOCK. */
  async shmctl(shmid: number, cmd: number, buf?: ShmidDs): Promise<number> {
    switch (cmd) {
      case IPC_STAT:
        return this.#call(async () => {
          const r = await this.#stub.shmctl_stat(shmid);
          if (r.retval >= 0 && buf !== undefined) Object.assign(buf, r.ds);
          return r;
        });
      case IPC_SET:
        if (buf === undefined) return this.#fail(EINVAL);
        return this.#call(() => this.#stub.shmctl_set(shmid, { ...buf.perm }));
      default:
        return this.#call(() => this.#stub.shmctl(shmid, cmd));
    }
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
