/**
 * Random deaths at length: the property of
 * tests/emulator/usertests/random-faults.test.ts over many more scenarios.
 */
import { checkRandomFaults } from "../tests/emulator/support/random-faults.js";

export default async function fuzzEmulatorFaults(runs = 20_000): Promise<boolean> {
  const start = performance.now();
  try {
    await checkRandomFaults(runs);
    console.log(`emulator-faults: ${runs} scenarios passed in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return true;
  } catch (e) {
    console.log(`emulator-faults: FAILED\n${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}
