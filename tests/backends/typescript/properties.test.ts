/**
 * Property tests of the generated codecs (golden all-types and kernel):
 * encode -> decode gives back random values of every IDL type, and random
 * bytes given to every generated dispatcher never crash it and reach the
 * implementation only as a request that re-encodes to the same value
 * (dispatch-properties.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as rt from "../../../runtime/index.js";
import { memoryBuffer } from "../../support/scripted-trap.js";
import { dispatchers, dispatchOnce, messages } from "./dispatch-properties.js";
import * as k from "./golden/kernel/kernel.js";
import * as s from "./golden/all-types/all-types.js";

const utf8 = new TextEncoder();
const str = (maxBytes: number) =>
  fc.string({ unit: "binary", maxLength: maxBytes }).filter((v) => utf8.encode(v).length <= maxBytes && !/\p{Cs}/u.test(v));
const int = (bits: number, signed: boolean) =>
  signed ? fc.integer({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 }) : fc.integer({ min: 0, max: 2 ** bits - 1 });
const color = fc.constantFrom(s.Color.RED, s.Color.GREEN, s.Color.BLUE);
const point = fc.record({ x: int(32, true), y: int(32, true) });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });

const scalars: fc.Arbitrary<s.Scalars> = fc.record({
  a: int(8, false),
  b: int(8, true),
  c: int(16, false),
  d: int(16, true),
  e: int(32, false),
  f: int(32, true),
  g: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  h: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  i: fc.float(),
  j: fc.double(),
  k: fc.boolean(),
  color,
  flags: fc.subarray([s.Flags.A, s.Flags.B, s.Flags.C]).map((xs) => xs.reduce((m, x) => m | x, 0)),
  wide: fc.constantFrom(s.Wide.LOW, s.Wide.HIGH),
});
const entry: fc.Arbitrary<s.Entry> = fc.record({
  name: str(32),
  tags: fc.array(int(16, false), { maxLength: 8 }),
  at: point,
  data: bytes(16),
});
const arrays: fc.Arbitrary<s.Arrays> = fc.record({
  raw: fc.uint8Array({ minLength: 3, maxLength: 3 }),
  points: fc.array(point, { minLength: 2, maxLength: 2 }),
  grid: fc.array(fc.array(int(16, true), { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 2 }),
  colors: fc.array(color, { minLength: 2, maxLength: 2 }),
});

function frame(): rt.Frame {
  const f = new rt.Frame(memoryBuffer(4095));
  f.bytes.fill(0xa5);
  return f;
}

describe("generated codecs: encode then decode", () => {
  it("round-trips Shapes.put requests (every primitive, enum, bits, struct, array, string, bytes, vector)", () => {
    fc.assert(
      fc.property(scalars, entry, arrays, fc.integer({ min: 1, max: 0xffff }), (sc, e, a, door) => {
        const f = frame();
        const size = s.encodeShapesPutRequest(f, sc, e, a, door);
        expect(size).toBeLessThanOrEqual(s.ShapesSizes.put.request.max);
        expect(s.decodeShapesPutRequest(f, size, 1)).toEqual({ s: sc, e, a, door });
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips Shapes.list requests and replies (vectors of enums, structs, bytes)", () => {
    fc.assert(
      fc.property(fc.array(color, { maxLength: 4 }), fc.array(point, { maxLength: 4 }), bytes(8), entry, (fl, pts, blob, first) => {
        const f = frame();
        const size = s.encodeShapesListRequest(f, fl, pts, blob);
        expect(s.decodeShapesListRequest(f, size, 0)).toEqual({ filter: fl, points: pts, blob });
        const rsize = s.encodeShapesListReply(f, { retval: -3, errno: 7, entries: pts, first });
        expect(rsize).toBeLessThanOrEqual(s.ShapesSizes.list.reply.max);
        expect(s.decodeShapesListReply(f, rsize, 0)).toEqual({ retval: -3, errno: 7, entries: pts, first });
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips kernel messages with strings and descriptors", () => {
    fc.assert(
      fc.property(str(64), int(32, false), fc.integer({ min: 1, max: 0xffffffff }), (program, domain, proc) => {
        const f = frame();
        const size = k.encodeKernelProcessSpawnRequest(f, program, domain);
        expect(k.decodeKernelProcessSpawnRequest(f, size, 0)).toEqual({ program, domain });
        const rsize = k.encodeKernelProcessSpawnReply(f, { process: proc });
        expect(k.decodeKernelProcessSpawnReply(f, rsize, 1)).toEqual({ retval: 0, errno: 0, process: proc });
      }),
      { numRuns: 200 },
    );
  });
});

describe("generated dispatchers given random bytes", () => {
  for (const d of dispatchers) {
    it(`${d.name}: never crash, and reach the implementation only with valid requests`, async () => {
      let reached = 0;
      await fc.assert(
        fc.asyncProperty(messages(d), async ([fn, data, size, descs]) => {
          if ((await dispatchOnce(d, fn, data, size, descs)) === "reached") reached++;
        }),
        { numRuns: 400 },
      );
      // Small requests (a bool, a u32) are valid often enough to exercise the other side.
      expect(reached).toBeGreaterThan(0);
    });
  }
});
