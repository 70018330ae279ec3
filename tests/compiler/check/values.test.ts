import { describe, expect, it } from "vitest";
import { compileText, messages } from "../compile-text.js";

function clean(source: string | Record<string, string>) {
  const r = compileText(source);
  expect(messages(r)).toEqual([]);
  return r.ir!;
}

describe("constants", () => {
  it("evaluate with precedence, parentheses, hex, binary and separators", () => {
    const ir = clean(`
      const A: u32 = 1 + 2 * 3;
      const B: u32 = (1 + 2) * 3;
      const C: u32 = 0x10 | 0b1 << 2;
      const D: i32 = -5 - 1_000;
      const E: u32 = 17 / 5;
      const F: u16 = 0xFF00 >> 8 & 0x0F;`);
    expect(Object.fromEntries(ir.files[0]!.consts.map((c) => [c.name, c.value]))).toEqual({
      A: 7,
      B: 9,
      C: 0x14,
      D: -1005,
      E: 3,
      F: 0x0f,
    });
  });

  it("refer to other constants and enum members, in any order", () => {
    const ir = clean(`
      const MAX: u32 = HALF * 2;
      const HALF: u32 = Size.SMALL + 1;
      enum Size : u8 { SMALL = 7, LARGE = SMALL * 2 }`);
    const consts = ir.files[0]!.consts;
    expect(consts.map((c) => [c.name, c.value])).toEqual([
      ["MAX", 16],
      ["HALF", 8],
    ]);
    expect(ir.files[0]!.enums[0]!.members.map((m) => m.value)).toEqual([7, 14]);
  });

  it("keep 64-bit values exact, as strings beyond 2^53", () => {
    const ir = clean("const BIG: u64 = 0xFFFF_FFFF_FFFF_FFFF; const NEG: i64 = -0x8000_0000_0000_0000;");
    expect(ir.files[0]!.consts.map((c) => c.value)).toEqual(["18446744073709551615", "-9223372036854775808"]);
  });

  it("are checked against their type's range at both ends", () => {
    expect(messages(compileText("const A: i8 = -129; const B: i8 = -128; const C: u16 = 65536;"))).toEqual([
      "DK3017 value -129 does not fit in i8",
      "DK3017 value 65536 does not fit in u16",
    ]);
  });

  it("give strings their UTF-8 length as bound", () => {
    const c = clean('const S: string = "h\\u{e9}llo";').files[0]!.consts[0]!;
    expect(c.value).toBe("héllo");
    expect(c.type).toMatchObject({ kind: "string", maxLength: 6 });
  });

  it("size strings, arrays and vectors", () => {
    const ir = clean("const N: u32 = 4; struct S { a: array<u16, N * 2>; s: string<N>; v: vector<u8, N + 1>; }");
    const s = ir.files[0]!.structs[0]!;
    expect(s.fields.map((f) => f.type)).toMatchObject([
      { kind: "array", length: 8, size: 16 },
      { kind: "string", maxLength: 4 },
      { kind: "vector", maxLength: 5 },
    ]);
  });

  it("report a use of an erroneous constant only once", () => {
    const r = compileText("const A: u8 = 1000; struct S { a: array<u8, A>; b: string<A>; }");
    expect(messages(r)).toEqual(["DK3017 value 1000 does not fit in u8"]);
  });
});

describe("enums and bits", () => {
  it("default to u32 and keep their members in order", () => {
    const e = clean("enum Mode { READ = 1, WRITE = 2 }").files[0]!.enums[0]!;
    expect(e).toMatchObject({
      base: "u32",
      flags: false,
      members: [
        { name: "READ", value: 1 },
        { name: "WRITE", value: 2 },
      ],
    });
  });

  it("allow combinations of members in bits", () => {
    const e = clean("bits Rw : u8 { R = 1, W = 2, RW = R | W }").files[0]!.enums[0]!;
    expect(e.flags).toBe(true);
    expect(e.members.map((m) => m.value)).toEqual([1, 2, 3]);
  });

  it("refuse negative values in an unsigned base and accept them in a signed one", () => {
    expect(messages(compileText("enum E : u8 { A = -1 }"))).toEqual(["DK3012 value -1 of 'A' does not fit in u8"]);
    expect(clean("enum E : i8 { A = -128 }").files[0]!.enums[0]!.members[0]!.value).toBe(-128);
  });
});

describe("types", () => {
  it("normalize descriptor rights to the canonical order", () => {
    const m = clean("interface I : user { pass(d: desc<memory, write | map | read>, l: lease<readwrite>); }").files[0]!
      .interfaces[0]!.methods[0]!;
    expect(m.request.params.map((p) => p.type)).toEqual([
      { kind: "desc", objectKind: "memory", rights: ["read", "write", "map"] },
      { kind: "lease", access: "readwrite" },
    ]);
  });

  it("refuse a descriptor as an array element and in a constant", () => {
    const r = compileText("struct S { a: array<desc<door>, 2>; } const D: desc<door> = 1;");
    expect(r.diagnostics.map((d) => d.code)).toEqual([3016, 3006]);
  });

  it("allow a fixed-size struct as an array and vector element", () => {
    const ir = clean("struct P { x: i32; y: i32; } struct Path { points: array<P, 3>; more: vector<P, 2>; }");
    expect(ir.files[0]!.structs[1]!.fields[1]!.type).toMatchObject({
      kind: "vector",
      element: { kind: "struct", name: "P" },
    });
  });

  it("reports every unknown name of a file in one run", () => {
    const r = compileText("struct S { a: Foo; b: Bar; c: array<u8, N>; } interface I : user { f(x: Baz); }");
    expect(messages(r).sort()).toEqual([
      "DK2005 unknown type 'Bar'",
      "DK2005 unknown type 'Baz'",
      "DK2005 unknown type 'Foo'",
      "DK2006 unknown constant 'N'",
    ]);
    expect(r.diagnostics).toHaveLength(4);
  });
});
