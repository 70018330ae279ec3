/**
 * Memory objects: page files the kernel maps into address spaces. Each page
 * is a frame in memory, a swap slot, or not yet made (filled on first use
 * from its backing: zeros, or the bytes of a RAM-disk file). Mapping an
 * object makes its pages' PTEs; two spaces mapping one object map the same
 * frames (zero copy). The object holds one frame reference per page in
 * memory and each present PTE one more; the pager (pager.ts) pages object
 * pages out and in through `mappers`.
 *
 * Lifetime: the object lives while a descriptor or a mapping names it; then
 * its frames and swap slots return to the pool (kernel.ts, releaseObject).
 */
import type { AddressSpace } from "./address-space.js";
import type { Process } from "./process.js";

/**
 * Where a page's first contents come from: zeros (anonymous and shared
 * memory, paged to swap), a RAM-disk file's bytes (read-only; a page paged
 * out is dropped and read again), or a file a server keeps in memory (its
 * page cache: never paged out).
 */
export type Backing =
  | { readonly kind: "anonymous" }
  | { readonly kind: "ram-disk"; readonly bytes: Uint8Array }
  | { readonly kind: "file-cache" };

/** One page of an object mapped at `va` of `space`. */
export interface ObjectMapping {
  readonly space: AddressSpace;
  readonly va: number;
  readonly object: MemoryObject;
  readonly index: number;
  readonly writable: boolean;
}

export class MemoryObject {
  readonly kind = "memory" as const;
  /** Per page: a frame (> 0), 0 not made yet, or -(slot + 1) when in swap. */
  readonly pages: Int32Array;
  /** Per page: its mappings (for paging it out). */
  readonly mappers: ObjectMapping[][];
  /** Open descriptors naming it. */
  references = 0;
  /** Pages of it mapped anywhere. */
  mappings = 0;
  alive = true;

  constructor(
    readonly id: number,
    readonly pageCount: number,
    /** Whether processes other than `creator` may map it (MemFlags.SHARED). */
    readonly shared: boolean,
    readonly creator: Process | null,
    readonly backing: Backing,
  ) {
    this.pages = new Int32Array(pageCount);
    this.mappers = Array.from({ length: pageCount }, () => []);
  }

  get size(): number {
    return this.pageCount * 4096;
  }

  /** Whether a mapping may be writable: RAM-disk files are read-only. */
  get writable(): boolean {
    return this.backing.kind !== "ram-disk";
  }
}
