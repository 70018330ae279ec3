/**
 * The invariants of random-calls.ts over random call sequences, at modest
 * counts (fuzz/sysv.fuzz.ts runs them at length).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSequence, step } from "./random-calls.js";

describe("System V core invariants", () => {
  it("hold after every step of random call sequences, and every wait ends once", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 80, size: "max" }), (steps) => {
        expect(checkSequence(steps)).toBeNull();
      }),
      { numRuns: 150 },
    );
  });
});
