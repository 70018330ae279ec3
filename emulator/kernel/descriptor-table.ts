/**
 * References and the per-process descriptor table. A descriptor is a small
 * integer (1..MAX_DESCRIPTORS; 0 means none) naming a reference: an object,
 * rights bits, a 32-bit cookie, and whether it is the owner's. Numbers are
 * handed out lowest-free-first, so runs are deterministic.
 * Only the kernel mutates tables; programs see numbers.
 */
import { MAX_DESCRIPTORS } from "./abi.js";
import type { IpcObject } from "./ipc-object.js";
import type { Lease } from "./lease.js";
import type { MemoryObject } from "./memory-object.js";
import type { Process } from "./process.js";
import type { Thread } from "./thread.js";

export type KernelObject = IpcObject | Process | Thread | MemoryObject | Lease;

export class Reference {
  number = 0;
  /**
   * Set by desc_set_cookie (process manager only): the next message that
   * carries this reference hands it over, cookie included (kernel-calls.ts).
   */
  stamped = false;
  constructor(
    readonly object: KernelObject,
    readonly rights: number,
    public cookie: number,
    readonly owner: boolean,
  ) {}
}

export class DescriptorTable {
  private readonly slots: (Reference | null)[] = [null];
  private open = 0;
  /** Counts removals: a descriptor found open at value g is still open while this is g. */
  removals = 0;

  constructor(readonly capacity = MAX_DESCRIPTORS) {}

  get size(): number {
    return this.open;
  }

  get room(): number {
    return this.capacity - this.open;
  }

  /** The reference named by `n`, or null for 0, a free slot or an out-of-range number. */
  get(n: number): Reference | null {
    return n > 0 && n < this.slots.length ? this.slots[n]! : null;
  }

  /** Installs `ref` at the lowest free number; returns it, or 0 when the table is full. */
  install(ref: Reference): number {
    if (this.open >= this.capacity) return 0;
    let n = 1;
    while (n < this.slots.length && this.slots[n] !== null) n++;
    if (n === this.slots.length) this.slots.push(null);
    this.slots[n] = ref;
    ref.number = n;
    this.open++;
    return n;
  }

  remove(n: number): Reference | null {
    const ref = this.get(n);
    if (ref === null) return null;
    this.slots[n] = null;
    ref.number = 0;
    this.open--;
    this.removals++;
    return ref;
  }

  /** Open references in number order. */
  *entries(): IterableIterator<Reference> {
    for (const r of this.slots) if (r !== null) yield r;
  }
}

/** The number tools show for an object: door id, pid, tid, memory object id or lease id. */
export function objectNumber(o: KernelObject): number {
  switch (o.kind) {
    case "door":
    case "memory":
    case "lease":
      return o.id;
    case "process":
      return o.pid;
    case "thread":
      return o.tid;
  }
}
