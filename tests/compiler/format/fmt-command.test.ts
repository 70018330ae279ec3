import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../cli/main.js";
import { capture } from "../../support/capture-io.js";


const messy = "struct S{x:u8;}\n";
const clean = "struct S {\n    x: u8;\n}\n";

describe("doorkit fmt", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "doorkit-fmt-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("rewrites unformatted files in place and leaves formatted ones alone", async () => {
    const a = join(dir, "a.idl");
    const b = join(dir, "b.idl");
    writeFileSync(a, messy);
    writeFileSync(b, clean);
    const io = capture();
    expect(await main(["fmt", a, b], io)).toBe(0);
    expect(readFileSync(a, "utf8")).toBe(clean);
    expect(readFileSync(b, "utf8")).toBe(clean);
    expect(io.out + io.err).toBe("");
  });

  it("with --check writes nothing, lists unformatted files and exits 1", async () => {
    const a = join(dir, "a.idl");
    const b = join(dir, "b.idl");
    writeFileSync(a, messy);
    writeFileSync(b, clean);
    const io = capture();
    expect(await main(["fmt", "--check", a, b], io)).toBe(1);
    expect(io.out).toBe(`${a}\n`);
    expect(readFileSync(a, "utf8")).toBe(messy);
    const ok = capture();
    expect(await main(["fmt", "--check", b], ok)).toBe(0);
  });

  it("prints syntax errors with a code frame, exits 1 and does not touch the file", async () => {
    const a = join(dir, "a.idl");
    writeFileSync(a, "struct S { x: u8 }\n");
    const io = capture();
    expect(await main(["fmt", a], io)).toBe(1);
    expect(io.err).toBe(`${a}:1:18: error[DK1006]: expected ';', found '}'\n  |\n1 | struct S { x: u8 }\n  |                  ^\n`);
    expect(readFileSync(a, "utf8")).toBe("struct S { x: u8 }\n");
  });

  it("formats every .idl file under a directory, and nothing else", async () => {
    mkdirSync(join(dir, "sub", "deeper"), { recursive: true });
    const files = [join(dir, "a.idl"), join(dir, "sub", "b.idl"), join(dir, "sub", "deeper", "c.idl")];
    for (const f of files) writeFileSync(f, messy);
    writeFileSync(join(dir, "notes.txt"), messy);
    const check = capture();
    expect(await main(["fmt", "--check", dir], check)).toBe(1);
    expect(check.out).toBe(`${files.join("\n")}\n`);
    expect(await main(["fmt", dir], capture())).toBe(0);
    for (const f of files) expect(readFileSync(f, "utf8")).toBe(clean);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe(messy);
  });

  it("reports a missing file and goes on with the others", async () => {
    const a = join(dir, "a.idl");
    writeFileSync(a, messy);
    const io = capture();
    expect(await main(["fmt", join(dir, "none.idl"), a], io)).toBe(1);
    expect(io.err).toBe(`doorkit fmt: cannot read ${join(dir, "none.idl")}: no such file\n`);
    expect(readFileSync(a, "utf8")).toBe(clean);
  });

  it("refuses no files or an unknown option as a usage error (exit 2)", async () => {
    const none = capture();
    expect(await main(["fmt"], none)).toBe(2);
    expect(none.err).toContain("no files given");
    const bad = capture();
    expect(await main(["fmt", "--write", "x.idl"], bad)).toBe(2);
    expect(bad.err).toContain("unknown option '--write'");
  });
});
