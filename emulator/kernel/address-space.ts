/**
 * A process's address space: its page directory (CR3) and the user pages
 * mapped in it. The kernel decides which frames go where; the format of the
 * tables is machine/paging.ts's. User space is [USER_FIRST, USER_END): page 0
 * is never mapped, so a null msgPtr always faults.
 *
 * Pinned pages (message buffers whose views a program holds) carry an extra
 * frame reference and cannot be unmapped while the process lives.
 */
import { PAGE_SHIFT, PAGE_SIZE, type PhysAddr, type VirtAddr } from "../machine/addresses.js";
import { PTE_FRAME, PTE_P, PTE_U, PTE_W, type Mmu } from "../machine/paging.js";
import type { PhysicalMemory } from "../machine/physical-memory.js";
import { EBUSY, EEXIST, EINVAL, ENOMEM } from "./abi.js";

export const USER_FIRST = 0x0000_1000;
export const USER_END = 0xc000_0000;
/** Where `mem_alloc(0, ...)` starts looking for free pages. */
export const HEAP_BASE = 0x1000_0000;
/** Thread k's stack page is at STACK_TOP - (k + 1) * STACK_STRIDE. */
export const STACK_TOP = 0xbfff_0000;
export const STACK_STRIDE = 0x1_0000;

export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;

export class AddressSpace {
  readonly cr3: PhysAddr;
  private readonly tables: number[] = [];
  private readonly pinned = new Set<number>();
  private mapped = 0;
  private heapHint = HEAP_BASE;
  /**
   * Counts removals of mappings. A range checked when this had value g is
   * still mapped with the same rights while it still has value g: mappings
   * are only ever added, or removed through `unmap` and `destroy`.
   */
  generation = 0;

  private constructor(
    private readonly memory: PhysicalMemory,
    private readonly mmu: Mmu,
    dirFrame: number,
  ) {
    this.cr3 = memory.address(dirFrame);
  }

  /** A new empty address space, or null when no frame is left for its directory. */
  static create(memory: PhysicalMemory, mmu: Mmu): AddressSpace | null {
    const dir = memory.allocFrame();
    return dir < 0 ? null : new AddressSpace(memory, mmu, dir);
  }

  get pageCount(): number {
    return this.mapped;
  }

  /** Checks a range for mem_alloc: page-aligned, in user space, not wrapping. */
  static checkRange(va: number, length: number): number {
    if (va % PAGE_SIZE !== 0 || length <= 0 || length % PAGE_SIZE !== 0) return EINVAL;
    if (va < USER_FIRST || va + length > USER_END) return EINVAL;
    return 0;
  }

  isMapped(va: number): boolean {
    return (this.mmu.pte(this.cr3, va as VirtAddr) & PTE_P) !== 0;
  }

  /** A free page-aligned run of `length` bytes at or above the heap base, or 0. */
  findFree(length: number): number {
    for (let start = this.heapHint; start + length <= STACK_TOP - 64 * STACK_STRIDE; start += PAGE_SIZE) {
      let ok = true;
      for (let va = start; va < start + length; va += PAGE_SIZE) {
        if (this.isMapped(va)) {
          ok = false;
          start = va;
          break;
        }
      }
      if (ok) return start;
    }
    return 0;
  }

  /**
   * Maps fresh zeroed frames over [va, va + length). Decodes first: a mapped
   * page in the range is EEXIST and too few frames is ENOMEM, with nothing
   * changed either way.
   */
  allocate(va: number, length: number, prot: number): number {
    const pages = length / PAGE_SIZE;
    let newTables = 0;
    for (let i = 0; i < pages; i++) {
      const p = va + i * PAGE_SIZE;
      if (this.isMapped(p)) return EEXIST;
      if (i === 0 || (p & 0x3fffff) === 0) if (!this.hasTable(p)) newTables++;
    }
    if (this.memory.freeFrames < pages + newTables) return ENOMEM;
    const flags = PTE_P | PTE_U | (prot & PROT_WRITE ? PTE_W : 0);
    for (let i = 0; i < pages; i++) {
      const frame = this.memory.allocFrame();
      const ok = this.mmu.setPte(this.cr3, (va + i * PAGE_SIZE) as VirtAddr, (frame << PAGE_SHIFT) | flags, () =>
        this.newTable(),
      );
      if (!ok || frame < 0) throw new Error("frame accounting broken in allocate");
      this.mapped++;
    }
    if (va === this.heapHint) this.heapHint = va + length;
    return 0;
  }

  /** Unmaps [va, va + length); unmapped pages are skipped, pinned ones refuse with EBUSY first. */
  unmap(va: number, length: number): number {
    for (let p = va; p < va + length; p += PAGE_SIZE) if (this.pinned.has(p)) return EBUSY;
    for (let p = va; p < va + length; p += PAGE_SIZE) {
      const pte = this.mmu.pte(this.cr3, p as VirtAddr);
      if (!(pte & PTE_P)) continue;
      this.mmu.setPte(this.cr3, p as VirtAddr, 0, () => -1);
      this.memory.release((pte & PTE_FRAME) >>> PAGE_SHIFT);
      this.mapped--;
      this.generation++;
    }
    if (va < this.heapHint && va >= HEAP_BASE) this.heapHint = va;
    return 0;
  }

  /** Pins the page at `va`; returns its frame, or -1 when it is not mapped. */
  pin(va: number): number {
    const pte = this.mmu.pte(this.cr3, va as VirtAddr);
    if (!(pte & PTE_P) || this.pinned.has(va)) return -1;
    const frame = (pte & PTE_FRAME) >>> PAGE_SHIFT;
    this.memory.retain(frame);
    this.pinned.add(va);
    return frame;
  }

  /** Drops the pin of the page at `va` (the page stays mapped). */
  unpin(va: number): void {
    if (!this.pinned.delete(va)) return;
    this.memory.release((this.mmu.pte(this.cr3, va as VirtAddr) & PTE_FRAME) >>> PAGE_SHIFT);
  }

  /** Releases every frame: pins, pages, page tables, the directory. */
  destroy(): void {
    for (const va of this.pinned) {
      this.memory.release((this.mmu.pte(this.cr3, va as VirtAddr) & PTE_FRAME) >>> PAGE_SHIFT);
    }
    this.pinned.clear();
    const words = this.memory.words;
    for (const table of this.tables) {
      const base = (table << PAGE_SHIFT) >>> 2;
      for (let i = 0; i < 1024; i++) {
        const pte = words[base + i]!;
        if (pte & PTE_P) this.memory.release((pte & PTE_FRAME) >>> PAGE_SHIFT);
      }
      this.memory.release(table);
    }
    this.tables.length = 0;
    this.mapped = 0;
    this.generation++;
    this.memory.release(this.cr3 >>> PAGE_SHIFT);
  }

  private hasTable(va: number): boolean {
    return (this.memory.words[(this.cr3 >>> 2) + (va >>> 22)]! & PTE_P) !== 0;
  }

  private newTable(): number {
    const frame = this.memory.allocFrame();
    if (frame >= 0) this.tables.push(frame);
    return frame;
  }
}
