/**
 * `doorkit fmt` keeps the meaning as the back ends see it: the IR of a
 * formatted program equals the IR before formatting, locations aside.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatText } from "../../../compiler/format/format.js";
import { compileText } from "../compile-text.js";
import { idlText } from "../syntax/arbitrary-idl.js";

function irWithoutLocations(files: Record<string, string>, entry: string): string | null {
  const ir = compileText(files, entry).ir;
  return ir === null ? null : JSON.stringify(ir, (key, value: unknown) => (key === "location" ? undefined : value));
}

function formatted(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([path, text]) => {
      const r = formatText(path, text);
      if (r.kind !== "formatted") throw new Error(`${path} does not format`);
      return [path, r.text];
    }),
  );
}

const cases: [string, Record<string, string>, string][] = [
  ["idl/", { "procmgr.idl": "", "types.idl": "" }, "procmgr.idl"],
  ["idl/", { "kernel.idl": "", "types.idl": "" }, "kernel.idl"],
  ...readdirSync("tests/compiler/golden").map((name): [string, Record<string, string>, string] => [
    `tests/compiler/golden/${name}/`,
    Object.fromEntries(
      readdirSync(`tests/compiler/golden/${name}`)
        .filter((f) => f.endsWith(".idl"))
        .map((f) => [f, ""]),
    ),
    "main.idl",
  ]),
];

describe("formatting keeps the IR", () => {
  for (const [dir, names, entry] of cases) {
    it(`of ${dir}${entry}`, () => {
      const files = Object.fromEntries(Object.keys(names).map((f) => [f, readFileSync(dir + f, "utf8")]));
      const before = irWithoutLocations(files, entry);
      expect(before).not.toBeNull();
      expect(irWithoutLocations(formatted(files), entry)).toBe(before);
    });
  }

  it("of random programs that check clean", () => {
    fc.assert(
      fc.property(idlText, (text) => {
        const before = irWithoutLocations({ "main.idl": text }, "main.idl");
        if (before === null) return true;
        return irWithoutLocations(formatted({ "main.idl": text }), "main.idl") === before;
      }),
      { numRuns: 200 },
    );
  });
});
