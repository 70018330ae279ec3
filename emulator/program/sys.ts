/**
 * The `Sys` a program thread receives, built by the kernel when the thread
 * starts. Everything here acts on the thread's own process: its traps enter
 * the kernel with its register file, its memory accessors walk its own page
 * tables, and its buffers are views over its own pinned frames.
 */
import type { MessageBuffer, Trap } from "../../runtime/trap.js";
import { PAGE_SIZE } from "../machine/addresses.js";
import { ACCESS_USER, ACCESS_WRITE, isPageFault } from "../machine/paging.js";
import { DEFAULT_SYSCALL_VECTOR, type TrapVia } from "../machine/traps.js";
import type { Kernel } from "../kernel/kernel.js";
import type { Thread } from "../kernel/thread.js";
import { KernelClient } from "./kernel-client.js";
import { PageFaultError, type ProgramEntry, type Sys, type UserMemory } from "./program.js";

// Kernel objects are held in #private fields: a program holding its Sys or
// Trap has no way to reach the kernel's structures, only numbers and views.

class ThreadTrap implements Trap {
  readonly args: Int32Array;
  readonly #kernel: Kernel;
  readonly #thread: Thread;
  readonly #via: TrapVia;
  readonly #vector: number;

  constructor(kernel: Kernel, thread: Thread, via: TrapVia, vector: number) {
    this.args = thread.regs.args;
    this.#kernel = kernel;
    this.#thread = thread;
    this.#via = via;
    this.#vector = vector;
  }

  enter(): Promise<void> {
    return this.#kernel.enterTrap(this.#thread, this.#via, this.#vector);
  }
}

class ProcessMemory implements UserMemory {
  readonly #bytes: Uint8Array;
  readonly #kernel: Kernel;
  readonly #thread: Thread;

  constructor(kernel: Kernel, thread: Thread) {
    this.#bytes = kernel.machine.memory.bytes;
    this.#kernel = kernel;
    this.#thread = thread;
  }

  #at(va: number, write: boolean): number {
    const access = ACCESS_USER | (write ? ACCESS_WRITE : 0);
    const mmu = this.#kernel.mmu;
    const cr3 = this.#thread.process.space.cr3;
    let r = mmu.translate(cr3, (va >>> 0) as never, access);
    // A page paged out, or an object's page not in memory yet, comes back through the fault handler.
    if (isPageFault(r) && mmu.fault(cr3, va, access)) r = mmu.translate(cr3, (va >>> 0) as never, access);
    if (isPageFault(r)) throw new PageFaultError(va, write);
    return r;
  }

  read8(va: number): number {
    return this.#bytes[this.#at(va, false)]!;
  }
  read16(va: number): number {
    return this.read8(va) | (this.read8(va + 1) << 8);
  }
  read32(va: number): number {
    return (this.read16(va) | (this.read16(va + 2) << 16)) >>> 0;
  }
  write8(va: number, value: number): void {
    this.#bytes[this.#at(va, true)] = value & 0xff;
  }
  write16(va: number, value: number): void {
    this.write8(va, value);
    this.write8(va + 1, value >>> 8);
  }
  write32(va: number, value: number): void {
    this.write16(va, value);
    this.write16(va + 2, value >>> 16);
  }
  readBytes(va: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.readInto(va, out);
    return out;
  }
  readInto(va: number, dest: Uint8Array): void {
    const length = dest.length;
    for (let done = 0; done < length; ) {
      const at = this.#at(va + done, false);
      const chunk = Math.min(length - done, PAGE_SIZE - ((va + done) & (PAGE_SIZE - 1)));
      dest.set(this.#bytes.subarray(at, at + chunk), done);
      done += chunk;
    }
  }
  writeBytes(va: number, bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) {
      const at = this.#at(va + done, true);
      const chunk = Math.min(bytes.length - done, PAGE_SIZE - ((va + done) & (PAGE_SIZE - 1)));
      this.#bytes.set(bytes.subarray(done, done + chunk), at);
      done += chunk;
    }
  }
  isMapped(va: number, options?: { forWrite: boolean }): boolean {
    const access = ACCESS_USER | (options?.forWrite ? ACCESS_WRITE : 0);
    return this.#kernel.mmu.resolve(this.#thread.process.space.cr3, va >>> 0, access) >= 0;
  }
}

/** A message buffer over pinned frame `frame`, mapped at `address`. */
export function frameBuffer(kernel: Kernel, frame: number, address: number, size: number): MessageBuffer {
  const buffer = kernel.machine.memory.buffer;
  const at = frame * PAGE_SIZE;
  return { address, size, view: new DataView(buffer, at, size), bytes: new Uint8Array(buffer, at, size) };
}

class ThreadSys implements Sys {
  readonly pid: number;
  readonly tid: number;
  readonly argument: number;
  readonly trap: Trap;
  readonly sysenter: Trap;
  readonly memory: UserMemory;
  readonly stack: MessageBuffer;
  readonly kernel: KernelClient;
  readonly descriptors: readonly number[];
  readonly #k: Kernel;
  readonly #thread: Thread;

  constructor(k: Kernel, thread: Thread, stackFrame: number, descriptors: readonly number[]) {
    this.#k = k;
    this.#thread = thread;
    this.descriptors = Object.freeze([...descriptors]);
    this.pid = thread.process.pid;
    this.tid = thread.tid;
    this.argument = thread.argument;
    this.trap = new ThreadTrap(k, thread, "int", DEFAULT_SYSCALL_VECTOR);
    this.sysenter = new ThreadTrap(k, thread, "sysenter", 0);
    this.memory = new ProcessMemory(k, thread);
    this.stack = frameBuffer(k, stackFrame, thread.stackTop, PAGE_SIZE - 1);
    this.kernel = new KernelClient(this.trap, this.stack);
  }

  intTrap(vector: number): Trap {
    return new ThreadTrap(this.#k, this.#thread, "int", vector);
  }

  async messageBuffer(size = PAGE_SIZE - 1): Promise<MessageBuffer> {
    if (!Number.isInteger(size) || size < 1 || size > PAGE_SIZE - 1) {
      throw new RangeError(`a message buffer holds 1..4095 bytes, not ${size}`);
    }
    const address = await this.kernel.memAlloc(0, PAGE_SIZE, 3);
    if (address < 0) throw new Error(`mem_alloc for a message buffer failed: errno ${-address}`);
    const frame = this.#thread.process.space.pin(address);
    return frameBuffer(this.#k, frame, address, size);
  }

  pinPage(address: number): Uint8Array | null {
    if (address % PAGE_SIZE !== 0) return null;
    const frame = this.#thread.process.space.pin(address >>> 0);
    return frame < 0 ? null : new Uint8Array(this.#k.machine.memory.buffer, frame * PAGE_SIZE, PAGE_SIZE);
  }

  async createThread(entry: ProgramEntry, argument = 0): Promise<number> {
    const entries = this.#thread.process.entries;
    let index = entries.indexOf(entry);
    if (index < 0) index = entries.push(entry) - 1;
    return this.kernel.threadCreate(index, argument);
  }

  exit(status: number): Promise<never> {
    return this.kernel.processExit(status);
  }
}

/**
 * Prepares thread `t` to run `entry` when first scheduled; returns the
 * function the scheduler calls to start it. A returned status ends the
 * thread (the process, for its first thread); a throw kills the process.
 */
export function startProgramThread(
  kernel: Kernel,
  t: Thread,
  entry: ProgramEntry,
  stackFrame: number,
  descriptors: readonly number[],
): () => void {
  let start!: () => void;
  new Promise<void>((resolve) => (start = resolve))
    .then(() => entry(new ThreadSys(kernel, t, stackFrame, descriptors)))
    .then(
      (status) => kernel.threadReturned(t, typeof status === "number" ? status : 0),
      (error: unknown) => kernel.threadFaulted(t, error),
    );
  return start;
}
