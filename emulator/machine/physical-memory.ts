/**
 * Physical memory: `frameCount` frames of 4 KiB in one ArrayBuffer, and the
 * frame allocator. Each frame has a reference count (a frame mapped in two
 * address spaces, or pinned by a message-buffer view, counts each) so that
 * shared frames and swap can be added without changing callers. Frame 0 is
 * never handed out: physical address 0 stays a recognisable "none".
 *
 * Only the kernel allocates and frees frames; the page walker reads them.
 */
import { PAGE_SHIFT, PAGE_SIZE, type PhysAddr } from "./addresses.js";

export const MAX_FRAME_REFS = 0xffff;

/** What holds a user frame, for the pager: nothing it may page out, one PTE, or a memory object's page. */
export const HOLDER_NONE = 0;
export const HOLDER_PTE = 1;
export const HOLDER_OBJECT = 2;

export class PhysicalMemory {
  readonly frameCount: number;
  readonly buffer: ArrayBuffer;
  readonly bytes: Uint8Array;
  /** Little-endian 32-bit words; the i386 is little-endian and so is every host Node runs on. */
  readonly words: Uint32Array;
  private readonly refs: Uint16Array;
  private readonly free: Int32Array;
  private freeTop = 0;
  /**
   * The frame table the kernel's pager keeps (a `struct page` each): who holds
   * the frame (HOLDER_*), the PTE's word index or the object's page index, the
   * object, pins (a pinned frame is never paged out) and the clock's
   * referenced bit. A freed frame's entry is cleared.
   */
  readonly holder: Uint8Array;
  readonly holderWord: Int32Array;
  readonly holderObject: unknown[];
  readonly pins: Uint16Array;
  readonly referenced: Uint8Array;
  /** Called when no frame is free: frees one (by paging out) and returns true, or false. */
  reclaim: (() => boolean) | null = null;
  /** How many frames `reclaim` could free now. */
  reclaimable: () => number = () => 0;
  /** Pages that could leave memory beyond the free frames: free swap slots and droppable pages. */
  swapRoom: () => number = () => 0;

  constructor(frameCount: number) {
    if (!Number.isInteger(frameCount) || frameCount < 2 || frameCount > 1 << 20) {
      throw new RangeError(`physical memory needs 2..1048576 frames, got ${frameCount}`);
    }
    this.frameCount = frameCount;
    this.buffer = new ArrayBuffer(frameCount * PAGE_SIZE);
    this.bytes = new Uint8Array(this.buffer);
    this.words = new Uint32Array(this.buffer);
    this.refs = new Uint16Array(frameCount);
    this.free = new Int32Array(frameCount);
    this.holder = new Uint8Array(frameCount);
    this.holderWord = new Int32Array(frameCount);
    this.holderObject = new Array<unknown>(frameCount).fill(null);
    this.pins = new Uint16Array(frameCount);
    this.referenced = new Uint8Array(frameCount);
    // Lowest frames come out first, so allocation order is deterministic and readable in dumps.
    for (let f = frameCount - 1; f >= 1; f--) this.free[this.freeTop++] = f;
  }

  /** Frames not in use. */
  get freeFrames(): number {
    return this.freeTop;
  }

  /** Frames in use (frame 0 excluded). */
  get usedFrames(): number {
    return this.frameCount - 1 - this.freeTop;
  }

  /**
   * Whether `pages` new pageable frames and `tables` page tables can be had:
   * free frames, or else enough frames reclaimable now to make the tables
   * and the first page (each new page can be paged out in turn), and room
   * for everything beyond memory in swap.
   */
  canAllocate(pages: number, tables: number): boolean {
    const need = pages + tables;
    if (this.freeTop >= need) return true;
    return this.freeTop + this.reclaimable() >= tables + 1 && this.freeTop + this.swapRoom() >= need;
  }

  /** A zeroed frame with one reference, or -1 when memory is exhausted (after asking `reclaim`). */
  allocFrame(): number {
    while (this.freeTop === 0) if (this.reclaim === null || !this.reclaim()) return -1;
    const frame = this.free[--this.freeTop]!;
    this.bytes.fill(0, frame << PAGE_SHIFT, (frame + 1) << PAGE_SHIFT);
    this.refs[frame] = 1;
    return frame;
  }

  retain(frame: number): void {
    this.check(frame);
    if (this.refs[frame]! >= MAX_FRAME_REFS) throw new Error(`frame ${frame}: reference count overflow`);
    this.refs[frame]!++;
  }

  /** Drops one reference; the frame returns to the free list at zero. */
  release(frame: number): void {
    this.check(frame);
    if (--this.refs[frame]! === 0) {
      this.free[this.freeTop++] = frame;
      this.holder[frame] = HOLDER_NONE;
      this.holderObject[frame] = null;
      this.pins[frame] = 0;
      this.referenced[frame] = 0;
    }
  }

  /** Marks who holds `frame` (HOLDER_PTE: the PTE's word index; HOLDER_OBJECT: the object and page index). */
  setHolder(frame: number, kind: number, word: number, object: unknown = null): void {
    this.holder[frame] = kind;
    this.holderWord[frame] = word;
    this.holderObject[frame] = object;
    this.referenced[frame] = 1;
  }

  refCount(frame: number): number {
    return frame > 0 && frame < this.frameCount ? this.refs[frame]! : 0;
  }

  address(frame: number): PhysAddr {
    return (frame << PAGE_SHIFT) as PhysAddr;
  }

  private check(frame: number): void {
    if (!(frame > 0 && frame < this.frameCount) || this.refs[frame] === 0) {
      throw new Error(`frame ${frame} is not allocated`);
    }
  }
}
