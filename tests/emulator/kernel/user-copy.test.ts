/**
 * Checked copies on their own: page-crossing copies between two address
 * spaces, unaligned words across a page boundary, and the range checks.
 */
import { describe, expect, it } from "vitest";
import { Machine } from "../../../emulator/machine/index.js";
import { AddressSpace, PROT_READ, PROT_WRITE } from "../../../emulator/kernel/address-space.js";
import {
  USER_READ,
  USER_WRITE,
  copyIn,
  copyOut,
  copyUser,
  loadWord,
  storeWord,
  userRangeOk,
} from "../../../emulator/kernel/user-copy.js";

function spaces() {
  const m = new Machine({ memoryBytes: 256 * 1024 });
  const a = AddressSpace.create(m.memory, m.mmu)!;
  const b = AddressSpace.create(m.memory, m.mmu)!;
  expect(a.allocate(0x1000_0000, 0x2000, PROT_READ | PROT_WRITE)).toBe(0);
  expect(b.allocate(0x2000_0000, 0x2000, PROT_READ | PROT_WRITE)).toBe(0);
  expect(b.allocate(0x3000_0000, 0x1000, PROT_READ)).toBe(0);
  return { m, a, b };
}

describe("user-copy", () => {
  it("checks every page of a range for the access asked, and refuses wrapping ranges", () => {
    const { m, a, b } = spaces();
    expect(userRangeOk(m.mmu, a.cr3, 0x1000_0ff0, 0x1010, USER_WRITE)).toBe(true);
    expect(userRangeOk(m.mmu, a.cr3, 0x1000_0ff0, 0x1011, USER_WRITE)).toBe(false);
    expect(userRangeOk(m.mmu, b.cr3, 0x3000_0000, 16, USER_READ)).toBe(true);
    expect(userRangeOk(m.mmu, b.cr3, 0x3000_0000, 16, USER_WRITE)).toBe(false);
    expect(userRangeOk(m.mmu, a.cr3, 0xffff_fff0, 0x20, USER_READ)).toBe(false);
    expect(userRangeOk(m.mmu, a.cr3, 0, 0, USER_WRITE)).toBe(true);
  });

  it("copies across page boundaries on both sides, small and large", () => {
    const { m, a, b } = spaces();
    for (const length of [5, 100, 3000]) {
      const src = Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 0xff);
      expect(copyOut(m.mmu, a.cr3, 0x1000_0ffd, src, length)).toBe(true);
      expect(copyUser(m.mmu, a.cr3, 0x1000_0ffd, b.cr3, 0x2000_0f00, length)).toBe(true);
      const back = new Uint8Array(length);
      expect(copyIn(m.mmu, b.cr3, 0x2000_0f00, back, length)).toBe(true);
      expect(back).toEqual(src);
    }
  });

  it("stops at a fault: unmapped source, read-only destination", () => {
    const { m, a, b } = spaces();
    expect(copyUser(m.mmu, a.cr3, 0x1000_1ff0, b.cr3, 0x2000_0000, 0x20)).toBe(false);
    expect(copyUser(m.mmu, a.cr3, 0x1000_0000, b.cr3, 0x3000_0000, 4)).toBe(false);
    expect(copyOut(m.mmu, b.cr3, 0x3000_0000, new Uint8Array(4), 4)).toBe(false);
  });

  it("reads and writes little-endian words, unaligned and across pages", () => {
    const { m, a } = spaces();
    for (const va of [0x1000_0000, 0x1000_0001, 0x1000_0ffe, 0x1000_0ffc]) {
      storeWord(m.mmu, a.cr3, va, 0xa1b2c3d4);
      expect(loadWord(m.mmu, a.cr3, va)).toBe(0xa1b2c3d4);
    }
    const out = new Uint8Array(4);
    copyIn(m.mmu, a.cr3, 0x1000_0ffc, out, 4);
    expect(Array.from(out)).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
  });

  it("treats an unchecked word access as a kernel bug", () => {
    const { m, a } = spaces();
    expect(() => loadWord(m.mmu, a.cr3, 0x5000_0000)).toThrow(/unchecked/);
  });

  it("returns every frame when an address space is destroyed, pinned pages included", () => {
    const { m, a, b } = spaces();
    expect(a.pin(0x1000_0000)).toBeGreaterThan(0);
    expect(a.unmap(0x1000_0000, 0x1000)).toBe(16); // EBUSY: pinned
    a.destroy();
    b.destroy();
    expect(m.memory.usedFrames).toBe(0);
  });
});
