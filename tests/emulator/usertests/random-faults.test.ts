import { describe, expect, it } from "vitest";
import { checkRandomFaults, runScenario } from "../support/random-faults.js";

describe("random deaths", () => {
  it("never crash the kernel, give callers a reply or EIO, and free every frame", async () => {
    await checkRandomFaults(120);
  });

  it("a scenario without kills completes every call", async () => {
    expect(await runScenario({ serverThreads: 2, clients: 3, calls: 4, kills: [], seed: 7 })).toEqual({ problems: [], replies: 12 });
  });
});
