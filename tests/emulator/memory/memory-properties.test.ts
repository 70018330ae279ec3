/**
 * Property: random sequences of mem_alloc, mem_create + mem_map, unmapping,
 * closing, writes, reads, leases sent to a server, and garbage memory calls,
 * by two processes on a machine short of memory (so pages go to swap), never
 * crash the kernel, keep every byte each process wrote (checked against a
 * model, so no process ever sees another's bytes), and leave no frame or swap
 * slot behind (tests/emulator/support/random-memory.ts).
 */
import { describe, expect, it } from "vitest";
import { checkRandomMemory } from "../support/random-memory.js";

describe("memory properties", () => {
  it("random map/unmap/lease sequences never crash, never leak, never expose another process's bytes", async () => {
    const stats = await checkRandomMemory(25, 5);
    // The runs did page out and did read leases: the property was not vacuous.
    expect(stats.pageOuts).toBeGreaterThan(0);
    expect(stats.leasesRead).toBeGreaterThan(10);
  });
});
