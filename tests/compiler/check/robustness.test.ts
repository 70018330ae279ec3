/**
 * The check, layout and IR phases never throw on any input: grammatical
 * programs with random names, types and values, and mutations of real ones.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idlText, mutatedIdlText } from "../syntax/arbitrary-idl.js";
import { mutatedSeed, problems } from "./compile-properties.js";

describe("compile() on arbitrary input", () => {
  it("never throws on grammatical programs with random meaning", () => {
    fc.assert(
      fc.property(idlText, (text) => problems(text) === null),
      { numRuns: 150 },
    );
  });

  it("never throws on mutated programs", () => {
    fc.assert(
      fc.property(mutatedIdlText, (text) => problems(text) === null),
      { numRuns: 150 },
    );
  });

  it("never throws on slices of the system and golden IDL deleted, duplicated or moved", () => {
    fc.assert(
      fc.property(mutatedSeed, (text) => problems(text) === null),
      { numRuns: 150 },
    );
  });

  it("has an oracle that passes a clean program and one with an error", () => {
    expect(problems("struct S { a: u8; }")).toBeNull();
    expect(problems("struct S { a: Nope; }")).toBeNull();
  });
});
