/**
 * Every IR the compiler produces (the system IDL, the golden cases, and a
 * program using every type) validates against compiler/ir/ir.schema.json, and
 * the schema describes every property and admits nothing undeclared.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/compile.js";
import { fsHost } from "../../../cli/fs-host.js";
import { compileText } from "../compile-text.js";
import { validate } from "./json-schema.js";

const schema = JSON.parse(readFileSync("compiler/ir/ir.schema.json", "utf8")) as Record<string, unknown>;

const EVERYTHING = `
/// Every kind of type and declaration.
const LIMIT: u32 = 8;
const NAME: string = "doorkit";
const EMPTY: string = "";
const ON: bool = true;
const BIG: u64 = 0xFFFF_FFFF_FFFF_FFFF;
enum Mode : u8 { READ = 1, WRITE = 2 }
bits Flags : u16 { A = 1, B = 2 }
struct Inner { x: f32; y: f64; }
struct Outer {
    m: Mode; f: Flags; b: bool; i: Inner;
    a: array<Inner, 2>; s: string<LIMIT>; raw: bytes<4>; v: vector<u16, LIMIT>;
}
interface Base : user { ping() = 0x8010; }
interface Api : user {
    compose Base;
    reserved 0x8005;
    put(o: Outer, d: desc<memory, read | map>, l: lease<write>) -> (n: i64, back: desc<door, send>);
}
interface K : kernel { @trap tick(); }
`;

function collectIrs() {
  const irs: [string, unknown][] = [];
  const system = compile(["idl/kernel.idl", "idl/procmgr.idl"], fsHost);
  irs.push(["system IDL", system.ir]);
  irs.push(["every type", compileText(EVERYTHING).ir]);
  const golden = "tests/compiler/golden";
  for (const name of readdirSync(golden)) {
    const entries = readdirSync(`${golden}/${name}`)
      .filter((f) => f.endsWith(".idl"))
      .sort();
    const main = entries.includes("main.idl") ? "main.idl" : entries[0]!;
    irs.push([`golden ${name}`, compile([`${golden}/${name}/${main}`], fsHost).ir]);
  }
  return irs;
}

describe("ir.schema.json", () => {
  for (const [name, ir] of collectIrs()) {
    it(`validates the IR of ${name}`, () => {
      expect(ir).not.toBeNull();
      expect(validate(schema, ir)).toEqual([]);
    });
  }

  it("refuses an IR with an undeclared property or a wrong kind", () => {
    const ir = JSON.parse(JSON.stringify(compileText(EVERYTHING).ir)) as {
      files: { structs: Record<string, unknown>[] }[];
    };
    ir.files[0]!.structs[0]!["extra"] = 1;
    expect(validate(schema, ir)).toContain("$.files[0].structs[0]: unexpected property 'extra'");
    (ir.files[0]!.structs[0]!["fields"] as { type: { kind: string } }[])[0]!.type.kind = "float";
    expect(validate(schema, ir).some((e) => e.startsWith("$.files[0].structs[0].fields[0].type: matches 0"))).toBe(
      true,
    );
  });

  it("gives every property a description and closes every object", () => {
    const problems: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      if (typeof node !== "object" || node === null) return;
      const o = node as Record<string, unknown>;
      if (o.type === "object" && o.additionalProperties !== false) problems.push(`${path}: open object`);
      for (const [key, prop] of Object.entries((o.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof prop.description !== "string") problems.push(`${path}.${key}: no description`);
      }
      for (const [key, child] of Object.entries(o)) walk(child, `${path}/${key}`);
    };
    walk(schema, "#");
    expect(problems).toEqual([]);
  });
});
