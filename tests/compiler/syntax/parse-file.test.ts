import { describe, expect, it } from "vitest";
import { parseFile } from "../../../compiler/syntax/index.js";
import type * as ast from "../../../compiler/syntax/ast.js";
import { formatCode } from "../../../compiler/diagnostics/diagnostic.js";

function parseClean(text: string): ast.File {
  const { file, diagnostics } = parseFile("t.idl", text);
  expect(diagnostics.map((d) => d.message)).toEqual([]);
  return file;
}

function onlyDecl<K extends ast.Declaration["kind"]>(text: string, kind: K): Extract<ast.Declaration, { kind: K }> {
  const file = parseClean(text);
  expect(file.declarations).toHaveLength(1);
  const decl = file.declarations[0]!;
  expect(decl.kind).toBe(kind);
  return decl as Extract<ast.Declaration, { kind: K }>;
}

function constValue(expr: string): ast.ConstExpr {
  return onlyDecl(`const X: u32 = ${expr};`, "ConstDecl").value;
}

/** An expression back as text, fully parenthesized: shows how it was grouped. */
function grouped(e: ast.ConstExpr): string {
  switch (e.kind) {
    case "BinaryExpr":
      return `(${grouped(e.left)} ${e.operator} ${grouped(e.right)})`;
    case "ParenExpr":
      return grouped(e.inner);
    case "NameRef":
      return e.parts.map((p) => p.text).join(".");
    case "NumberLiteral":
      return String(e.value);
    case "StringLiteral":
      return JSON.stringify(e.value);
    case "BoolLiteral":
      return String(e.value);
  }
}

function slice(text: string, span: ast.Span): string {
  return text.slice(span.start, span.end);
}

describe("parseFile: declarations", () => {
  it("reads imports with their path", () => {
    const file = parseClean('import "types.idl";\nimport "a/b.idl";');
    expect(file.imports.map((i) => i.path.value)).toEqual(["types.idl", "a/b.idl"]);
  });

  it("reads a const with its type and value", () => {
    const d = onlyDecl("const MAX_PATH: u32 = 1024;", "ConstDecl");
    expect(d.name.text).toBe("MAX_PATH");
    expect(d.type.name.text).toBe("u32");
    expect(d.value).toMatchObject({ kind: "NumberLiteral", value: 1024n, raw: "1024" });
  });

  it("reads enums and bits, with and without a base, trailing comma optional", () => {
    const e = onlyDecl("enum OpenMode : u16 { READ = 1, WRITE = 2 }", "EnumDecl");
    expect(e.flags).toBe(false);
    expect(e.base?.name.text).toBe("u16");
    expect(e.members.map((m) => [m.name.text, grouped(m.value)])).toEqual([
      ["READ", "1"],
      ["WRITE", "2"],
    ]);
    const b = onlyDecl("bits Rights { SEND = 0x1, RECEIVE = 0x2, }", "EnumDecl");
    expect(b.flags).toBe(true);
    expect(b.base).toBeNull();
    expect(b.members).toHaveLength(2);
  });

  it("reads structs with generic field types", () => {
    const s = onlyDecl("struct Stat { size: u64; tag: array<u8, 16>; inner: vector<array<u8, 4>, 8>; }", "StructDecl");
    expect(s.fields.map((f) => f.name.text)).toEqual(["size", "tag", "inner"]);
    const inner = s.fields[2]!.type;
    expect(inner.name.text).toBe("vector");
    expect(inner.args[0]).toMatchObject({ kind: "TypeRef", name: { text: "array" } });
    expect(inner.args[1]).toMatchObject({ kind: "NumberLiteral", value: 8n });
  });

  it("reads interfaces: methods, replies, ordinals, reserved and compose", () => {
    const i = onlyDecl(
      `interface Vfs : system {
         open(path: string<MAX_PATH>, mode: OpenMode) -> (file: desc<door>);
         close(file: desc<door, send | receive>) = 0x1004;
         ping() -> ();
         reserved 0x1003, 0x1005;
         compose Base;
         compose lib.Other;
       }`,
      "InterfaceDecl",
    );
    expect(i.rangeClass.text).toBe("system");
    const [open, close, ping, reserved, compose, qualified] = i.members;
    expect(open).toMatchObject({ kind: "Method", ordinal: null });
    const o = open as ast.Method;
    expect(o.request.map((p) => p.name.text)).toEqual(["path", "mode"]);
    expect(o.reply?.map((p) => p.name.text)).toEqual(["file"]);
    expect(o.request[0]!.type.args[0]).toMatchObject({ kind: "TypeRef", name: { text: "MAX_PATH" }, args: [] });
    const c = close as ast.Method;
    expect(c.reply).toBeNull();
    expect(c.ordinal).toMatchObject({ kind: "NumberLiteral", value: 0x1004n, raw: "0x1004" });
    expect(grouped(c.request[0]!.type.args[1] as ast.ConstExpr)).toBe("(send | receive)");
    expect((ping as ast.Method).reply).toEqual([]);
    expect((reserved as ast.Reserved).numbers.map(grouped)).toEqual(["4099", "4101"]);
    expect((compose as ast.Compose).target.parts.map((p) => p.text)).toEqual(["Base"]);
    expect((qualified as ast.Compose).target.parts.map((p) => p.text)).toEqual(["lib", "Other"]);
  });

  it("reads attributes with and without a value on every kind of node", () => {
    const file = parseClean(`@deprecated("use B") @x
      struct A { @since(2) a: u32; }
      interface I : user { @trap f(@tag(1) p: u32) = 0x8000; }
      enum E { @old A = 1 }`);
    const [s, i, e] = file.declarations as [ast.StructDecl, ast.InterfaceDecl, ast.EnumDecl];
    expect(s.attributes.map((a) => a.name.text)).toEqual(["deprecated", "x"]);
    expect(s.attributes[0]!.value).toMatchObject({ kind: "StringLiteral", value: "use B" });
    expect(s.attributes[1]!.value).toBeNull();
    expect(s.fields[0]!.attributes[0]!.name.text).toBe("since");
    const m = i.members[0] as ast.Method;
    expect(m.attributes[0]!.name.text).toBe("trap");
    expect(m.request[0]!.attributes[0]!.value).toMatchObject({ value: 1n });
    expect(e.members[0]!.attributes[0]!.name.text).toBe("old");
  });
});

describe("parseFile: literals and expressions", () => {
  it("reads decimal, hex, binary, separators and a leading minus", () => {
    expect(constValue("1_000")).toMatchObject({ value: 1000n, raw: "1_000" });
    expect(constValue("0xFF_FF")).toMatchObject({ value: 0xffffn, raw: "0xFF_FF" });
    expect(constValue("0b1010")).toMatchObject({ value: 10n });
    expect(constValue("-3")).toMatchObject({ kind: "NumberLiteral", value: -3n, raw: "-3" });
    expect(constValue("18446744073709551616")).toMatchObject({ value: 2n ** 64n });
  });

  it("reads words that start with a keyword as identifiers, and keywords not at all", () => {
    const s = onlyDecl("struct structure { imports: u8; true_: u8; enumerated: bitset; }", "StructDecl");
    expect(s.name.text).toBe("structure");
    expect(s.fields.map((f) => [f.name.text, f.type.name.text])).toEqual([
      ["imports", "u8"],
      ["true_", "u8"],
      ["enumerated", "bitset"],
    ]);
    expect(parseFile("t.idl", "struct S { import: u8; }").diagnostics[0]?.message).toBe(
      "expected a field or '}', found 'import' (a keyword, not usable as a name)",
    );
    expect(parseFile("t.idl", "enum E { true = 1 }").diagnostics[0]?.message).toBe(
      "expected an identifier, found 'true' (a keyword, not usable as a name)",
    );
  });

  it("reads strings with every escape", () => {
    expect(constValue('"a\\"b\\\\c\\nd\\te\\u{1F600}"')).toMatchObject({
      kind: "StringLiteral",
      value: 'a"b\\c\nd\te\u{1F600}',
    });
    expect(constValue("true")).toMatchObject({ kind: "BoolLiteral", value: true });
    expect(constValue("false")).toMatchObject({ kind: "BoolLiteral", value: false });
  });

  it("groups operators by precedence, left to right within a level", () => {
    expect(grouped(constValue("1 | 2 & 3 << 4 + 5 * 6"))).toBe("(1 | (2 & (3 << (4 + (5 * 6)))))");
    expect(grouped(constValue("10 - 2 - 3"))).toBe("((10 - 2) - 3)");
    expect(grouped(constValue("(1 | 2) & 3"))).toBe("((1 | 2) & 3)");
    expect(grouped(constValue("a - 1"))).toBe("(a - 1)");
    expect(grouped(constValue("a-1"))).toBe("(a - 1)");
    expect(grouped(constValue("8 >> 1 / 2"))).toBe("(8 >> (1 / 2))");
    expect(grouped(constValue("Mode.READ | Mode.WRITE"))).toBe("(Mode.READ | Mode.WRITE)");
  });

  it("keeps a shift inside type arguments", () => {
    const s = onlyDecl("struct A { b: bytes<1 << 4>; c: bytes<32 >> 1>; }", "StructDecl");
    expect(grouped(s.fields[0]!.type.args[0] as ast.ConstExpr)).toBe("(1 << 4)");
    expect(grouped(s.fields[1]!.type.args[0] as ast.ConstExpr)).toBe("(32 >> 1)");
  });
});

describe("parseFile: spans", () => {
  it("gives every node the exact source range", () => {
    const text = "/// Doc.\n@a struct Point {\n    x: array<u8, 4>;\n}\n";
    const s = onlyDecl(text, "StructDecl");
    expect(slice(text, s.span)).toBe("@a struct Point {\n    x: array<u8, 4>;\n}");
    expect(slice(text, s.name.span)).toBe("Point");
    expect(slice(text, s.doc!.span)).toBe("/// Doc.");
    expect(slice(text, s.attributes[0]!.span)).toBe("@a");
    expect(slice(text, s.fields[0]!.span)).toBe("x: array<u8, 4>");
    expect(slice(text, s.fields[0]!.type.span)).toBe("array<u8, 4>");
    const value = onlyDecl("const X: u32 = -1 + (2);", "ConstDecl").value as ast.BinaryExpr;
    expect(value.span).toEqual({ start: 15, end: 23 });
    expect(value.left.span).toEqual({ start: 15, end: 17 });
    expect(value.right.span).toEqual({ start: 20, end: 23 });
  });
});

describe("parseFile: comments", () => {
  it("attaches doc comments to declarations, members, fields, parameters and methods", () => {
    const file = parseClean(`/// The file.

/// A mode.
///
///   indented
enum Mode {
    /// Read.
    READ = 1,
}
interface I : user {
    /// Does f.
    @trap
    f(
        /// The p.
        p: u32,
    );
}`);
    const [mode, i] = file.declarations as [ast.EnumDecl, ast.InterfaceDecl];
    expect(mode.doc?.lines).toEqual(["A mode.", "", "  indented"]);
    expect(mode.members[0]!.doc?.lines).toEqual(["Read."]);
    const f = i.members[0] as ast.Method;
    expect(f.doc?.lines).toEqual(["Does f."]);
    expect(f.request[0]!.doc?.lines).toEqual(["The p."]);
    expect(file.comments.map((c) => c.text)).toEqual(["/// The file."]);
  });

  it("attaches doc comments whatever the line breaks", () => {
    for (const br of ["\n", "\r\n", "\r"]) {
      const s = onlyDecl(`/// One.${br}/// Two.${br}struct S {${br}    x: u8;${br}}`, "StructDecl");
      expect(s.doc?.lines).toEqual(["One.", "Two."]);
    }
  });

  it("keeps ordinary comments, line and block, with their spans", () => {
    const text = "// one\nstruct A { /* two */ a: u32; } //// three\n";
    const file = parseClean(text);
    expect(file.comments.map((c) => [c.text, c.block, slice(text, c.span)])).toEqual([
      ["// one", false, "// one"],
      ["/* two */", true, "/* two */"],
      ["//// three", false, "//// three"],
    ]);
  });

  it("does not attach a doc comment across a blank line or an ordinary comment", () => {
    const { file, diagnostics } = parseFile("t.idl", "struct Z { z: u8; }\n/// a\n\nstruct A { a: u8; }\n/// b\n// c\nstruct B { b: u8; }");
    expect(file.declarations.map((d) => d.doc)).toEqual([null, null, null]);
    expect(diagnostics.map((d) => formatCode(d.code))).toEqual(["DK1008", "DK1008"]);
  });
});

describe("parseFile: errors", () => {
  it("reports every syntax error of a file in one run and keeps the good declarations", () => {
    const { file, diagnostics } = parseFile(
      "t.idl",
      "struct A { a: u32 }\nstruct B { b: u32; }\nconst C: u32 = ;\nenum D { X = 1 }\nstruct E { e: ; }\n",
    );
    expect(diagnostics.map((d) => [formatCode(d.code), d.location?.span.start])).toEqual([
      ["DK1006", 18],
      ["DK1006", 56],
      ["DK1006", 89],
    ]);
    expect(file.declarations.map((d) => d.name.text)).toEqual(["A", "B", "C", "D", "E"]);
  });

  it("keeps the next declaration when a body lacks its '}'", () => {
    const { file, diagnostics } = parseFile("t.idl", "interface A : user {\n    f();\nstruct B { x: u8; }\n");
    expect(diagnostics.map((d) => d.message)).toEqual([
      "expected a method, 'reserved', 'compose' or '}', found 'struct'",
    ]);
    expect(file.declarations.map((d) => d.name.text)).toEqual(["A", "B"]);
    expect((file.declarations[0] as ast.InterfaceDecl).members).toHaveLength(1);
  });

  it("keeps parsing after an import that lacks its ';'", () => {
    const { file, diagnostics } = parseFile("t.idl", 'import "a.idl"\nimport "b.idl";\nstruct S { x: u8; }');
    expect(diagnostics.map((d) => d.message)).toEqual(["expected ';', found 'import'"]);
    expect(file.imports.map((i) => i.path.value)).toEqual(["a.idl", "b.idl"]);
    expect(file.declarations.map((d) => d.name.text)).toEqual(["S"]);
  });

  it("says what a body may continue with where its '}' was expected", () => {
    const messages = (text: string) => parseFile("t.idl", text).diagnostics.map((d) => d.message);
    expect(messages("struct S { x: u8; 1 }")).toEqual(["expected a field or '}', found '1'"]);
    expect(messages("enum E { A = 1 B = 2 }")).toEqual(["expected ',' or '}', found 'B'"]);
    expect(messages("interface I : user { 1 }")).toEqual(["expected a method, 'reserved', 'compose' or '}', found '1'"]);
    expect(messages("struct S { a: array<u8 4>; }")).toEqual(["expected ',' or '>', found '4'"]);
  });

  it("reports the end of the file when it stops early", () => {
    const text = "interface I : user {\n    f(";
    const { diagnostics } = parseFile("t.idl", text);
    expect(diagnostics[0]).toMatchObject({ message: "expected ')', found end of file" });
    expect(diagnostics[0]!.location?.span).toEqual({ start: text.length, end: text.length });
  });

  it("names a control character by its code point", () => {
    const { diagnostics } = parseFile("t.idl", "struct A { a: u32;\u0007 }");
    expect(diagnostics.map((d) => d.message)).toEqual(["unexpected character U+0007"]);
  });

  it("ignores a byte-order mark", () => {
    expect(parseClean("\uFEFFconst X: u8 = 1;").declarations).toHaveLength(1);
  });

  it("parses an empty file and a comment-only file", () => {
    expect(parseClean("").declarations).toEqual([]);
    expect(parseClean("// nothing\n/* here */").comments).toHaveLength(2);
  });
});
