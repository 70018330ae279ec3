/**
 * Random register values into every trap, at length: the property of
 * tests/emulator/usertests/random-traps.test.ts over many more cases.
 */
import { checkRandomTraps } from "../tests/emulator/support/random-traps.js";

export default async function fuzzEmulatorTraps(runs = 20_000): Promise<boolean> {
  const start = performance.now();
  try {
    await checkRandomTraps(runs);
    console.log(`emulator-traps: ${runs} cases passed in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return true;
  } catch (e) {
    console.log(`emulator-traps: FAILED\n${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}
