/**
 * i386 two-level paging (32-bit paging, 4 KiB pages), after Intel SDM vol. 3A
 * ch. 4: section 4.3 (the walk), 4.6 (access rights), 4.7 (page-fault error
 * code) and 4.8 (accessed and dirty flags). Large pages (PSE) and PAT are not
 * modelled.
 *
 * A linear address splits 10/10/12:
 *
 *    31                22 21                12 11                     0
 *   +--------------------+--------------------+------------------------+
 *   | page directory idx | page table index   | offset within the page |
 *   +--------------------+--------------------+------------------------+
 *         PDX(va)               PTX(va)              va & 0xFFF
 *
 * CR3 holds the physical address of the page directory; each of its 1024 PDEs
 * points at a page table of 1024 PTEs; both live in emulated physical memory.
 * The walk never throws: a missing or forbidden translation comes back as a
 * `PageFault` value carrying the faulting address and the error code.
 */
import { PAGE_SHIFT, type PhysAddr, type VirtAddr } from "./addresses.js";
import type { PhysicalMemory } from "./physical-memory.js";

export const PTE_P = 0x001;
export const PTE_W = 0x002;
export const PTE_U = 0x004;
export const PTE_A = 0x020;
export const PTE_D = 0x040;
export const PTE_FRAME = 0xfffff000;
/**
 * Bits 9-11 are free for the system (SDM table 4-6). In a not-present PTE the
 * kernel keeps U and W, so rights can be checked without the page, and marks
 * a page paged out to swap slot (pte >>> 12) with SWAPPED, or a page of a
 * mapped memory object not in memory now with OBJECT.
 */
export const PTE_SWAPPED = 0x200;
export const PTE_OBJECT = 0x400;
export const PTE_MAPPED = PTE_P | PTE_SWAPPED | PTE_OBJECT;

/** Access kinds, numbered like the page-fault error code bits (SDM 4.7). */
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 0x2;
export const ACCESS_USER = 0x4;
export type Access = number;

export function pdx(va: number): number {
  return (va >>> 22) & 0x3ff;
}

export function ptx(va: number): number {
  return (va >>> 12) & 0x3ff;
}

/** Why a translation failed: error code bit 0 (P) tells "not present" from "protection". */
export interface PageFault {
  readonly kind: "page-fault";
  readonly address: VirtAddr;
  /** SDM 4.7: bit 0 P (protection violation), bit 1 W/R, bit 2 U/S. */
  readonly errorCode: number;
  readonly cause: "not-present" | "protection";
}

export function isPageFault(r: PhysAddr | PageFault): r is PageFault {
  return typeof r !== "number";
}

function fault(va: number, access: Access, present: boolean): PageFault {
  return {
    kind: "page-fault",
    address: (va >>> 0) as VirtAddr,
    errorCode: (present ? 1 : 0) | (access & (ACCESS_WRITE | ACCESS_USER)),
    cause: present ? "protection" : "not-present",
  };
}

/**
 * Access rights of a 4 KiB page are the AND of the PDE's and the PTE's R/W and
 * U/S bits (SDM 4.6.1). Supervisor writes honour R/W too, as with CR0.WP = 1,
 * so the kernel can never write through a read-only user mapping.
 */
function allowed(pde: number, pte: number, access: Access): boolean {
  if (access & ACCESS_USER && !(pde & pte & PTE_U)) return false;
  if (access & ACCESS_WRITE && !(pde & pte & PTE_W)) return false;
  return true;
}

/**
 * The page-fault handler (vector 14): given the faulting CR3, address and
 * access, it makes the page present and returns true, or returns false for a
 * true fault. Set by the kernel; null means every fault is fatal.
 */
export type FaultHandler = (cr3: number, va: number, access: Access) => boolean;

/** The MMU of one processor, reading tables from `memory`. */
export class Mmu {
  faultHandler: FaultHandler | null = null;

  constructor(readonly memory: PhysicalMemory) {}

  /** Raises a page fault for the handler; true when the access may be retried. */
  fault(cr3: number, va: number, access: Access): boolean {
    return this.faultHandler !== null && this.faultHandler(cr3, va >>> 0, access);
  }

  /** `resolve`, taking a page fault and retrying once when the page is only paged out. */
  resolveFaulting(cr3: PhysAddr, va: number, access: Access): number {
    const p = this.resolve(cr3, va, access);
    if (p >= 0 || !this.fault(cr3, va, access)) return p;
    return this.resolve(cr3, va, access);
  }

  /**
   * Translates `va` for `access` with the side effects of the hardware walk:
   * the accessed flags, and the dirty flag on a write (SDM 4.8).
   */
  translate(cr3: PhysAddr, va: VirtAddr, access: Access): PhysAddr | PageFault {
    const words = this.memory.words;
    const pdeAt = (cr3 >>> 2) + pdx(va);
    const pde = words[pdeAt]!;
    if (!(pde & PTE_P)) return fault(va, access, false);
    const pteAt = ((pde & PTE_FRAME) >>> 2) + ptx(va);
    const pte = words[pteAt]!;
    if (!(pte & PTE_P)) return fault(va, access, false);
    if (!allowed(pde, pte, access)) return fault(va, access, true);
    if (!(pde & PTE_A)) words[pdeAt] = pde | PTE_A;
    const want = access & ACCESS_WRITE ? PTE_A | PTE_D : PTE_A;
    if ((pte & want) !== want) words[pteAt] = pte | want;
    return ((pte & PTE_FRAME) + (va & 0xfff)) as PhysAddr;
  }

  /** The same walk with no side effects, for the kernel's checks and debuggers. */
  probe(cr3: PhysAddr, va: VirtAddr, access: Access): PhysAddr | PageFault {
    const words = this.memory.words;
    const pde = words[(cr3 >>> 2) + pdx(va)]!;
    if (!(pde & PTE_P)) return fault(va, access, false);
    const pte = words[((pde & PTE_FRAME) >>> 2) + ptx(va)]!;
    if (!(pte & PTE_P)) return fault(va, access, false);
    if (!allowed(pde, pte, access)) return fault(va, access, true);
    return ((pte & PTE_FRAME) + (va & 0xfff)) as PhysAddr;
  }

  /**
   * The hot-path form of `probe` for copies: the physical address, or -1 on
   * any fault. Allocates nothing.
   */
  resolve(cr3: PhysAddr, va: number, access: Access): number {
    const words = this.memory.words;
    const pde = words[(cr3 >>> 2) + ((va >>> 22) & 0x3ff)]!;
    if (!(pde & PTE_P)) return -1;
    const pte = words[((pde & PTE_FRAME) >>> 2) + ((va >>> 12) & 0x3ff)]!;
    if (!(pte & PTE_P) || !allowed(pde, pte, access)) return -1;
    return (pte & PTE_FRAME) + (va & 0xfff);
  }

  /** Where the PTE for `va` is: its index in `memory.words`, or -1 when its page table is absent. */
  pteIndex(cr3: number, va: number): number {
    const pde = this.memory.words[(cr3 >>> 2) + pdx(va)]!;
    if (!(pde & PTE_P)) return -1;
    return ((pde & PTE_FRAME) >>> 2) + ptx(va);
  }

  /** The raw PTE for `va`, or 0 when its page table is absent. */
  pte(cr3: PhysAddr, va: VirtAddr): number {
    const pde = this.memory.words[(cr3 >>> 2) + pdx(va)]!;
    if (!(pde & PTE_P)) return 0;
    return this.memory.words[((pde & PTE_FRAME) >>> 2) + ptx(va)]!;
  }

  /**
   * Writes the PTE for `va`, creating its page table from `allocTable` when
   * absent. Returns false when no frame is left for the table. Directory
   * entries are made present, writable and user: the PTE alone decides.
   */
  setPte(cr3: PhysAddr, va: VirtAddr, pte: number, allocTable: () => number): boolean {
    const words = this.memory.words;
    const pdeAt = (cr3 >>> 2) + pdx(va);
    let pde = words[pdeAt]!;
    if (!(pde & PTE_P)) {
      const frame = allocTable();
      if (frame < 0) return false;
      pde = ((frame << PAGE_SHIFT) | PTE_P | PTE_W | PTE_U) >>> 0;
      words[pdeAt] = pde;
    }
    words[((pde & PTE_FRAME) >>> 2) + ptx(va)] = pte >>> 0;
    return true;
  }
}
