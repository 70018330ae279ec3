/**
 * The kernel's only way into user memory: checked copies, page by page
 * through the page tables with user access rights (after xv6's copyin and
 * copyout). A user pointer is an allegation until `userRangeOk` has checked
 * every page of the range; an unmapped or read-only page is a `false` for the
 * caller to turn into EFAULT, never an exception.
 *
 * NOTE: the IPC paths check whole ranges before copying so that a fault never
 * leaves half a message behind. Keep that order when adding a caller.
 *
 * A page paged out to swap, or a memory object's page not in memory, is
 * mapped all the same: range checks read its rights from the PTE, and the
 * copies take the page fault that brings it back, invisibly to the program.
 */
import { PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, type PhysAddr } from "../machine/addresses.js";
import { ACCESS_USER, ACCESS_WRITE, PTE_OBJECT, PTE_SWAPPED, PTE_U, PTE_W, type Mmu } from "../machine/paging.js";

export const USER_READ = ACCESS_USER;
export const USER_WRITE = ACCESS_USER | ACCESS_WRITE;

/** Whether every page of [va, va + length) allows `access`; the range may not wrap. */
export function userRangeOk(mmu: Mmu, cr3: PhysAddr, va: number, length: number, access: number): boolean {
  if (length === 0) return true;
  const start = va >>> 0;
  const end = start + length;
  if (end > 0x1_0000_0000) return false;
  for (let p = start - (start & PAGE_MASK); p < end; p += PAGE_SIZE) {
    if (mmu.resolve(cr3, p, access) < 0 && !mappedAway(mmu, cr3, p, access)) return false;
  }
  return true;
}

/** Whether the page at `va` is mapped for `access` but not in memory now (paged out, or an object's page). */
export function mappedAway(mmu: Mmu, cr3: PhysAddr, va: number, access: number): boolean {
  const pte = mmu.pte(cr3, va as never);
  if ((pte & (PTE_SWAPPED | PTE_OBJECT)) === 0) return false;
  if (access & ACCESS_USER && !(pte & PTE_U)) return false;
  return !(access & ACCESS_WRITE && !(pte & PTE_W));
}

/**
 * Faults in the pages under `s` and `d` with the first one pinned meanwhile,
 * so that bringing in the second cannot page out the first.
 */
function bringInPair(mmu: Mmu, srcCr3: PhysAddr, s: number, dstCr3: PhysAddr, d: number): boolean {
  const sp = mmu.resolveFaulting(srcCr3, s, USER_READ);
  if (sp < 0) return false;
  const frame = sp >>> PAGE_SHIFT;
  const pins = mmu.memory.pins;
  pins[frame]!++;
  const dp = mmu.resolveFaulting(dstCr3, d, USER_WRITE);
  pins[frame]!--;
  return dp >= 0;
}

/** Copies `length` bytes between two address spaces; false at the first fault. */
export function copyUser(
  mmu: Mmu,
  srcCr3: PhysAddr,
  srcVa: number,
  dstCr3: PhysAddr,
  dstVa: number,
  length: number,
): boolean {
  const bytes = mmu.memory.bytes;
  let s = srcVa >>> 0;
  let d = dstVa >>> 0;
  let left = length;
  while (left > 0) {
    let sp = mmu.resolve(srcCr3, s, USER_READ);
    let dp = mmu.resolve(dstCr3, d, USER_WRITE);
    if (sp < 0 || dp < 0) {
      if (!bringInPair(mmu, srcCr3, s, dstCr3, d)) return false;
      sp = mmu.resolve(srcCr3, s, USER_READ);
      dp = mmu.resolve(dstCr3, d, USER_WRITE);
      if (sp < 0 || dp < 0) return false;
    }
    let chunk = Math.min(left, PAGE_SIZE - (s & PAGE_MASK), PAGE_SIZE - (d & PAGE_MASK));
    // Small messages are the common case, and a plain loop beats the builtin's call overhead there.
    if (chunk <= 64) for (let i = 0; i < chunk; i++) bytes[dp + i] = bytes[sp + i]!;
    else {
      // Bulk copies (leases): pages whose frames follow each other on both sides go in one copy.
      while (chunk < left) {
        const ns = (s + chunk) >>> 0;
        const nd = (d + chunk) >>> 0;
        if (mmu.resolve(srcCr3, ns, USER_READ) !== sp + chunk || mmu.resolve(dstCr3, nd, USER_WRITE) !== dp + chunk)
          break;
        chunk += Math.min(left - chunk, PAGE_SIZE - (ns & PAGE_MASK), PAGE_SIZE - (nd & PAGE_MASK));
      }
      bytes.copyWithin(dp, sp, sp + chunk);
    }
    s = (s + chunk) >>> 0;
    d = (d + chunk) >>> 0;
    left -= chunk;
  }
  return true;
}

/** Copies user bytes into `dst` (a kernel buffer). */
export function copyIn(mmu: Mmu, cr3: PhysAddr, va: number, dst: Uint8Array, length: number): boolean {
  const bytes = mmu.memory.bytes;
  let s = va >>> 0;
  let done = 0;
  while (done < length) {
    const sp = mmu.resolveFaulting(cr3, s, USER_READ);
    if (sp < 0) return false;
    const chunk = Math.min(length - done, PAGE_SIZE - (s & PAGE_MASK));
    dst.set(bytes.subarray(sp, sp + chunk), done);
    s = (s + chunk) >>> 0;
    done += chunk;
  }
  return true;
}

/** Copies `src` (a kernel buffer) into user memory. */
export function copyOut(mmu: Mmu, cr3: PhysAddr, va: number, src: Uint8Array, length: number): boolean {
  const bytes = mmu.memory.bytes;
  let d = va >>> 0;
  let done = 0;
  while (done < length) {
    const dp = mmu.resolveFaulting(cr3, d, USER_WRITE);
    if (dp < 0) return false;
    const chunk = Math.min(length - done, PAGE_SIZE - (d & PAGE_MASK));
    bytes.set(src.subarray(done, done + chunk), dp);
    d = (d + chunk) >>> 0;
    done += chunk;
  }
  return true;
}

/**
 * Reads a little-endian u32 the caller has already range-checked; -1 means a
 * fault, which a checked range cannot produce (so it is an emulator bug).
 */
export function loadWord(mmu: Mmu, cr3: PhysAddr, va: number): number {
  const v = va >>> 0;
  const p = mmu.resolveFaulting(cr3, v, USER_READ);
  if (p < 0) throw new Error(`loadWord: unchecked user address 0x${v.toString(16)}`);
  if ((v & PAGE_MASK) <= PAGE_SIZE - 4) {
    if ((p & 3) === 0) return mmu.memory.words[p >>> 2]!;
    const b = mmu.memory.bytes;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }
  let w = 0;
  for (let i = 0; i < 4; i++) {
    const q = mmu.resolveFaulting(cr3, (v + i) >>> 0, USER_READ);
    if (q < 0) throw new Error(`loadWord: unchecked user address 0x${(v + i).toString(16)}`);
    w |= mmu.memory.bytes[q]! << (8 * i);
  }
  return w >>> 0;
}

/** Writes a little-endian u32 to a range the caller has already checked. */
export function storeWord(mmu: Mmu, cr3: PhysAddr, va: number, value: number): void {
  const v = va >>> 0;
  for (let i = 0; i < 4; i++) {
    const q = mmu.resolveFaulting(cr3, (v + i) >>> 0, USER_WRITE);
    if (q < 0) throw new Error(`storeWord: unchecked user address 0x${(v + i).toString(16)}`);
    mmu.memory.bytes[q] = (value >>> (8 * i)) & 0xff;
  }
}
