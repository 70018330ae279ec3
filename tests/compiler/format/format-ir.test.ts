/**
 * The formatter keeps what a program means to the whole compiler: the
 * project's IDL programs (the system's own, the examples, the golden cases),
 * re-spaced at random (tokens and doc comments kept, layout and comments
 * scrambled), compile to the same IR before and after formatting.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/compile.js";
import { formatText } from "../../../compiler/format/format.js";
import { idlLexer } from "../../../compiler/syntax/tokens.js";

/** Each program: its entry files, paths relative to the repository root (vitest's working directory). */
function programs(): string[][] {
  const idlFiles = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith(".idl"))
          .sort()
          .map((f) => `${dir}/${f}`)
      : [];
  const list = [idlFiles("idl")];
  for (const group of ["examples", "tests/compiler/golden"]) {
    for (const name of existsSync(group) ? readdirSync(group).sort() : []) {
      const files = idlFiles(`${group}/${name}`);
      if (files.length > 0) list.push(files);
    }
  }
  return list;
}

function readDisk(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The IR without source positions, which formatting is free to change. */
function irOf(entries: readonly string[], read: (path: string) => string | undefined): string {
  const result = compile(entries, { readFile: read });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => d.message)).toEqual([]);
  return JSON.stringify(result.ir, (key, value: unknown) => (key === "location" ? undefined : value));
}

/** A file's tokens and doc comments, joined by the chosen separators. */
function respace(text: string, gaps: readonly string[]): string {
  const lexed = idlLexer.tokenize(text);
  const tokens = [...lexed.tokens, ...(lexed.groups["docs"] ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  let out = "";
  tokens.forEach((t, i) => {
    if (t.tokenType.name !== "DocComment") out += t.image + gaps[i % gaps.length]!;
    else out += `${out === "" || out.endsWith("\n") ? "" : "\n"}${t.image}\n`;
  });
  return out;
}

const gap = fc.constantFrom(" ", "  ", "\n", "\n\n\n", "\t", " /* c */ ", " // c\n");

describe("formatting keeps the IR", () => {
  const all = programs();

  it("finds the project's programs, and they compile", () => {
    expect(all.length).toBeGreaterThan(1);
    for (const entries of all) expect(irOf(entries, readDisk)).toContain('"irVersion"');
  });

  for (const entries of all) {
    it(`of ${entries.join(", ")} re-spaced at random`, () => {
      const sources = compile(entries, { readFile: readDisk }).sources;
      fc.assert(
        fc.property(fc.array(gap, { minLength: 1, maxLength: 7 }), (gaps) => {
          const messy = new Map([...sources].map(([path, text]) => [path, respace(text, gaps)]));
          const reference = irOf(entries, (p) => messy.get(p));
          const formatted = new Map(
            [...messy].map(([path, text]) => {
              const result = formatText(path, text);
              if (result.kind !== "formatted") throw new Error(`${path}: ${result.diagnostics[0]?.message}`);
              return [path, result.text];
            }),
          );
          expect(irOf(entries, (p) => formatted.get(p))).toBe(reference);
        }),
        { numRuns: 5 },
      );
    });
  }
});
