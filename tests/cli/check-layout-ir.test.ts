import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { capture } from "../support/capture-io.js";


const dir = mkdtempSync(join(tmpdir(), "doorkit-cli-"));
const good = join(dir, "good.idl");
const bad = join(dir, "bad.idl");
writeFileSync(good, "struct P { a: u8; b: u64; }\ninterface I : user { get(p: P) -> (q: P); }\n");
writeFileSync(bad, "struct S {\n    a: Nope;\n}\n");

describe("doorkit check", () => {
  it("exits 0 and prints nothing for a clean file", async () => {
    const io = capture();
    expect(await main(["check", good], io)).toBe(0);
    expect(io.out + io.err).toBe("");
  });

  it("exits 1 and prints path:line:col, the code and a code frame", async () => {
    const io = capture();
    expect(await main(["check", bad], io)).toBe(1);
    expect(io.err).toContain(`${bad}:2:8: error[DK2005]: unknown type 'Nope'`);
    expect(io.err).toContain("2 |     a: Nope;");
    expect(io.err).toContain("1 error, 0 warnings");
  });

  it("gives the same as JSON with --format json", async () => {
    const io = capture();
    expect(await main(["check", "--format", "json", bad], io)).toBe(1);
    const json = JSON.parse(io.out) as { code: string; path: string; startLine: number; startCol: number }[];
    expect(json).toMatchObject([{ code: "DK2005", path: bad, startLine: 2, startCol: 8 }]);
  });

  it("reports a missing file as a diagnostic, not a crash", async () => {
    const io = capture();
    expect(await main(["check", join(dir, "none.idl")], io)).toBe(1);
    expect(io.err).toContain("error[DK2001]: cannot find file");
  });

  it("refuses a bad option with the usage and exit status 2", async () => {
    const io = capture();
    expect(await main(["check", "--format", "yaml", good], io)).toBe(2);
    expect(io.err).toContain("usage: doorkit check");
  });
});

describe("doorkit layout", () => {
  it("draws the struct and both messages with offsets", async () => {
    const io = capture();
    expect(await main(["layout", good], io)).toBe(0);
    expect(io.out).toContain("struct P  size 12, align 4");
    expect(io.out).toMatch(/ {5}4 \| b: u64/);
    expect(io.out).toContain("I.get  fn 0x8000  buffer 20");
    expect(io.out).toContain("reply: fixed 20, max data 20, 0 descriptors, total 20");
  });

  it("gives the documented JSON shape with --json", async () => {
    const io = capture();
    expect(await main(["layout", "--json", good], io)).toBe(0);
    const j = JSON.parse(io.out);
    expect(j.structs).toEqual([
      {
        name: "P",
        size: 12,
        align: 4,
        fields: [
          { name: "a", offset: 0, size: 1 },
          { name: "b", offset: 4, size: 8 },
        ],
      },
    ]);
    expect(j.methods[0]).toMatchObject({
      interface: "I",
      name: "get",
      fn: 0x8000,
      request: { fixedSize: 12, maxDataSize: 12, descriptors: 0, totalSize: 12 },
      reply: { fixedSize: 20, maxDataSize: 20, descriptors: 0, totalSize: 20 },
    });
  });

  it("prints the diagnostics and exits 1 for a bad file", async () => {
    const io = capture();
    expect(await main(["layout", bad], io)).toBe(1);
    expect(io.out).toBe("");
    expect(io.err).toContain("DK2005");
  });
});

describe("doorkit ir", () => {
  it("writes the IR to --out", async () => {
    const io = capture();
    const out = join(dir, "ir.json");
    expect(await main(["ir", "--out", out, good], io)).toBe(0);
    const ir = JSON.parse(readFileSync(out, "utf8"));
    expect(ir.irVersion).toBe(1);
    expect(ir.files[0].structs[0].name).toBe("P");
  });

  it("prints it on stdout by default", async () => {
    const io = capture();
    expect(await main(["ir", good], io)).toBe(0);
    expect(JSON.parse(io.out).files[0].path).toBe("good.idl");
  });
});
