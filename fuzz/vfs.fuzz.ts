/**
 * The VFS example's file system against its reference model, at length: the
 * property of tests/examples/vfs/model.property.test.ts with longer
 * operation sequences and many more of them.
 */
import fc from "fast-check";
import { checkSequence, op } from "../tests/examples/vfs/reference-model.js";

export default function fuzzVfs(runs = 2000): boolean {
  const start = performance.now();
  const result = fc.check(
    fc.property(fc.array(op, { minLength: 20, maxLength: 200, size: "max" }), (ops) => checkSequence(ops) === null),
    { numRuns: runs },
  );
  if (result.failed) {
    const ops = result.counterexample?.[0] ?? [];
    console.log(`vfs: FAILED (seed ${result.seed}): ${checkSequence(ops)}\n${JSON.stringify(ops)}`);
    return false;
  }
  console.log(`vfs: ${runs} sequences of up to 200 operations agree with the model, in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return true;
}
