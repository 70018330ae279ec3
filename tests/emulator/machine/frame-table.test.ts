/**
 * The frame table the pager keeps in physical memory (holders, pins, the
 * referenced bit, reclaim hooks) and the MMU's page-fault hook.
 */
import { describe, expect, it } from "vitest";
import { HOLDER_NONE, HOLDER_OBJECT, HOLDER_PTE, PhysicalMemory } from "../../../emulator/machine/physical-memory.js";
import { Mmu, PTE_P, PTE_U, PTE_W } from "../../../emulator/machine/paging.js";

describe("frame table", () => {
  it("clears a frame's holder, pins and referenced bit when it is freed", () => {
    const m = new PhysicalMemory(4);
    const f = m.allocFrame();
    const holder = {};
    m.setHolder(f, HOLDER_OBJECT, 7, holder);
    m.pins[f]!++;
    expect([m.holder[f], m.holderWord[f], m.holderObject[f], m.referenced[f]]).toEqual([HOLDER_OBJECT, 7, holder, 1]);
    m.retain(f);
    m.release(f);
    expect(m.holder[f]).toBe(HOLDER_OBJECT);
    m.release(f);
    expect([m.holder[f], m.holderObject[f], m.pins[f], m.referenced[f]]).toEqual([HOLDER_NONE, null, 0, 0]);
  });

  it("asks reclaim for a frame when none is free, and counts on swap room in canAllocate", () => {
    const m = new PhysicalMemory(3);
    const a = m.allocFrame();
    const b = m.allocFrame();
    m.setHolder(a, HOLDER_PTE, 0);
    expect(m.canAllocate(1, 0)).toBe(false);
    let reclaimed = 0;
    m.reclaim = () => {
      reclaimed++;
      m.release(a);
      return true;
    };
    m.reclaimable = () => 1;
    m.swapRoom = () => 1;
    expect(m.canAllocate(1, 0)).toBe(true);
    expect(m.canAllocate(2, 0)).toBe(false);
    expect(m.canAllocate(0, 2)).toBe(false);
    expect(m.allocFrame()).toBe(a);
    expect(reclaimed).toBe(1);
    m.reclaim = () => false;
    expect(m.allocFrame()).toBe(-1);
    expect(m.refCount(b)).toBe(1);
  });
});

describe("Mmu page-fault hook", () => {
  function setup() {
    const m = new PhysicalMemory(16);
    const mmu = new Mmu(m);
    const dir = m.allocFrame() << 12;
    const table = () => m.allocFrame();
    return { m, mmu, dir, table };
  }

  it("pteIndex names the PTE's word, -1 without a page table", () => {
    const { m, mmu, dir, table } = setup();
    expect(mmu.pteIndex(dir, 0x40_1000)).toBe(-1);
    const f = m.allocFrame();
    mmu.setPte(dir as never, 0x40_1000 as never, (f << 12) | PTE_P | PTE_U, table);
    const at = mmu.pteIndex(dir, 0x40_1000);
    expect(m.words[at]! >>> 12).toBe(f);
  });

  it("resolveFaulting calls the handler once and retries; a refused fault stays -1", () => {
    const { m, mmu, dir, table } = setup();
    mmu.setPte(dir as never, 0x40_0000 as never, 0, table);
    const calls: number[] = [];
    expect(mmu.resolveFaulting(dir as never, 0x40_0010, PTE_U)).toBe(-1);
    mmu.faultHandler = (_cr3, va) => {
      calls.push(va);
      if (va >= 0x50_0000) return false;
      const f = m.allocFrame();
      m.words[mmu.pteIndex(dir, va)] = ((f << 12) | PTE_P | PTE_U | PTE_W) >>> 0;
      return true;
    };
    const p = mmu.resolveFaulting(dir as never, 0x40_0010, PTE_U);
    expect(p & 0xfff).toBe(0x10);
    expect(mmu.resolveFaulting(dir as never, 0x50_0000, PTE_U)).toBe(-1);
    expect(calls).toEqual([0x40_0010, 0x50_0000]);
  });
});
