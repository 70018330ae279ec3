/**
 * The layout against the C compiler: random structs written as C with
 * `_Static_assert`s must pass `gcc -m32`. Skipped, with a message, where gcc
 * cannot compile for i386.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DataType, Declaration, Model, PrimitiveName, Struct } from "../../../compiler/check/model.js";
import { agreesWithGcc, cSource, gcc, gccWorks } from "./gcc-structs.js";

const loc = { file: "gen.idl", span: { start: 0, end: 0 } };

describe.skipIf(!gccWorks)("layout agrees with gcc -m32", () => {
  it("on random structs (sizeof, _Alignof, offsetof)", () => {
    fc.assert(agreesWithGcc, { numRuns: 60 });
  });

  it("on the hand-written corner cases", () => {
    const s = (name: string, ...types: DataType[]): Struct => ({
      kind: "struct",
      name,
      doc: [],
      location: loc,
      fields: types.map((type, j) => ({ name: `f${j}`, doc: [], location: loc, type })),
    });
    const prim = (name: PrimitiveName): DataType => ({ kind: "primitive", name });
    const model: Model = {
      files: [],
      declarations: new Map<string, Declaration>(
        [
          s("A", prim("u8"), prim("u64")),
          s("B", prim("f64"), prim("u8")),
          s("C", prim("u16"), { kind: "struct", name: "B" }, prim("bool")),
          s("D", { kind: "array", element: prim("u64"), length: 3 }, prim("u8")),
          s("E", prim("u8"), { kind: "string", maxLength: 3 }, prim("u8")),
        ].map((d) => [d.name, d]),
      ),
    };
    const r = gcc(cSource(model));
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  });
});

describe.skipIf(gccWorks)("layout agrees with gcc -m32", () => {
  it.skip("skipped: gcc -m32 -ffreestanding cannot compile on this machine", () => {});
});
