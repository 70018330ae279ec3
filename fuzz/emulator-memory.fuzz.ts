/**
 * Random memory use at length: the property of
 * tests/emulator/memory/memory-properties.test.ts over many more scenarios.
 */
import { checkRandomMemory } from "../tests/emulator/support/random-memory.js";

export default async function fuzzEmulatorMemory(runs = 2_000): Promise<boolean> {
  const start = performance.now();
  try {
    const stats = await checkRandomMemory(runs);
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    console.log(
      `emulator-memory: ${runs} scenarios passed in ${seconds} s (${stats.pageOuts} page-outs, ${stats.leasesRead} lease reads)`,
    );
    return true;
  } catch (e) {
    console.log(`emulator-memory: FAILED\n${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}
