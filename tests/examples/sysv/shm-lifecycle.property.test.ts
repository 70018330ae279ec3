/**
 * Shared memory through the service, random sequences (fast-check, modest
 * counts; `npm run fuzz -- sysv` runs them at length): each segment's memory
 * is released exactly once, and never while a process has it attached.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkShmSequence, shmStep } from "./shm-lifecycle.js";

describe("SysvService shared memory, random sequences", () => {
  it("releases each segment's memory once, never while attached", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shmStep, { maxLength: 60 }), async (steps) => {
        expect(await checkShmSequence(steps)).toBeNull();
      }),
      { numRuns: 150 },
    );
  });
});
