import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FileSystem, PAGE_SIZE, Errno } from "../../../examples/vfs/fs/index.js";
import { applyToFs, checkSequence, op } from "./reference-model.js";

describe("file system against a reference model (a map of path -> bytes)", () => {
  it("gives the model's errno for every operation and ends in the model's state", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 30, size: "max" }), (ops) => {
        expect(checkSequence(ops)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("never exceeds its capacity, and refuses a write only when the pages are not there", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const fs = new FileSystem({ capacity: 3 * PAGE_SIZE });
        for (const o of ops) {
          const before = fs.pool.free;
          const errno = applyToFs(fs, o);
          if (errno === Errno.ENOSPC) expect(before).toBeLessThan(3);
          expect(fs.pool.used).toBeLessThanOrEqual(3);
        }
      }),
      { numRuns: 150 },
    );
  });
});
