/**
 * A process's address space: its page directory (CR3) and the user pages
 * mapped in it. The kernel decides which frames go where; the format of the
 * tables is machine/paging.ts's. User space is [USER_FIRST, USER_END): page 0
 * is never mapped, so a null msgPtr always faults.
 *
 * Pinned pages (message buffers whose views a program holds) carry an extra
 * frame reference and a pin, cannot be unmapped while the process lives, and
 * are never paged out.
 *
 * A user page is private (made by mem_alloc: its frame held by its PTE alone,
 * or paged out to a swap slot named in the PTE) or a page of a memory object
 * (recorded in `objectPages`; its PTE present, or marked OBJECT while the
 * page is out of memory).
 */
import { PAGE_SHIFT, PAGE_SIZE, type PhysAddr, type VirtAddr } from "../machine/addresses.js";
import { PTE_FRAME, PTE_MAPPED, PTE_OBJECT, PTE_P, PTE_SWAPPED, PTE_U, PTE_W, type Mmu } from "../machine/paging.js";
import { HOLDER_PTE, type PhysicalMemory } from "../machine/physical-memory.js";
import { EBUSY, EEXIST, EINVAL, ENOMEM } from "./abi.js";
import type { MemoryObject, ObjectMapping } from "./memory-object.js";
import type { Pager } from "./pager.js";
import { USER_READ } from "./user-copy.js";

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
  private readonly objectPages = new Map<number, ObjectMapping>();
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
    private readonly pager: Pager | null,
  ) {
    this.cr3 = memory.address(dirFrame);
  }

  /** A new empty address space, or null when no frame is left for its directory. */
  static create(memory: PhysicalMemory, mmu: Mmu, pager: Pager | null = null): AddressSpace | null {
    const dir = memory.allocFrame();
    if (dir < 0) return null;
    const space = new AddressSpace(memory, mmu, dir, pager);
    pager?.register(space);
    return space;
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
    return (this.mmu.pte(this.cr3, va as VirtAddr) & PTE_MAPPED) !== 0;
  }

  /** The object page mapped at `va`, if any. */
  objectPageAt(va: number): ObjectMapping | undefined {
    return this.objectPages.get((va - (va & 0xfff)) >>> 0);
  }

  /** Page tables a mapping of [va, va + length) would add, or -1 when a page in it is mapped (EEXIST). */
  private tablesNeeded(va: number, length: number): number {
    let newTables = 0;
    for (let p = va; p < va + length; p += PAGE_SIZE) {
      if (this.isMapped(p)) return -1;
      if ((p === va || (p & 0x3fffff) === 0) && !this.hasTable(p)) newTables++;
    }
    return newTables;
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
    const newTables = this.tablesNeeded(va, length);
    if (newTables < 0) return EEXIST;
    if (!this.memory.canAllocate(pages, newTables)) return ENOMEM;
    const flags = PTE_P | PTE_U | (prot & PROT_WRITE ? PTE_W : 0);
    for (let i = 0; i < pages; i++) {
      const p = (va + i * PAGE_SIZE) as VirtAddr;
      // The table first: making it may page out, and the new frame is not yet anyone's to page out.
      if (!this.mmu.setPte(this.cr3, p, 0, () => this.newTable()))
        throw new Error("frame accounting broken in allocate");
      const frame = this.memory.allocFrame();
      if (frame < 0) throw new Error("frame accounting broken in allocate");
      const at = this.mmu.pteIndex(this.cr3, p);
      this.memory.words[at] = ((frame << PAGE_SHIFT) | flags) >>> 0;
      this.memory.setHolder(frame, HOLDER_PTE, at);
      this.mapped++;
    }
    if (va === this.heapHint) this.heapHint = va + length;
    return 0;
  }

  /**
   * Maps pages [first, first + length / PAGE_SIZE) of `obj` at `va`: present
   * where the page is in memory, marked OBJECT where it is not (the first
   * access faults it in). EEXIST when a page is mapped, ENOMEM when no frame
   * is left for a page table; nothing changes then.
   */
  mapObject(obj: MemoryObject, va: number, first: number, length: number, writable: boolean): number {
    const newTables = this.tablesNeeded(va, length);
    if (newTables < 0) return EEXIST;
    if (newTables > 0 && !this.memory.canAllocate(0, newTables)) return ENOMEM;
    const rights = PTE_U | (writable ? PTE_W : 0);
    for (let i = 0; i < length / PAGE_SIZE; i++) {
      const p = va + i * PAGE_SIZE;
      if (!this.mmu.setPte(this.cr3, p as VirtAddr, 0, () => this.newTable())) {
        throw new Error("frame accounting broken in mapObject");
      }
      const index = first + i;
      const record: ObjectMapping = { space: this, va: p, object: obj, index, writable };
      this.objectPages.set(p, record);
      obj.mappers[index]!.push(record);
      obj.mappings++;
      const frame = obj.pages[index]!;
      let pte = PTE_OBJECT | rights;
      if (frame > 0) {
        this.memory.retain(frame);
        pte = (frame << PAGE_SHIFT) | PTE_P | rights;
      }
      this.memory.words[this.mmu.pteIndex(this.cr3, p)] = pte >>> 0;
      this.mapped++;
    }
    return 0;
  }

  /** Unmaps [va, va + length); unmapped pages are skipped, pinned ones refuse with EBUSY first. */
  unmap(va: number, length: number): number {
    for (let p = va; p < va + length; p += PAGE_SIZE) if (this.pinned.has(p)) return EBUSY;
    for (let p = va; p < va + length; p += PAGE_SIZE) {
      const pte = this.mmu.pte(this.cr3, p as VirtAddr);
      if (!(pte & PTE_MAPPED)) continue;
      this.mmu.setPte(this.cr3, p as VirtAddr, 0, () => -1);
      this.dropPage(p, pte);
      this.mapped--;
      this.generation++;
    }
    if (va < this.heapHint && va >= HEAP_BASE) this.heapHint = va;
    return 0;
  }

  /** What a page held, after its PTE is cleared: the frame reference, the swap slot, or the object mapping. */
  private dropPage(va: number, pte: number): void {
    const record = this.objectPages.get(va);
    if (record !== undefined) {
      this.objectPages.delete(va);
      const list = record.object.mappers[record.index]!;
      list.splice(list.indexOf(record), 1);
      if (pte & PTE_P) this.memory.release((pte & PTE_FRAME) >>> PAGE_SHIFT);
      record.object.mappings--;
      this.pager!.objectUnmapped(record.object);
    } else if (pte & PTE_P) {
      this.memory.release((pte & PTE_FRAME) >>> PAGE_SHIFT);
    } else if (pte & PTE_SWAPPED) {
      this.pager!.freeSlot(pte >>> PAGE_SHIFT);
    }
  }

  /** Pins the page at `va` (bringing it into memory first); returns its frame, or -1 when it is not mapped. */
  pin(va: number): number {
    if (this.pinned.has(va) || this.mmu.resolveFaulting(this.cr3, va, USER_READ) < 0) return -1;
    const frame = (this.mmu.pte(this.cr3, va as VirtAddr) & PTE_FRAME) >>> PAGE_SHIFT;
    this.memory.retain(frame);
    this.memory.pins[frame]!++;
    this.pinned.add(va);
    return frame;
  }

  /** Drops the pin of the page at `va` (the page stays mapped). */
  unpin(va: number): void {
    if (!this.pinned.delete(va)) return;
    const frame = (this.mmu.pte(this.cr3, va as VirtAddr) & PTE_FRAME) >>> PAGE_SHIFT;
    this.memory.pins[frame]!--;
    this.memory.release(frame);
  }

  /** Releases every frame and swap slot: pins, pages, object mappings, page tables, the directory. */
  destroy(): void {
    for (const va of [...this.pinned]) this.unpin(va);
    for (const [va] of [...this.objectPages]) {
      const pte = this.mmu.pte(this.cr3, va as VirtAddr);
      this.mmu.setPte(this.cr3, va as VirtAddr, 0, () => -1);
      this.dropPage(va, pte);
    }
    const words = this.memory.words;
    for (const table of this.tables) {
      const base = (table << PAGE_SHIFT) >>> 2;
      for (let i = 0; i < 1024; i++) {
        const pte = words[base + i]!;
        if (pte & PTE_P) this.memory.release((pte & PTE_FRAME) >>> PAGE_SHIFT);
        else if (pte & PTE_SWAPPED) this.pager!.freeSlot(pte >>> PAGE_SHIFT);
      }
      this.memory.release(table);
    }
    this.pager?.unregister(this);
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
