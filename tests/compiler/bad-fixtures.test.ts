/**
 * Every `tests/compiler/bad/*.idl` states the diagnostics it must produce in
 * trailer lines `// expect: LINE:COL DKnnnn message`; the runner checks them
 * exactly (code, position, message, and that there are no others).
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "../../compiler/compile.js";
import { formatCode, type Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { SourceText } from "../../compiler/diagnostics/source-text.js";

const dir = fileURLToPath(new URL("./bad/", import.meta.url));

/** What a fixture produces: the whole pipeline; fixtures may import files under `bad/lib/`. */
function diagnose(path: string): readonly Diagnostic[] {
  return compile([path], {
    readFile: (p) => {
      try {
        return readFileSync(dir + p, "utf8");
      } catch {
        return undefined;
      }
    },
  }).diagnostics;
}

const covered = (name: string): boolean => /^dk-\d{4}-/.test(name);

const fixtures = readdirSync(dir).filter((f) => f.endsWith(".idl") && covered(f)).sort();

function expectations(text: string): string[] {
  return [...text.matchAll(/^\/\/ expect: (.*)$/gm)].map((m) => m[1]!.trimEnd()).sort();
}

describe("bad fixtures", () => {
  it("exist, one file per code at least", () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const name of fixtures) {
    it(name, () => {
      const text = readFileSync(dir + name, "utf8");
      const expected = expectations(text);
      expect(expected.length, "a bad fixture states at least one expected diagnostic").toBeGreaterThan(0);
      const source = new SourceText(text);
      const actual = diagnose(name)
        .map((d) => {
          const file = d.location?.file ?? name;
          const text = file === name ? source : new SourceText(readFileSync(dir + file, "utf8"));
          const at = d.location ? text.position(d.location.span.start) : { line: 0, col: 0 };
          const where = file === name ? "" : `${file}:`;
          return `${where}${at.line}:${at.col} ${formatCode(d.code)} ${d.message}`;
        })
        .sort();
      expect(actual).toEqual(expected);
      const code = /^dk-(\d{4})-/.exec(name)?.[1];
      expect(code, "file name starts with dk-NNNN-").toBeDefined();
      expect(expected.some((e) => e.includes(` DK${code} `)), "the fixture triggers its own code").toBe(true);
    });
  }
});
