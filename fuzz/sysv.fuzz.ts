/**
 * The System V core's invariants at length: the property of
 * tests/examples/sysv/invariants.property.test.ts with longer call
 * sequences and many more of them.
 */
import fc from "fast-check";
import { checkSequence, step } from "../tests/examples/sysv/random-calls.js";

export default function fuzzSysv(runs = 20_000): boolean {
  const start = performance.now();
  const result = fc.check(
    fc.property(
      fc.array(step, { minLength: 50, maxLength: 400, size: "max" }),
      (steps) => checkSequence(steps) === null,
    ),
    { numRuns: runs },
  );
  if (result.failed) {
    const steps = result.counterexample?.[0] ?? [];
    console.log(`sysv: FAILED (seed ${result.seed}): ${checkSequence(steps)}\n${JSON.stringify(steps)}`);
    return false;
  }
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  console.log(`sysv: ${runs} sequences of up to 400 calls keep the invariants, in ${seconds} s`);
  return true;
}
