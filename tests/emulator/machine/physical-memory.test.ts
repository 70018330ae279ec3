import { describe, expect, it } from "vitest";
import { PhysicalMemory, PAGE_SIZE } from "../../../emulator/machine/index.js";

describe("PhysicalMemory", () => {
  it("hands out zeroed frames lowest first, never frame 0, and counts them", () => {
    const m = new PhysicalMemory(8);
    expect(m.freeFrames).toBe(7);
    const a = m.allocFrame();
    const b = m.allocFrame();
    expect([a, b]).toEqual([1, 2]);
    expect(m.usedFrames).toBe(2);
    m.bytes[a * PAGE_SIZE + 5] = 0xaa;
    m.release(a);
    expect(m.allocFrame()).toBe(a);
    expect(m.bytes[a * PAGE_SIZE + 5]).toBe(0);
  });

  it("returns -1 when exhausted and frees a frame only at its last reference", () => {
    const m = new PhysicalMemory(3);
    const a = m.allocFrame();
    const b = m.allocFrame();
    expect(m.allocFrame()).toBe(-1);
    m.retain(a);
    m.release(a);
    expect(m.freeFrames).toBe(0);
    expect(m.refCount(a)).toBe(1);
    m.release(a);
    m.release(b);
    expect(m.freeFrames).toBe(2);
  });

  it("throws on releasing a frame that is not allocated (a kernel bug, not a guest error)", () => {
    const m = new PhysicalMemory(4);
    expect(() => m.release(2)).toThrow(/not allocated/);
    expect(() => m.release(0)).toThrow(/not allocated/);
    expect(() => new PhysicalMemory(1)).toThrow(RangeError);
  });
});
