/**
 * The image reader against random mutations of a valid image, at length:
 * the property of tests/emulator/image/image-format.test.ts over many more
 * cases.
 */
import fc from "fast-check";
import { mutationProperty, sampleImage } from "../tests/emulator/image/image-mutation.js";

export default function fuzzImage(runs = 200_000): boolean {
  const start = performance.now();
  const result = fc.check(mutationProperty(sampleImage()), { numRuns: runs });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  if (result.failed) {
    console.log(`image: FAILED after ${result.numRuns} cases (seed ${result.seed}): ${String(result.errorInstance)}`);
    return false;
  }
  console.log(`image: ${runs} mutated images read or refused, none thrown on, in ${seconds} s`);
  return true;
}
