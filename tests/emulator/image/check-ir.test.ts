import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/compile.js";
import type { Ir } from "../../../compiler/ir/ir.js";
import { checkIrShape } from "../../../emulator/image/check-ir.js";
import { formatParams, indexIr } from "../../../emulator/trace/format-message.js";
import { systemIr } from "../../../emulator/trace/system-ir.js";

const source = `
enum Mode : u16 { READ = 1, WRITE = 2 }
struct Point { x: i32; y: i32; tags: array<u8, 4>; }
interface Shapes : user {
    move(at: Point, mode: Mode, names: vector<u16, 4>, label: string<16>, file: desc<door>) -> (moved: bool);
}
`;

function sampleIr(): Ir {
  const r = compile(["s.idl"], { readFile: (p) => (p === "s.idl" ? source : undefined) });
  if (!r.ir) throw new Error("sample IDL does not compile");
  return JSON.parse(JSON.stringify(r.ir));
}

/** Every [container, key] inside a JSON value, for picking a place to damage. */
function places(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([value, i]), places(v, out)));
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, k]);
      places(v, out);
    }
  }
  return out;
}

describe("checkIrShape", () => {
  it("accepts the IR the compiler emits", () => {
    expect(checkIrShape(sampleIr())).toBeNull();
    expect(checkIrShape(systemIr())).toBeNull();
  });

  it.each([
    ["not an object", () => 3, "$: expected an object"],
    ["another version", (ir: any) => ({ ...ir, irVersion: 2 }), "$.irVersion: expected 1"],
    ["files not an array", (ir: any) => ({ ...ir, files: {} }), "$.files: expected an array"],
    ["a method number that is text", (ir: any) => ((ir.files[0].interfaces[0].methods[0].fn = "0x8000"), ir), "$.files[0].interfaces[0].methods[0].fn: expected a whole number"],
    ["an unknown type kind", (ir: any) => ((ir.files[0].structs[0].fields[0].type.kind = "pointer"), ir), "$.files[0].structs[0].fields[0].type.kind: not a data type"],
    ["a param without place", (ir: any) => (delete ir.files[0].interfaces[0].methods[0].request.params[0].place, ir), "$.files[0].interfaces[0].methods[0].request.params[0].place: expected data or descriptor"],
    ["an enum value that is not an integer", (ir: any) => ((ir.files[0].enums[0].members[0].value = "one"), ir), "$.files[0].enums[0].members[0].value: expected an integer"],
  ])("refuses %s", (_name, damage, problem) => {
    expect(checkIrShape(damage(sampleIr() as any))).toBe(problem);
  });

  it("refuses types nested without end", () => {
    const ir: any = sampleIr();
    let t: any = { kind: "primitive", name: "u8", size: 1, align: 1 };
    for (let i = 0; i < 100; i++) t = { kind: "array", element: t, length: 1, size: 1, align: 1 };
    ir.files[0].structs[0].fields[0].type = t;
    expect(checkIrShape(ir)).toMatch(/types nested too deep$/);
  });

  it("decodes a struct that contains itself without running away", () => {
    const ir: any = sampleIr();
    const point = ir.files[0].structs.find((s: any) => s.name === "Point");
    point.fields[0].type = { kind: "struct", name: "Point", variable: false, size: 12, align: 4 };
    expect(checkIrShape(ir)).toBeNull();
    const move = ir.files[0].interfaces[0].methods[0];
    expect(formatParams(indexIr([ir]), move.request, new Uint8Array(64), [3])).toMatch(/^at=\{x=\{x=\{.*…/);
  });

  it("lets through only IR the trace decoder can use on any bytes without throwing", () => {
    const base = sampleIr();
    const count = places(base).length;
    fc.assert(
      fc.property(fc.nat(count - 1), fc.anything(), fc.uint8Array({ maxLength: 64 }), (at, value, bytes) => {
        const ir = sampleIr();
        const [container, key] = places(ir)[at];
        (container as Record<string | number, unknown>)[key] = value;
        if (checkIrShape(ir) !== null) return;
        const index = indexIr([ir]);
        for (const method of ir.files.flatMap((f) => f.interfaces.flatMap((i) => i.methods))) {
          formatParams(index, method.request, bytes, [1]);
          formatParams(index, method.reply, bytes, []);
        }
      }),
      { numRuns: 300 },
    );
  });
});
