/**
 * The pager: a swap device, paging out when frames run out, and the page
 * fault handler that brings pages back. Invisible to programs: a page paged
 * out stays mapped (its PTE keeps U and W, marked SWAPPED or OBJECT), and
 * both program accesses and the kernel's user copies fault it back in.
 *
 * Policy: a clock (second chance) over frames in frame order, deterministic.
 * A frame is a candidate when it is a user page (held by one PTE, or by a
 * memory object) and not pinned; a frame referenced since the hand last
 * passed (its PTE's accessed bit, or faulted in since) is spared once.
 * Message buffers and stacks are pinned, page tables are never candidates.
 */
import { PAGE_SHIFT, PAGE_SIZE } from "../machine/addresses.js";
import { PTE_A, PTE_FRAME, PTE_OBJECT, PTE_P, PTE_SWAPPED, PTE_U, PTE_W, type Mmu } from "../machine/paging.js";
import { HOLDER_OBJECT, HOLDER_PTE, type PhysicalMemory } from "../machine/physical-memory.js";
import type { AddressSpace } from "./address-space.js";
import type { MemoryObject } from "./memory-object.js";
import { mappedAway } from "./user-copy.js";

/** Swap slots fit the 20 frame bits of a PTE. */
export const MAX_SWAP_SLOTS = 1 << 20;

/** What pageOut did: nothing, freed a frame, or freed one by paging into the slot it was given. */
const NONE_FREED = 0;
const FREED = 1;
const FREED_INTO_SLOT = 2;

export class Pager {
  readonly slotCount: number;
  private readonly swap: Uint8Array;
  private readonly freeSlots: Int32Array;
  private freeSlotTop = 0;
  private hand = 1;
  private readonly spaces = new Map<number, AddressSpace>();
  /** A page in transit while a fault trades places with a victim. */
  private readonly scratch = new Uint8Array(PAGE_SIZE);
  /** Counters for tests and benchmarks. */
  pageOuts = 0;
  pageIns = 0;

  constructor(
    private readonly memory: PhysicalMemory,
    private readonly mmu: Mmu,
    swapBytes: number,
  ) {
    this.slotCount = Math.min(MAX_SWAP_SLOTS, Math.max(0, Math.floor(swapBytes / PAGE_SIZE)));
    this.swap = new Uint8Array(this.slotCount * PAGE_SIZE);
    this.freeSlots = new Int32Array(this.slotCount);
    for (let s = this.slotCount - 1; s >= 0; s--) this.freeSlots[this.freeSlotTop++] = s;
    memory.reclaim = () => this.pageOut(-1) !== NONE_FREED;
    memory.reclaimable = () => this.reclaimable();
    memory.swapRoom = () => this.freeSlotTop + this.droppable();
    mmu.faultHandler = (cr3, va, access) => this.fault(cr3, va, access);
  }

  get freeSlotCount(): number {
    return this.freeSlotTop;
  }

  get usedSlots(): number {
    return this.slotCount - this.freeSlotTop;
  }

  register(space: AddressSpace): void {
    this.spaces.set(space.cr3, space);
  }

  unregister(space: AddressSpace): void {
    this.spaces.delete(space.cr3);
  }

  freeSlot(slot: number): void {
    this.freeSlots[this.freeSlotTop++] = slot;
  }

  /** Frames paging out could free now: candidates, bounded by free slots for pages that need one. */
  private reclaimable(): number {
    const m = this.memory;
    let needSlot = 0;
    let dropped = 0;
    for (let f = 1; f < m.frameCount; f++) {
      if (m.pins[f] !== 0) continue;
      const h = m.holder[f];
      if (h === HOLDER_PTE) needSlot++;
      else if (h === HOLDER_OBJECT) {
        const kind = (m.holderObject[f] as MemoryObject).backing.kind;
        if (kind === "ram-disk") dropped++;
        else if (kind === "anonymous") needSlot++;
      }
    }
    return Math.min(needSlot, this.freeSlotTop) + dropped;
  }

  /** RAM-disk pages in memory and not pinned: paged out by dropping them. */
  private droppable(): number {
    const m = this.memory;
    let n = 0;
    for (let f = 1; f < m.frameCount; f++) {
      if (
        m.pins[f] === 0 &&
        m.holder[f] === HOLDER_OBJECT &&
        (m.holderObject[f] as MemoryObject).backing.kind === "ram-disk"
      )
        n++;
    }
    return n;
  }

  /** The page-fault handler: brings back a paged-out page or an object's page; false for a true fault. */
  fault(cr3: number, va: number, access: number): boolean {
    if (!mappedAway(this.mmu, cr3 as never, va, access)) return false;
    const at = this.mmu.pteIndex(cr3, va);
    const pte = this.memory.words[at]!;
    const keep = pte & (PTE_U | PTE_W);
    if (pte & PTE_SWAPPED) {
      const frame = this.swapIn(pte >>> PAGE_SHIFT);
      if (frame < 0) return false;
      this.memory.words[at] = ((frame << PAGE_SHIFT) | PTE_P | keep) >>> 0;
      this.memory.setHolder(frame, HOLDER_PTE, at);
      return true;
    }
    const space = this.spaces.get(cr3);
    const m = space?.objectPageAt(va);
    if (m === undefined) throw new Error(`page 0x${va.toString(16)} marked OBJECT but no mapping records it`);
    const frame = this.objectFrame(m.object, m.index);
    if (frame < 0) return false;
    this.memory.retain(frame);
    this.memory.words[at] = ((frame << PAGE_SHIFT) | PTE_P | keep) >>> 0;
    return true;
  }

  /** Page `index` of `obj` in memory (made or brought back if need be); its frame, or -1 when none is left. */
  objectFrame(obj: MemoryObject, index: number): number {
    const p = obj.pages[index]!;
    if (p > 0) return p;
    const frame = p < 0 ? this.swapIn(-p - 1) : this.memory.allocFrame();
    if (frame < 0) return -1;
    const at = frame << PAGE_SHIFT;
    if (p < 0) {
      // swapIn filled it.
    } else if (obj.backing.kind === "ram-disk") {
      const src = obj.backing.bytes.subarray(index * PAGE_SIZE, (index + 1) * PAGE_SIZE);
      this.memory.bytes.set(src, at);
    }
    obj.pages[index] = frame;
    this.memory.setHolder(frame, HOLDER_OBJECT, index, obj);
    return frame;
  }

  /**
   * A frame holding the page in swap slot `slot`, the slot freed; -1 when no
   * frame can be had. With no free frame and no free slot, a victim is paged
   * out into `slot` itself, the two pages trading places through `scratch`.
   */
  private swapIn(slot: number): number {
    const bytes = this.memory.bytes;
    const page = this.swap.subarray(slot * PAGE_SIZE, (slot + 1) * PAGE_SIZE);
    let frame = this.memory.allocFrame();
    if (frame >= 0) {
      bytes.set(page, frame << PAGE_SHIFT);
      this.freeSlot(slot);
    } else {
      this.scratch.set(page);
      const how = this.pageOut(slot);
      if (how === NONE_FREED) return -1;
      frame = this.memory.allocFrame();
      bytes.set(this.scratch, frame << PAGE_SHIFT);
      if (how === FREED) this.freeSlot(slot);
    }
    this.pageIns++;
    return frame;
  }

  /**
   * Frees one frame by paging a candidate out, into swap slot `into` when
   * given (>= 0) instead of a free one; NONE_FREED when there is no candidate.
   */
  pageOut(into = -1): number {
    const m = this.memory;
    const words = m.words;
    const n = m.frameCount;
    for (let scanned = 0; scanned < 3 * n; scanned++) {
      const f = this.hand;
      this.hand = f + 1 < n ? f + 1 : 1;
      if (m.pins[f] !== 0) continue;
      const h = m.holder[f];
      const noSlot = into < 0 && this.freeSlotTop === 0;
      if (h === HOLDER_PTE) {
        if (noSlot) continue;
        const at = m.holderWord[f]!;
        if (this.spare(f, at)) continue;
        this.pageOutPrivate(f, at, into);
        return into < 0 ? FREED : FREED_INTO_SLOT;
      }
      if (h === HOLDER_OBJECT) {
        const obj = m.holderObject[f] as MemoryObject;
        const kind = obj.backing.kind;
        if (kind === "file-cache" || (kind === "anonymous" && noSlot)) continue;
        if (this.spareObject(f, obj, m.holderWord[f]!)) continue;
        this.pageOutObject(f, obj, m.holderWord[f]!, into);
        return into >= 0 && kind === "anonymous" ? FREED_INTO_SLOT : FREED;
      }
    }
    return NONE_FREED;
  }

  /** Second chance: true (and the marks cleared) when `f` was referenced since the hand last passed. */
  private spare(f: number, pteAt: number): boolean {
    const m = this.memory;
    const pte = m.words[pteAt]!;
    if (m.referenced[f] === 0 && (pte & PTE_A) === 0) return false;
    m.referenced[f] = 0;
    m.words[pteAt] = (pte & ~PTE_A) >>> 0;
    return true;
  }

  private spareObject(f: number, obj: MemoryObject, index: number): boolean {
    const m = this.memory;
    let used = m.referenced[f] !== 0;
    m.referenced[f] = 0;
    for (const map of obj.mappers[index]!) {
      const at = this.mmu.pteIndex(map.space.cr3, map.va);
      const pte = m.words[at]!;
      if (pte & PTE_A) {
        used = true;
        m.words[at] = (pte & ~PTE_A) >>> 0;
      }
    }
    return used;
  }

  private toSwap(f: number, into: number): number {
    const slot = into >= 0 ? into : this.freeSlots[--this.freeSlotTop]!;
    this.swap.set(this.memory.bytes.subarray(f << PAGE_SHIFT, (f + 1) << PAGE_SHIFT), slot * PAGE_SIZE);
    this.pageOuts++;
    return slot;
  }

  private pageOutPrivate(f: number, pteAt: number, into: number): void {
    const words = this.memory.words;
    const pte = words[pteAt]!;
    if ((pte & PTE_FRAME) >>> PAGE_SHIFT !== f || this.memory.refCount(f) !== 1) {
      throw new Error(`pager: frame ${f} is not held by its PTE alone`);
    }
    const slot = this.toSwap(f, into);
    words[pteAt] = ((slot << PAGE_SHIFT) | PTE_SWAPPED | (pte & (PTE_U | PTE_W))) >>> 0;
    this.memory.release(f);
  }

  private pageOutObject(f: number, obj: MemoryObject, index: number, into: number): void {
    const words = this.memory.words;
    obj.pages[index] = obj.backing.kind === "anonymous" ? -(this.toSwap(f, into) + 1) : 0;
    for (const map of obj.mappers[index]!) {
      const at = this.mmu.pteIndex(map.space.cr3, map.va);
      const pte = words[at]!;
      if (pte & PTE_P) {
        words[at] = (PTE_OBJECT | (pte & (PTE_U | PTE_W))) >>> 0;
        this.memory.release(f);
      }
    }
    if (this.memory.refCount(f) !== 1) throw new Error(`pager: object frame ${f} still referenced`);
    this.memory.release(f);
  }

  /**
   * The byte at `va` of a page that is mapped but not in memory, read where
   * it is (swap, or the object's backing) without bringing it in; -1 when
   * `va` is not such a page. For debuggers and tracers.
   */
  peek(cr3: number, va: number): number {
    const pte = this.mmu.pte(cr3 as never, va as never);
    const off = va & (PAGE_SIZE - 1);
    if (pte & PTE_P) return -1;
    if (pte & PTE_SWAPPED) return this.swap[(pte >>> PAGE_SHIFT) * PAGE_SIZE + off]!;
    if (!(pte & PTE_OBJECT)) return -1;
    const m = this.spaces.get(cr3)?.objectPageAt(va);
    if (m === undefined) return -1;
    const p = m.object.pages[m.index]!;
    if (p > 0) return this.memory.bytes[(p << PAGE_SHIFT) + off]!;
    if (p < 0) return this.swap[(-p - 1) * PAGE_SIZE + off]!;
    const backing = m.object.backing;
    return backing.kind === "ram-disk" ? (backing.bytes[m.index * PAGE_SIZE + off] ?? 0) : 0;
  }

  /** A mapping of `obj` went away: free it if nothing names it any more. */
  objectUnmapped(obj: MemoryObject): void {
    if (obj.mappings !== 0) return;
    if (obj.references === 0) this.releaseObject(obj);
    else if (obj.backing.kind === "ram-disk") this.dropPages(obj);
  }

  /** A RAM-disk object nobody maps gives its frames back: every page is read again from the file on use. */
  private dropPages(obj: MemoryObject): void {
    for (let i = 0; i < obj.pageCount; i++) {
      const p = obj.pages[i]!;
      if (p > 0) this.memory.release(p);
      obj.pages[i] = 0;
    }
  }

  /** Frees an object's frames and swap slots (its last descriptor and mapping are gone). */
  releaseObject(obj: MemoryObject): void {
    obj.alive = false;
    for (let i = 0; i < obj.pageCount; i++) {
      const p = obj.pages[i]!;
      if (p > 0) this.memory.release(p);
      else if (p < 0) this.freeSlot(-p - 1);
      obj.pages[i] = 0;
    }
  }
}
