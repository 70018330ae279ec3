/**
 * The generated encoders check values with inline comparisons and call the
 * runtime's checker only to throw: for any value, encodeScalars refuses a
 * field exactly when rt.u8 ... rt.i64, rt.f64 or rt.flag refuse it, with the
 * checker's own message; the decoders' inline size checks refuse exactly
 * what rt.beginDecode refuses; strings written and read inline behave as
 * rt.writeString and rt.readString (differential properties over goldens).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as rt from "../../../runtime/index.js";
import { memoryBuffer } from "../../support/scripted-trap.js";
import * as s from "./golden/all-types/all-types.js";
import * as echo from "./golden/echo/echo.js";

const valid: s.Scalars = {
  a: 1,
  b: -1,
  c: 2,
  d: -2,
  e: 3,
  f: -3,
  g: 4n,
  h: -4n,
  i: 0.5,
  j: 0.25,
  k: true,
  color: s.Color.RED,
  flags: s.Flags.A,
  wide: s.Wide.LOW,
};

type Field = "a" | "b" | "c" | "d" | "e" | "f" | "g" | "h" | "i" | "j" | "k";
const checkers: Readonly<Record<Field, (v: never, label: string) => unknown>> = {
  a: rt.u8,
  b: rt.i8,
  c: rt.u16,
  d: rt.i16,
  e: rt.u32,
  f: rt.i32,
  g: rt.u64,
  h: rt.i64,
  i: rt.f64,
  j: rt.f64,
  k: rt.flag,
};

/** The message the checker throws for `value`, or null when it accepts it. */
function refusal(check: (v: never, label: string) => unknown, value: unknown, label: string): string | null {
  try {
    check(value as never, label);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const edgeNumbers = [0, -0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536];
const bigEdges = [0n, -1n, 2n ** 63n - 1n, 2n ** 63n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 64n - 1n, 2n ** 64n];
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...edgeNumbers, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32),
  fc.constantFrom<unknown>(...bigEdges, NaN, Infinity, 0.5, true, false, null, undefined, "1", 1n),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);

describe("inline encode checks work as documented", () => {
  const f = new rt.Frame(memoryBuffer(256));

  it("accept and refuse each primitive field exactly as its runtime checker does", () => {
    fc.assert(
      fc.property(fc.constantFrom<Field>("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"), anyValue, (field, value) => {
        const expected = refusal(checkers[field], value, `Scalars.${field}`);
        const actual = refusal(() => s.encodeScalars(f, 0, { ...valid, [field]: value }), null, "");
        if (expected === null) expect(actual).toBeNull();
        else expect(actual).toBe(expected);
      }),
      { numRuns: 600 },
    );
  });

  it("refuse a descriptor of 0 or beyond 32 bits with rt.writeDescriptor's message, writing it otherwise", () => {
    const read = (into: number) => s.encodeShapesReadRequest(f, into, 2, 3);
    expect(() => read(0)).toThrow(new rt.CodecError("read.into: 0 is not a descriptor"));
    expect(() => read(2 ** 32)).toThrow(rt.CodecError);
    expect(() => read(1.5)).toThrow(rt.CodecError);
    expect(read(0xffff_ffff)).toBe(0);
    expect([0, 4, 8].map((at) => f.view.getUint32(at, true))).toEqual([0xffff_ffff, 2, 3]);
  });

  it("refuse a message's sizes exactly when rt.beginDecode does, with its message", () => {
    const cases: [string, (f: rt.Frame, size: number, descs: number) => unknown, number, number, number][] = [
      ["Shapes.list request", s.decodeShapesListRequest, 12, 59, 0],
      ["Shapes.read request", s.decodeShapesReadRequest, 0, 0, 3],
      ["Shapes.nothing reply", s.decodeShapesNothingReply, 8, 8, 0],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 5 }), (c, size, descs) => {
        const [label, decode, fixed, max, declared] = c;
        const frame = new rt.Frame(memoryBuffer(256));
        const expected = refusal(() => rt.beginDecode(frame, size, descs, fixed, max, declared, label), null, "");
        const actual = refusal(() => decode(frame, size, descs), null, "");
        if (expected !== null) expect(actual).toBe(expected);
        else expect(actual ?? "").not.toMatch(new RegExp(`^${label}: (data size|\\d+ descriptors|message larger)`));
      }),
      { numRuns: 400 },
    );
  });

  it("write a string inline exactly as rt.writeString does, refusing what it refuses with its message", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 80 }),
      fc.constantFrom<unknown>("a\ud800b", "\udfff", "é".repeat(128), "é".repeat(129), 7, null, undefined),
    );
    fc.assert(
      fc.property(text, (value) => {
        const generated = new rt.Frame(memoryBuffer(512));
        const reference = new rt.Frame(memoryBuffer(512));
        reference.end = 4;
        const expected = refusal(() => rt.writeString(reference, 0, value as string, 256, "echo.text"), null, "");
        const actual = refusal(() => echo.encodeEchoEchoRequest(generated, value as string), null, "");
        expect(actual).toBe(expected);
        if (expected === null) {
          expect(generated.end).toBe(reference.end);
          expect(generated.bytes.subarray(0, reference.end)).toEqual(reference.bytes.subarray(0, reference.end));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("read a string inline exactly as rt.readString does, refusing what it refuses with its message", () => {
    const message = fc.record({
      offset: fc.integer({ min: 0, max: 270 }),
      count: fc.integer({ min: 0, max: 270 }),
      size: fc.integer({ min: 4, max: 260 }),
      contents: fc.uint8Array({ minLength: 256, maxLength: 256 }),
    });
    fc.assert(
      fc.property(message, ({ offset, count, size, contents }) => {
        const frame = new rt.Frame(memoryBuffer(512));
        frame.bytes.set(contents, 4);
        frame.view.setUint16(0, offset, true);
        frame.view.setUint16(2, count, true);
        const reference = new rt.Frame(frame.buffer);
        reference.start = 4;
        reference.limit = size;
        let text: string | null = null;
        const expected = refusal(() => (text = rt.readString(reference, 0, 256, "echo.text")), null, "");
        let decoded: echo.EchoEchoRequest | null = null;
        const actual = refusal(() => (decoded = echo.decodeEchoEchoRequest(frame, size, 0)), null, "");
        expect(actual).toBe(expected);
        if (expected === null) expect(decoded).toEqual({ text });
      }),
      { numRuns: 400 },
    );
  });
});
