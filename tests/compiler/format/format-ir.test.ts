/**
 * The formatter keeps what a program means to the whole compiler: the
 * project's own IDL, re-spaced at random (tokens and doc comments kept,
 * layout and comments scrambled), compiles to the same IR before and after
 * formatting.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/compile.js";
import { formatText } from "../../../compiler/format/format.js";
import { idlLexer } from "../../../compiler/syntax/tokens.js";

const idlDir = fileURLToPath(new URL("../../../idl/", import.meta.url));
const names = readdirSync(idlDir).filter((f) => f.endsWith(".idl")).sort();
const originals = new Map(names.map((n) => [n, readFileSync(idlDir + n, "utf8")]));

/** The IR without source positions, which formatting is free to change. */
function irOf(files: ReadonlyMap<string, string>): string {
  const result = compile(names, { readFile: (p) => files.get(p) });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => d.message)).toEqual([]);
  return JSON.stringify(result.ir, (key, value: unknown) => (key === "location" ? undefined : value));
}

/** Each file's tokens, doc comments kept, joined by the chosen separators. */
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
  it("of the project's IDL as written", () => {
    expect(names.length).toBeGreaterThan(0);
    expect(irOf(originals)).toContain('"irVersion"');
  });

  it("of the project's IDL re-spaced at random", () => {
    fc.assert(
      fc.property(fc.array(gap, { minLength: 1, maxLength: 7 }), (gaps) => {
        const messy = new Map([...originals].map(([n, t]) => [n, respace(t, gaps)]));
        const reference = irOf(messy);
        const formatted = new Map(
          [...messy].map(([n, t]) => {
            const result = formatText(n, t);
            if (result.kind !== "formatted") throw new Error(`${n}: ${result.diagnostics[0]?.message}`);
            return [n, result.text];
          }),
        );
        expect(irOf(formatted)).toBe(reference);
      }),
      { numRuns: 15 },
    );
  });
});
