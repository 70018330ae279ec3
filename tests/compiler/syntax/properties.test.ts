import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idlText, mutatedIdlText, randomText } from "./arbitrary-idl.js";
import {
  formatKeepsCompilerView,
  formatsFaithfully,
  formatsOrRefuses,
  parsesWithoutThrowing,
} from "./syntax-properties.js";
import { parseFile, quoteString } from "../../../compiler/syntax/index.js";

const holds = (check: (text: string) => string | null) => (text: string) => {
  const failure = check(text);
  if (failure !== null) throw new Error(`${failure}\n--- input ---\n${text}`);
};

describe("syntax properties", () => {
  it("grammatical files parse; formatting them is idempotent and keeps their meaning", () => {
    fc.assert(fc.property(idlText, holds(formatsFaithfully)), { numRuns: 100 });
  });

  it("formatting changes nothing the whole compiler sees", () => {
    fc.assert(fc.property(idlText, holds(formatKeepsCompilerView)), { numRuns: 60 });
  });

  it("mutated files never make the parser or the renderer throw", () => {
    fc.assert(fc.property(mutatedIdlText, holds(parsesWithoutThrowing)), { numRuns: 200 });
  });

  it("random text never makes the parser throw", () => {
    fc.assert(fc.property(randomText, holds(parsesWithoutThrowing)), { numRuns: 300 });
  });

  it("on mutated files the formatter refuses or stays faithful", () => {
    fc.assert(fc.property(mutatedIdlText, holds(formatsOrRefuses)), { numRuns: 100 });
  });

  it("quoteString writes a literal that reads back as the same string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (value) => {
        const { file, diagnostics } = parseFile("t.idl", `const S: string = ${quoteString(value)};`);
        expect(diagnostics).toEqual([]);
        expect(file.declarations[0]).toMatchObject({ value: { kind: "StringLiteral", value } });
      }),
      { numRuns: 100 },
    );
  });

  it("the generators produce what they promise", () => {
    const samples = fc.sample(idlText, 50);
    expect(samples.some((s) => s.includes("interface"))).toBe(true);
    expect(samples.some((s) => s.includes("///"))).toBe(true);
  });
});
