import { describe, expect, it } from "vitest";
import {
  ACCESS_READ,
  ACCESS_USER,
  ACCESS_WRITE,
  Mmu,
  PhysicalMemory,
  PTE_A,
  PTE_D,
  PTE_P,
  PTE_U,
  PTE_W,
  isPageFault,
  pdx,
  ptx,
  type PhysAddr,
  type VirtAddr,
} from "../../../emulator/machine/index.js";

/** A directory at frame 1 and one page table at frame 2 covering 0x00400000-0x007FFFFF. */
function setup(pdeFlags: number, pteFlags: number) {
  const mem = new PhysicalMemory(16);
  const dir = mem.allocFrame();
  const table = mem.allocFrame();
  const page = mem.allocFrame();
  const cr3 = mem.address(dir);
  mem.words[(cr3 >>> 2) + 1] = (table << 12) | pdeFlags;
  mem.words[(table << 10) + 3] = (page << 12) | pteFlags;
  return { mem, mmu: new Mmu(mem), cr3, page, table };
}

const VA = 0x00403123 as VirtAddr;
const U = ACCESS_USER;
const W = ACCESS_WRITE;
const P = PTE_P;

describe("linear address split (SDM 4.3)", () => {
  it.each([
    [0x00000000, 0, 0],
    [0x00403123, 1, 3],
    [0xffffffff, 1023, 1023],
    [0xc0001000, 768, 1],
  ])("0x%s -> PDX %i, PTX %i", (va, d, t) => {
    expect(pdx(va)).toBe(d);
    expect(ptx(va)).toBe(t);
  });
});

describe("translate", () => {
  const table: [string, number, number, number, "ok" | "not-present" | "protection", number][] = [
    // name, PDE flags, PTE flags, access, outcome, error code
    ["user read of a user page", P | PTE_U, P | PTE_U, U, "ok", 0],
    ["user write of a writable user page", P | PTE_U | PTE_W, P | PTE_U | PTE_W, U | W, "ok", 0],
    ["absent directory entry", 0, P | PTE_U, U, "not-present", 4],
    ["absent table entry", P | PTE_U, 0, U | W, "not-present", 6],
    ["user read of a supervisor page (PTE)", P | PTE_U, P, U, "protection", 5],
    ["user read where the PDE is supervisor", P, P | PTE_U, U, "protection", 5],
    ["user write of a read-only page", P | PTE_U | PTE_W, P | PTE_U, U | W, "protection", 7],
    ["user write where only the PDE is read-only", P | PTE_U, P | PTE_U | PTE_W, U | W, "protection", 7],
    ["supervisor read of a supervisor page", P, P, ACCESS_READ, "ok", 0],
    ["supervisor write of a read-only page (CR0.WP=1)", P | PTE_W, P, W, "protection", 3],
  ];
  it.each(table)("%s", (_name, pde, pte, access, outcome, code) => {
    const { mmu, cr3, page } = setup(pde, pte);
    for (const walk of [mmu.translate.bind(mmu), mmu.probe.bind(mmu)]) {
      const r = walk(cr3, VA, access);
      if (outcome === "ok") {
        expect(r).toBe(page * 4096 + 0x123);
        expect(mmu.resolve(cr3, VA, access)).toBe(r);
      } else {
        expect(isPageFault(r)).toBe(true);
        if (!isPageFault(r)) return;
        expect(r.cause).toBe(outcome);
        expect(r.errorCode).toBe(code);
        expect(r.address).toBe(VA);
        expect(mmu.resolve(cr3, VA, access)).toBe(-1);
      }
    }
  });

  it("sets accessed and dirty flags on translate but not on probe (SDM 4.8)", () => {
    const { mem, mmu, cr3, table } = setup(P | PTE_U | PTE_W, P | PTE_U | PTE_W);
    const pteAt = (table << 10) + 3;
    mmu.probe(cr3, VA, U | W);
    expect(mem.words[pteAt]! & (PTE_A | PTE_D)).toBe(0);
    mmu.translate(cr3, VA, U);
    expect(mem.words[pteAt]! & (PTE_A | PTE_D)).toBe(PTE_A);
    expect(mem.words[(cr3 >>> 2) + 1]! & PTE_A).toBe(PTE_A);
    mmu.translate(cr3, VA, U | W);
    expect(mem.words[pteAt]! & (PTE_A | PTE_D)).toBe(PTE_A | PTE_D);
  });

  it("setPte creates a missing page table from the allocator, or reports that none is left", () => {
    const mem = new PhysicalMemory(4);
    const mmu = new Mmu(mem);
    const cr3 = mem.address(mem.allocFrame()) as PhysAddr;
    const frame = mem.allocFrame();
    expect(mmu.setPte(cr3, 0x08048000 as VirtAddr, (frame << 12) | P | PTE_U, () => mem.allocFrame())).toBe(true);
    expect(mmu.probe(cr3, 0x08048010 as VirtAddr, U)).toBe(frame * 4096 + 0x10);
    expect(mmu.setPte(cr3, 0x40000000 as VirtAddr, P, () => -1)).toBe(false);
    expect(isPageFault(mmu.probe(cr3, 0x40000000 as VirtAddr, ACCESS_READ))).toBe(true);
  });
});
