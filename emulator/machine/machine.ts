/**
 * The machine: physical memory and the MMU that walks page tables in it.
 * Register files belong to threads and trap gates to the kernel's entry, so
 * each is built by the kernel over this machine. No global state: two
 * machines can run side by side in one test.
 */
import { PAGE_SIZE } from "./addresses.js";
import { Mmu } from "./paging.js";
import { PhysicalMemory } from "./physical-memory.js";

export interface MachineOptions {
  /** Bytes of physical memory, rounded down to whole frames. */
  readonly memoryBytes: number;
}

export const DEFAULT_MEMORY_BYTES = 16 * 1024 * 1024;

export class Machine {
  readonly memory: PhysicalMemory;
  readonly mmu: Mmu;

  constructor(options: MachineOptions = { memoryBytes: DEFAULT_MEMORY_BYTES }) {
    this.memory = new PhysicalMemory(Math.floor(options.memoryBytes / PAGE_SIZE));
    this.mmu = new Mmu(this.memory);
  }
}
