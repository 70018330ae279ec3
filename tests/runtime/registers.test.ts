import { describe, expect, it } from "vitest";
import * as rt from "../../runtime/index.js";

describe("arg3 packing works as documented", () => {
  it("puts total in 31:20, data in 19:8, descriptors in 7:0", () => {
    expect(rt.packMessage(0x123, 0x456, 0x78) >>> 0).toBe(0x12345678);
    expect(rt.packMessage(4095, 4095, 255) >>> 0).toBe(0xffffffff);
    expect(rt.packReceive(4095) >>> 0).toBe(0xfff00000);
  });

  it("unpacks what it packs, negative registers included", () => {
    for (const [t, d, n] of [
      [4095, 4095, 255],
      [2048, 1, 0],
      [0, 0, 0],
      [80, 61, 1],
    ] as const) {
      const arg3 = new Int32Array([rt.packMessage(t, d, n)])[0]!;
      expect([rt.totalSizeOf(arg3), rt.dataSizeOf(arg3), rt.descCountOf(arg3)]).toEqual([t, d, n]);
    }
  });

  it("aligns to 4 and checks the buffer rule align4(data) + 4 * descN <= total <= 4095", () => {
    expect([0, 1, 3, 4, 5].map(rt.align4)).toEqual([0, 4, 4, 4, 8]);
    expect(rt.fitsMessage(12, 5, 1)).toBe(true);
    expect(rt.fitsMessage(11, 5, 1)).toBe(false);
    expect(rt.fitsMessage(4096, 0, 0)).toBe(false);
    expect(rt.fitsMessage(4095, 0, 256)).toBe(false);
  });
});
