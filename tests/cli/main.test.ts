import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import type { Io } from "../../cli/command.js";

function capture(): Io & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    isTty: false,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

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
