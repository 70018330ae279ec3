/**
 * What code running as a process sees: `Sys`, handed to its entry function.
 * A program reaches the kernel only through its traps; it reads and writes
 * only its own emulated memory, through its own page tables. Everything it
 * gets from the kernel is a number or a view over its own frames.
 */
import type { MessageBuffer, Trap } from "../../runtime/trap.js";

/** A process's (or thread's) code: resolves to its exit status. */
export type ProgramEntry = (sys: Sys) => Promise<number>;

export interface Sys {
  readonly pid: number;
  readonly tid: number;
  /** 0 for a process's first thread; thread_create's argument otherwise. */
  readonly argument: number;
  /** The descriptors the process was started with, in the order given at spawn. */
  readonly descriptors: readonly number[];
  /** `int 0x80`. */
  readonly trap: Trap;
  /** `sysenter`: the same kernel entry with the same registers. */
  readonly sysenter: Trap;
  /** `int vector`: only the process's system-call vector reaches the kernel; any other faults the process. */
  intTrap(vector: number): Trap;
  readonly memory: UserMemory;
  /**
   * This thread's stack page (4096 bytes, pinned): the buffer `kernel` uses
   * for kernel calls. A program may use it too between kernel calls.
   */
  readonly stack: MessageBuffer;
  /** Kernel calls (idl/kernel.idl) over `trap` and `stack`. */
  readonly kernel: KernelCalls;
  /**
   * Allocates a fresh page with mem_alloc and pins it: a page-aligned message
   * buffer of `size` bytes (at most 4095) whose views lie over its own frame.
   */
  messageBuffer(size?: number): Promise<MessageBuffer>;
  /**
   * Pins the mapped page at `address` (page-aligned; made if not yet) and
   * returns a 4096-byte view over its frame, valid while it stays mapped
   * (for a program's own page cache); null when it cannot be pinned.
   */
  pinPage(address: number): Uint8Array | null;
  /** Registers `entry` and starts it as a new thread with thread_create; resolves to the tid, or -errno. */
  createThread(entry: ProgramEntry, argument?: number): Promise<number>;
  /** process_exit: never resolves. */
  exit(status: number): Promise<never>;
}

/**
 * Reads and writes of the process's own virtual memory, through its page
 * tables with user rights. An access to an unmapped page, or a write to a
 * read-only one, is a page fault: it throws `PageFaultError`, and a program
 * that lets it escape its entry is killed with FAULT_STATUS.
 */
export interface UserMemory {
  read8(va: number): number;
  read16(va: number): number;
  read32(va: number): number;
  write8(va: number, value: number): void;
  write16(va: number, value: number): void;
  write32(va: number, value: number): void;
  readBytes(va: number, length: number): Uint8Array;
  /** Copies `dest.length` bytes from `va` into `dest`: readBytes without allocating. */
  readInto(va: number, dest: Uint8Array): void;
  writeBytes(va: number, bytes: Uint8Array): void;
  /** Whether `va` is mapped with user access (and writable, if asked). */
  isMapped(va: number, options?: { forWrite: boolean }): boolean;
}

/** Kernel calls: each resolves to its result (>= 0), or to -errno when the kernel refuses. */
export interface KernelCalls {
  descDup(source: number, rights: number): Promise<number>;
  descClose(target: number): Promise<number>;
  /** The descriptor's kind, rights, cookie and ownership, or -errno. */
  descInfo(target: number): Promise<DescInfo | number>;
  /** Process manager only: the reference's next message hands it over with this cookie. */
  descSetCookie(target: number, cookie: number): Promise<number>;
  ipcCreate(objectClass: number, securityType: number): Promise<number>;
  ipcDestroy(object: number): Promise<number>;
  threadYield(): Promise<number>;
  threadExit(status: number): Promise<never>;
  processSpawn(program: string, domain: number): Promise<number>;
  processWait(process: number): Promise<number | { status: number }>;
  /** Process manager only: ends the process that `process` names with `status`. */
  processKill(process: number, status: number): Promise<number>;
  memAlloc(address: number, length: number, prot: number): Promise<number>;
  memUnmap(address: number, length: number): Promise<number>;
  /** A memory object of `size` bytes (flags: 1 = SHARED, mappable by other processes); its descriptor. */
  memCreate(size: number, flags: number): Promise<number>;
  /** Maps `length` bytes of `memory` from `offset` at `address` (0: any free address); where it went. */
  memMap(memory: number, address: number, offset: number, length: number, prot: number): Promise<number>;
  /** Lends `length` bytes at `address` for the next call it is sent in (access 1 read, 2 write, 3 both); its descriptor. */
  leaseCreate(address: number, length: number, access: number): Promise<number>;
  /** Copies up to `length` bytes of the lease from `offset` to `address`; the count copied. */
  leaseRead(lease: number, offset: number, address: number, length: number): Promise<number>;
  /** Copies up to `length` bytes at `address` into the lease at `offset`; the count copied. */
  leaseWrite(lease: number, offset: number, address: number, length: number): Promise<number>;
  /** The lease's length and access. */
  leaseInfo(lease: number): Promise<{ length: number; access: number } | number>;
  /** Sets the process's system-call vector (32..255). */
  trapVectorSet(vector: number): Promise<number>;
  /** Sends every trap of thread `thread` (of this process) to `handler` as a message with its registers. */
  threadSandbox(thread: number, handler: number): Promise<number>;
  /** Any kernel call by number, with raw request bytes and descriptors; returns the registers as left by the kernel. */
  raw(fn: number, data: Uint8Array, descriptors?: readonly number[]): Promise<Int32Array>;
}

export interface DescInfo {
  readonly kind: number;
  readonly rights: number;
  readonly cookie: number;
  readonly owner: boolean;
}

export class PageFaultError extends Error {
  constructor(
    readonly address: number,
    readonly write: boolean,
  ) {
    super(`page fault at 0x${(address >>> 0).toString(16).padStart(8, "0")} (${write ? "write" : "read"})`);
    this.name = "PageFaultError";
  }
}

/** Exit status of a process killed by a fault. */
export const FAULT_STATUS = -11;
