/**
 * The process manager under random requests, at length: the property of
 * tests/emulator/procmgr/procmgr-robustness.test.ts over many seeds.
 */
import { noiseProblem, runNoise } from "../tests/emulator/procmgr/noise-run.js";

export default async function fuzzProcmgr(runs = 200): Promise<boolean> {
  const start = performance.now();
  for (let seed = 1; seed <= runs; seed++) {
    const problem = noiseProblem(await runNoise(seed, 1000));
    if (problem !== null) {
      console.log(`procmgr: FAILED with seed ${seed}: ${problem}`);
      return false;
    }
  }
  console.log(
    `procmgr: ${runs} runs of 1,000 random requests, manager alive and correct, in ${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  return true;
}
