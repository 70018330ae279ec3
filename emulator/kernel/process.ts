/**
 * Processes: an address space, a descriptor table, a security domain, threads,
 * and an exit status once it has ended. The kernel's exit path is the only
 * writer of `state`, `exitStatus` and `fault`.
 */
import { DEFAULT_SYSCALL_VECTOR } from "../machine/traps.js";
import type { AddressSpace } from "./address-space.js";
import { DescriptorTable, type Reference } from "./descriptor-table.js";
import type { ProgramEntry } from "../program/program.js";
import { ThreadQueue, type Thread } from "./thread.js";

export type ProcessState = "live" | "exited";

export class Process {
  readonly kind = "process" as const;
  readonly descriptors: DescriptorTable;
  readonly threads: Thread[] = [];
  /** Threads blocked in process_wait on this process. */
  readonly waiters = new ThreadQueue();
  /** Entry points registered by the program for thread_create, by index. */
  readonly entries: ProgramEntry[] = [];
  state: ProcessState = "live";
  exitStatus = 0;
  /** Why the process was killed, when it did not exit by itself. */
  fault: string | null = null;
  syscallVector = DEFAULT_SYSCALL_VECTOR;
  /**
   * The implicit reference through which target-0 process-manager calls go;
   * its cookie starts as the pid so the process manager knows the caller.
   */
  procmgrRef: Reference | null = null;
  /** Stack slots handed out to threads (slot k: STACK_TOP - (k+1) * STACK_STRIDE). */
  stackSlots = 0;

  constructor(
    readonly pid: number,
    readonly name: string,
    readonly domain: number,
    readonly privileged: boolean,
    readonly space: AddressSpace,
    descriptorCapacity?: number,
  ) {
    this.descriptors = new DescriptorTable(descriptorCapacity);
  }

  get alive(): boolean {
    return this.state === "live";
  }
}
