/**
 * The System V core's invariants at length: the property of
 * tests/examples/sysv/invariants.property.test.ts with longer call
 * sequences and many more of them; then the service's shared-memory
 * lifecycle (tests/examples/sysv/shm-lifecycle.property.test.ts) likewise.
 */
import fc from "fast-check";
import { checkSequence, step } from "../tests/examples/sysv/random-calls.js";
import { checkShmSequence, shmStep } from "../tests/examples/sysv/shm-lifecycle.js";

export default async function fuzzSysv(runs = 20_000): Promise<boolean> {
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
  return fuzzShm(Math.ceil(runs / 4));
}

async function fuzzShm(runs: number): Promise<boolean> {
  const start = performance.now();
  const result = await fc.check(
    fc.asyncProperty(
      fc.array(shmStep, { minLength: 20, maxLength: 300, size: "max" }),
      async (steps) => (await checkShmSequence(steps)) === null,
    ),
    { numRuns: runs },
  );
  if (result.failed) {
    const steps = result.counterexample?.[0] ?? [];
    console.log(`sysv shm: FAILED (seed ${result.seed}): ${await checkShmSequence(steps)}\n${JSON.stringify(steps)}`);
    return false;
  }
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  console.log(`sysv shm: ${runs} sequences of up to 300 calls release each segment once, in ${seconds} s`);
  return true;
}
