/**
 * Branded address types. A `VirtAddr` is what a program names (an allegation
 * until the page tables confirm it); a `PhysAddr` is a byte offset into
 * physical memory, produced only by a page walk or the frame allocator.
 */
export type VirtAddr = number & { readonly __brand: "VirtAddr" };
export type PhysAddr = number & { readonly __brand: "PhysAddr" };

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;

/** Interprets any 32-bit value as a linear address (unsigned). */
export function virt(n: number): VirtAddr {
  return (n >>> 0) as VirtAddr;
}

export function phys(n: number): PhysAddr {
  return n as PhysAddr;
}

export function pageBase(va: number): VirtAddr {
  return ((va & ~PAGE_MASK) >>> 0) as VirtAddr;
}

export function isPageAligned(n: number): boolean {
  return (n & PAGE_MASK) === 0;
}
