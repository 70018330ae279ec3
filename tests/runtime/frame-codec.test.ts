/** The codec helpers of runtime/message.ts, against hand-written bytes. */
import { describe, expect, it } from "vitest";
import * as rt from "../../runtime/index.js";
import { memoryBuffer } from "../support/scripted-trap.js";

function frame(size = 64): rt.Frame {
  return new rt.Frame(memoryBuffer(size));
}

describe("value checks work as documented", () => {
  it("pass values of the type through and refuse others", () => {
    expect([rt.u8(255, "x"), rt.i8(-128, "x"), rt.u16(65535, "x"), rt.i16(-32768, "x")]).toEqual([255, -128, 65535, -32768]);
    expect([rt.u32(0xffffffff, "x"), rt.i32(-(2 ** 31), "x"), rt.f64(NaN, "x")]).toEqual([0xffffffff, -(2 ** 31), NaN]);
    expect([rt.u64(2n ** 64n - 1n, "x"), rt.i64(-(2n ** 63n), "x")]).toEqual([2n ** 64n - 1n, -(2n ** 63n)]);
    for (const bad of [() => rt.u8(256, "x"), () => rt.i8(128, "x"), () => rt.u16(-1, "x"), () => rt.i16(32768, "x")]) {
      expect(bad).toThrow(rt.CodecError);
    }
    expect(() => rt.u32(1.5, "x")).toThrow("x: 1.5 is not a u32");
    expect(() => rt.i32(2 ** 31, "x")).toThrow(rt.CodecError);
    expect(() => rt.u64(-1n, "x")).toThrow(rt.CodecError);
    expect(() => rt.i64(5 as unknown as bigint, "x")).toThrow(rt.CodecError);
    expect(() => rt.f64("1" as unknown as number, "x")).toThrow(rt.CodecError);
  });

  it("encode bool as 1/0 and decode only 0 or 1", () => {
    expect([rt.flag(true, "b"), rt.flag(false, "b")]).toEqual([1, 0]);
    expect(() => rt.flag(1 as unknown as boolean, "b")).toThrow(rt.CodecError);
    expect([rt.readBool(1, "b"), rt.readBool(0, "b")]).toEqual([true, false]);
    expect(() => rt.readBool(2, "b")).toThrow("b: bool byte 2 is not 0 or 1");
  });

  it("exactly() wants the array length N", () => {
    expect(rt.exactly([1, 2], 2, "a")).toEqual([1, 2]);
    expect(() => rt.exactly([1], 2, "a")).toThrow(rt.CodecError);
  });
});

describe("variable-size contents work as documented", () => {
  it("writeString puts UTF-8 at the cursor and { u16 offset; u16 count } in the slot", () => {
    const f = frame();
    f.end = 8;
    rt.writeString(f, 0, "hé", 8, "s");
    rt.writeString(f, 4, "ab", 8, "t");
    expect([...f.bytes.subarray(0, 13)]).toEqual([8, 0, 3, 0, 11, 0, 2, 0, 0x68, 0xc3, 0xa9, 0x61, 0x62]);
    expect(f.end).toBe(13);
    expect(() => rt.writeString(f, 0, "é".repeat(5), 9, "s")).toThrow("s: longer than 9 bytes");
    expect(() => rt.writeString(f, 0, "x".repeat(10), 9, "s")).toThrow(rt.CodecError);
    expect(() => rt.writeString(f, 0, "a\ud800b", 9, "s")).toThrow("s: not valid Unicode (lone surrogate)");
  });

  it("openVector aligns the cursor with zeros and returns where element 0 goes", () => {
    const f = frame();
    f.bytes.fill(0xee);
    f.end = 5;
    const at = rt.openVector(f, 0, 2, 4, 4, 4, "v");
    expect(at).toBe(8);
    expect([...f.bytes.subarray(0, 8)]).toEqual([8, 0, 2, 0, 0xee, 0, 0, 0]);
    expect(f.end).toBe(16);
    expect(() => rt.openVector(f, 0, 5, 4, 4, 4, "v")).toThrow("v: more than 4 elements");
  });

  it("finishData zeroes the padding before the descriptor area; writeDescriptor fills it", () => {
    const f = frame();
    f.bytes.fill(0xee);
    f.end = 5;
    const size = rt.finishData(f);
    rt.writeDescriptor(f, size, 1, 0x1234, "d");
    expect(size).toBe(5);
    expect([...f.bytes.subarray(5, 16)]).toEqual([0, 0, 0, 0xee, 0xee, 0xee, 0xee, 0x34, 0x12, 0, 0]);
    expect(() => rt.writeDescriptor(f, size, 0, 0, "d")).toThrow("d: 0 is not a descriptor");
  });

  it("beginDecode checks sizes and descriptor count; readString/readBytes/vectorAt check each slot", () => {
    const f = frame();
    f.bytes.set([8, 0, 3, 0, 11, 0, 2, 0, 0x68, 0xc3, 0xa9, 1, 2]);
    expect(() => rt.beginDecode(f, 7, 0, 8, 24, 0, "m")).toThrow("m: data size 7 outside 8..24");
    expect(() => rt.beginDecode(f, 13, 1, 8, 24, 0, "m")).toThrow("m: 1 descriptors, expected 0");
    rt.beginDecode(f, 13, 0, 8, 24, 0, "m");
    expect(rt.readString(f, 0, 3, "s")).toBe("hé");
    expect([...rt.readBytes(f, 4, 2, "b")]).toEqual([1, 2]);
    expect(() => rt.readString(f, 0, 2, "s")).toThrow("s: count 3 exceeds 2");
    rt.beginDecode(f, 12, 0, 8, 24, 0, "m");
    expect(() => rt.readBytes(f, 4, 2, "b")).toThrow("outside the message");
    f.bytes.set([4, 0, 1, 0], 0);
    expect(() => rt.readString(f, 0, 3, "s")).toThrow("outside the message");
    f.bytes.set([9, 0, 1, 0], 0);
    expect(() => rt.vectorAt(f, 0, 3, 2, 2, "v")).toThrow("outside the message");
  });

  it("readString refuses invalid UTF-8", () => {
    const f = frame();
    f.bytes.set([4, 0, 2, 0, 0xc3, 0x28]);
    rt.beginDecode(f, 6, 0, 4, 6, 0, "m");
    expect(() => rt.readString(f, 0, 2, "s")).toThrow("s: invalid UTF-8");
  });

  it("readDescriptor reads after align4(data) and refuses 0", () => {
    const f = frame();
    f.view.setUint32(8, 77, true);
    rt.beginDecode(f, 5, 2, 5, 5, 2, "m");
    expect(rt.readDescriptor(f, 0, "d")).toBe(77);
    expect(() => rt.readDescriptor(f, 1, "d")).toThrow("d: no descriptor");
  });
});
