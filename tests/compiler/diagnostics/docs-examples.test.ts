/**
 * The examples of docs/diagnostics.md for the check and layout codes: the
 * first `idl` block of a section is its bad example and must report the
 * section's code; a second block, the fix, must check clean. Examples may
 * import files of tests/compiler/bad/lib/, as the fixtures do.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/compile.js";

const dir = "tests/compiler/bad/";
/** Codes whose bad example is abridged in the docs (hundreds of lines in the fixture). */
const ABRIDGED = new Set([3026, 4008, 5003]);
const docs = readFileSync("docs/diagnostics.md", "utf8");
const sections = [...docs.matchAll(/^### DK([2-5]\d{3}) (\w+)\n([\s\S]*?)(?=^### |^## |(?![\s\S]))/gm)].map((m) => ({
  code: Number(m[1]),
  name: m[2]!,
  blocks: [...m[3]!.matchAll(/```idl\n([\s\S]*?)```/g)].map((b) => b[1]!),
}));

function check(text: string) {
  return compile(["example.idl"], {
    readFile: (p) => {
      if (p === "example.idl") return text;
      try {
        return readFileSync(dir + p, "utf8");
      } catch {
        return undefined;
      }
    },
  }).diagnostics;
}

describe("docs/diagnostics.md examples", () => {
  it("cover every check and layout code", () => {
    expect(sections.length).toBeGreaterThan(50);
  });

  for (const s of sections) {
    it(`DK${s.code} ${s.name}`, () => {
      expect(s.blocks.length).toBeGreaterThan(0);
      const [bad, fix] = s.blocks;
      if (!ABRIDGED.has(s.code)) expect(check(bad!).map((d) => d.code)).toContain(s.code);
      if (fix !== undefined) expect(check(fix).map((d) => `DK${d.code} ${d.message}`)).toEqual([]);
    });
  }
});
