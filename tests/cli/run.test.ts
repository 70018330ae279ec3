import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMemory } from "../../cli/commands/run.js";
import { main } from "../../cli/main.js";
import { capture } from "../support/capture-io.js";
import type { TraceRecord } from "../../emulator/trace/trace-log.js";

const manifest = fileURLToPath(new URL("../emulator/procmgr/fixtures/policy/manifest.json", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "doorkit-run-"));
const image = join(work, "policy.dkimg");
afterAll(() => rmSync(work, { recursive: true, force: true }));


beforeAll(async () => {
  expect(await main(["image", "build", manifest, "--out", image], capture())).toBe(0);
});

describe("doorkit run", () => {
  it("boots the image and exits with the init program's status", async () => {
    const io = capture();
    expect(await main(["run", image], io)).toBe(0);
    expect(io.out).toBe("");
    expect(io.err).toBe("");
  });

  it("traces every call decoded through the interfaces, the same for the same seed", async () => {
    const first = capture();
    expect(await main(["run", image, "--trace", "--seed", "3"], first)).toBe(0);
    const lines = first.out.split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +sysd\(2\) -> procmgr\(1\) Procmgr\.create\(object_class=SYSTEM, name="\/sys\/log"\) -> object=#\d+$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +guest\(4\) -> procmgr\(1\) Procmgr\.spawn\(program="child"\) -> error EPERM \(server\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +app\(5\) -> procmgr\(1\) Procmgr\.spawn\(program="child"\) -> pid=6, process=#\d+$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +app\(5\) Kernel\.receive -> error EACCES \(kernel\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +child\(6\) exited, status 42$/));
    expect(lines.at(-2)).toMatch(/^app exited with status 0 after \d+ steps$/);
    const again = capture();
    await main(["run", image, "--trace", "--seed", "3"], again);
    expect(again.out).toBe(first.out);
    const other = capture();
    expect(await main(["run", image, "--trace", "--seed", "11"], other)).toBe(0);
    expect(other.out).not.toBe(first.out);
  });

  it("leaves kernel calls out of the trace with --no-kernel-calls, and counts them", async () => {
    const all = capture();
    const file = join(work, "kernel-calls.jsonl");
    expect(await main(["run", image, "--trace", "--seed", "3", "--trace-json", file], all)).toBe(0);
    const some = capture();
    expect(await main(["run", image, "--trace", "--seed", "3", "--no-kernel-calls"], some)).toBe(0);
    const records: TraceRecord[] = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const hidden = records.filter((r) => r.kind === "kernel-call");
    expect(hidden.length).toBeGreaterThan(0);
    const allLines = all.out.trim().split("\n");
    const kept = allLines.slice(0, -1).filter((_, i) => records[i]!.kind !== "kernel-call");
    const someLines = some.out.trim().split("\n");
    expect(someLines.slice(0, -1)).toEqual(kept);
    expect(someLines.at(-1)).toBe(`${allLines.at(-1)} (${hidden.length} kernel calls not shown)`);
  });

  it("writes the trace as JSON lines", async () => {
    const file = join(work, "trace.jsonl");
    const text = capture();
    await main(["run", image, "--trace"], text);
    expect(await main(["run", image, "--trace-json", file], capture())).toBe(0);
    const records = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(records.length).toBe(text.out.trim().split("\n").length - 1);
    expect(records.find((r) => r.method === "Procmgr.lookup" && r.from === "guest(4)")).toEqual({
      step: expect.any(Number),
      kind: "call",
      from: "guest(4)",
      to: "procmgr(1)",
      fn: 0x401,
      method: "Procmgr.lookup",
      request: 'name="/user/echo"',
      result: "error EACCES (server)",
    });
  });

  it("stops at the step limit and says so", async () => {
    const io = capture();
    expect(await main(["run", image, "--steps", "40"], io)).toBe(124);
    expect(io.err).toBe("doorkit run: init program 'app' did not finish: the step limit (40) was reached\n");
  });

  it("runs with a given memory size", async () => {
    expect(await main(["run", image, "--memory", "8M"], capture())).toBe(0);
    expect(await main(["run", image, "--memory", "1M"], capture())).toBe(0);
  });

  it("gives a clear error for a broken or missing image", async () => {
    const broken = join(work, "broken.dkimg");
    writeFileSync(broken, readFileSync(image).subarray(0, 100));
    const io = capture();
    expect(await main(["run", broken], io)).toBe(1);
    expect(io.err).toMatch(/^doorkit run: .*broken\.dkimg: truncated: the header says \d+ bytes, the file has 100\n$/);
    const missing = capture();
    expect(await main(["run", join(work, "none.dkimg")], missing)).toBe(1);
    expect(missing.err).toMatch(/^doorkit run: cannot read .*none\.dkimg: ENOENT\n$/);
  });

  it.each([
    [[], "missing image FILE"],
    [["a", "b"], "unexpected argument 'b'"],
    [["a", "--seed"], "--seed needs a value"],
    [["a", "--seed", "-1"], "--seed takes a whole number"],
    [["a", "--steps", "0"], "--steps takes a whole number from 1"],
    [["a", "--memory", "lots"], "--memory takes a size from 1M to 1G"],
    [["a", "--fast"], "unknown option '--fast'"],
  ])("%j is a usage error", async (args, message) => {
    const io = capture();
    expect(await main(["run", ...args], io)).toBe(2);
    expect(io.err).toContain(message);
  });

  it.each([
    ["16M", 16 * 1024 * 1024],
    ["8192K", 8 * 1024 * 1024],
    ["1G", 1024 * 1024 * 1024],
    ["64MiB", 64 * 1024 * 1024],
    ["2097152", 2 * 1024 * 1024],
  ])("reads memory size %s", (text, bytes) => {
    expect(parseMemory(text)).toBe(bytes);
  });

  it.each(["512K", "2G", "1000000", "16X", ""])("refuses memory size %j", (text) => {
    expect(() => parseMemory(text)).toThrow(/--memory takes a size/);
  });
});
