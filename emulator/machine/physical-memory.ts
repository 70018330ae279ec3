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

export class PhysicalMemory {
  readonly frameCount: number;
  readonly buffer: ArrayBuffer;
  readonly bytes: Uint8Array;
  /** Little-endian 32-bit words; the i386 is little-endian and so is every host Node runs on. */
  readonly words: Uint32Array;
  private readonly refs: Uint16Array;
  private readonly free: Int32Array;
  private freeTop = 0;

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

  /** A zeroed frame with one reference, or -1 when memory is exhausted. */
  allocFrame(): number {
    if (this.freeTop === 0) return -1;
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
    if (--this.refs[frame]! === 0) this.free[this.freeTop++] = frame;
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
