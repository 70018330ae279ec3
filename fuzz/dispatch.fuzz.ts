/**
 * Long campaign of the generated dispatchers (the suite runs the same
 * property at small counts in tests/backends/typescript/properties.test.ts):
 * random messages never crash a dispatcher and reach the implementation only
 * as requests that re-encode to themselves.
 */
import fc from "fast-check";
import { dispatchers, dispatchOnce, messages } from "../tests/backends/typescript/dispatch-properties.js";

export default async function fuzzDispatch(runs = 30_000): Promise<boolean> {
  let ok = true;
  for (const d of dispatchers) {
    const n = Math.max(1, Math.round(runs / dispatchers.length));
    let reached = 0;
    const start = performance.now();
    const result = await fc.check(
      fc.asyncProperty(messages(d), async ([fn, data, size, descs]) => {
        if ((await dispatchOnce(d, fn, data, size, descs)) === "reached") reached++;
      }),
      { numRuns: n },
    );
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    if (result.failed) {
      ok = false;
      console.log(`dispatch: ${d.name}: FAILED after ${result.numRuns} cases (seed ${result.seed}): ${String(result.errorInstance)}`);
    } else console.log(`dispatch: ${d.name}: ${n} cases passed in ${seconds} s, ${reached} reached the implementation`);
  }
  return ok;
}
