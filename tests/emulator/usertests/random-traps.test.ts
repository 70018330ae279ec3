import { describe, expect, it } from "vitest";
import { checkRandomTraps, runCase } from "../support/random-traps.js";

describe("random register values into every trap", () => {
  it("never crash the emulator, never touch the victim, always return a result or an errno, free every frame", async () => {
    await checkRandomTraps(150);
  });

  it("runs the attacker's traps against a live victim (a call, a bad descriptor, a fault, a kernel call)", async () => {
    const r = await runCase([
      { fn: 0x8000, target: 1, ptr: 0x1000_0000, sizes: (64 << 20) | (8 << 8), via: "int" },
      { fn: 0x8000, target: 3, ptr: 0x1000_0000, sizes: 64 << 20, via: "sysenter" },
      { fn: 0x8000, target: 1, ptr: 0xc000_0000, sizes: 64 << 20, via: "int" },
      { fn: 0x021, target: 0, ptr: 0x1000_0000, sizes: (64 << 20) | (4 << 8), via: "int" },
    ]);
    expect(r).toEqual({ problem: null, executed: 4 });
  });
});
