import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Errno, PAGE_SIZE } from "../../../examples/vfs/fs/index.js";
import { Subject, checkSequence, op } from "./reference-model.js";

describe("file system and open files against a reference model (a map of path -> bytes)", () => {
  it("gives the model's errno for every operation and ends in the model's state", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 40, size: "max" }), (ops) => {
        expect(checkSequence(ops)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("never exceeds its capacity, and refuses a write only when the pages are not there", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const subject = new Subject(3 * PAGE_SIZE);
        for (const o of ops) {
          const before = subject.fs.pool.free;
          const outcome = subject.apply(o);
          if (outcome === Errno.ENOSPC) expect(before).toBeLessThan(3);
          expect(subject.fs.pool.used).toBeLessThanOrEqual(3);
        }
      }),
      { numRuns: 150 },
    );
  });
});
