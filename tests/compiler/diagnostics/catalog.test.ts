/**
 * Keeps the catalogue, the docs and the fixtures in step: every definition in
 * `allDiagnostics` has a unique code in its phase's range, a unique name
 * whose prefix matches its severity, a `### DKnnnn Name` section in
 * docs/diagnostics.md, and at least one bad fixture; and nothing is
 * documented or has a fixture that is not defined.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allDiagnostics } from "../../../compiler/diagnostics/catalog.js";
import { formatCode } from "../../../compiler/diagnostics/diagnostic.js";

const docs = readFileSync("docs/diagnostics.md", "utf8");
const documented = [...docs.matchAll(/^### (DK\d{4}) (\w+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
const fixtures = readdirSync("tests/compiler/bad").filter((f) => /^dk-\d{4}-.*\.idl$/.test(f));

describe("diagnostic catalogue", () => {
  it("has unique codes and names", () => {
    const codes = allDiagnostics.map((d) => d.code);
    const names = allDiagnostics.map((d) => d.name);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it("names errors Err* and warnings Warn*, with codes in 1000..5999", () => {
    for (const d of allDiagnostics) {
      expect(d.name.startsWith(d.severity === "error" ? "Err" : "Warn"), d.name).toBe(true);
      expect(d.code >= 1000 && d.code < 6000, d.name).toBe(true);
    }
  });

  it("documents every definition, and nothing else, in docs/diagnostics.md", () => {
    const defined = allDiagnostics.map((d) => `${formatCode(d.code)} ${d.name}`);
    expect(documented.slice().sort()).toEqual(defined.slice().sort());
  });

  it("has a bad fixture for every definition, and no fixture for an unknown code", () => {
    const withFixture = new Set(fixtures.map((f) => Number(f.slice(3, 7))));
    expect(allDiagnostics.filter((d) => !withFixture.has(d.code)).map((d) => d.name)).toEqual([]);
    const known = new Set(allDiagnostics.map((d) => d.code));
    expect([...withFixture].filter((c) => !known.has(c))).toEqual([]);
  });
});
