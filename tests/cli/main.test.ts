import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { capture } from "../support/capture-io.js";


describe("doorkit main", () => {
  it("prints help and exits 0 with no command", async () => {
    const io = capture();
    expect(await main([], io)).toBe(0);
    expect(io.out).toMatch(/^usage: doorkit <command>/);
  });

  it("refuses an unknown command with exit status 2", async () => {
    const io = capture();
    expect(await main(["frobnicate"], io)).toBe(2);
    expect(io.err).toContain("unknown command 'frobnicate'");
  });
});

describe("the command registry", () => {
  it("lists, for every entry, the command that its module really exports", async () => {
    const { commands } = await import("../../cli/commands/index.js");
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });
});
