/**
 * Random requests to the process manager are answered with an errno or a
 * normal reply; the manager neither crashes nor stops serving correctly.
 */
import { describe, expect, it } from "vitest";
import { noiseProblem, runNoise } from "./noise-run.js";

describe("the process manager under random requests", () => {
  it.each([1, 2, 3])("keeps serving with seed %i", async (seed) => {
    expect(noiseProblem(await runNoise(seed, 300))).toBeNull();
  });
});
