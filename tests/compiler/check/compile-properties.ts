/**
 * Robustness properties of compile(), shared by the suite
 * (robustness.test.ts) and the long campaign (fuzz/compile.fuzz.ts): on any
 * input it gives diagnostics, each at a place inside a file that was read, or
 * an IR that validates against the schema; it never throws.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { compileText } from "../compile-text.js";
import { validate } from "../ir/json-schema.js";

const schema = JSON.parse(readFileSync("compiler/ir/ir.schema.json", "utf8")) as Record<string, unknown>;
const types = readFileSync("idl/types.idl", "utf8");
const seeds = [
  "idl/kernel.idl",
  "idl/procmgr.idl",
  "tests/compiler/golden/variable/main.idl",
  "tests/compiler/golden/compose/main.idl",
].map((p) => readFileSync(p, "utf8"));

export function problems(text: string): string | null {
  const r = compileText({ "main.idl": text, "types.idl": types });
  for (const d of r.diagnostics) {
    if (d.location === null) return `no location: ${d.message}`;
    const source = r.sources.get(d.location.file);
    if (source === undefined) return `location in an unread file: ${d.location.file}`;
    if (d.location.span.start < 0 || d.location.span.end > source.length) return `span outside the file: ${d.message}`;
  }
  if (r.ir) {
    const errors = validate(schema, r.ir);
    if (errors.length > 0) return errors.join("\n");
  }
  if (r.ir === null && !r.diagnostics.some((d) => d.severity === "error")) return "no IR and no error";
  return null;
}

/** Mutations of a real file: a slice of it deleted, duplicated or moved. */
export const mutatedSeed = fc
  .tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.nat(), fc.constantFrom("delete", "duplicate", "move"))
  .map(([text, a, b, c, op]) => {
    const [i, j] = [a % text.length, b % text.length].sort((x, y) => x - y) as [number, number];
    const slice = text.slice(i, j);
    const rest = text.slice(0, i) + text.slice(j);
    const at = c % (rest.length + 1);
    if (op === "delete") return rest;
    if (op === "duplicate") return text.slice(0, j) + slice + text.slice(j);
    return rest.slice(0, at) + slice + rest.slice(at);
  });
