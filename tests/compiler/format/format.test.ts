import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatText } from "../../../compiler/format/format.js";

function format(text: string): string {
  const result = formatText("t.idl", text);
  if (result.kind !== "formatted") throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.text;
}

/** Formats, and checks that formatting the result changes nothing. */
function formatStable(text: string): string {
  const once = format(text);
  expect(format(once)).toBe(once);
  return once;
}

const lines = (...l: string[]) => `${l.join("\n")}\n`;

describe("formatFile: layout", () => {
  it("spaces and indents every form canonically", () => {
    expect(
      formatStable(
        'import   "types.idl"  ;const MAX:u32=0x10;enum M:u8{A=1,B=0b10}bits F{X=1,}struct S{a:u64;b:array<u8,MAX>;}' +
          "interface I:user{f(a:u32,b:desc<door,send|receive>)->(c:S)=0x8000;g()->();reserved 1,2;compose J;}",
      ),
    ).toBe(
      lines(
        'import "types.idl";',
        "",
        "const MAX: u32 = 0x10;",
        "",
        "enum M : u8 {",
        "    A = 1,",
        "    B = 0b10,",
        "}",
        "",
        "bits F {",
        "    X = 1,",
        "}",
        "",
        "struct S {",
        "    a: u64;",
        "    b: array<u8, MAX>;",
        "}",
        "",
        "interface I : user {",
        "    f(a: u32, b: desc<door, send | receive>) -> (c: S) = 0x8000;",
        "    g() -> ();",
        "    reserved 1, 2;",
        "    compose J;",
        "}",
      ),
    );
  });

  it("keeps literals as written and parentheses where written", () => {
    expect(formatStable("const X: i64 = -0x1_F + ((1 << 2)) * A.B;")).toBe(
      lines("const X: i64 = -0x1_F + ((1 << 2)) * A.B;"),
    );
    expect(formatStable('const S: string<8> = "a\\"\\u{41}";')).toBe(lines('const S: string<8> = "a\\"\\u{41}";'));
  });

  it("puts attributes on their own lines, and parameter attributes inline", () => {
    expect(formatStable("@a @b(1) struct S { @c x: u8; } interface I : user { @trap f(@d p: u8); }")).toBe(
      lines(
        "@a",
        "@b(1)",
        "struct S {",
        "    @c",
        "    x: u8;",
        "}",
        "",
        "interface I : user {",
        "    @trap",
        "    f(@d p: u8);",
        "}",
      ),
    );
  });

  it("keeps imports together and at most one blank line between members", () => {
    expect(
      formatStable('import "a.idl";\n\n\n\nimport "b.idl";\nimport "c.idl";\nstruct S {\n\n    a: u8;\n\n\n\n    b: u8;\n    c: u8;\n\n}\n'),
    ).toBe(lines('import "a.idl";', "", 'import "b.idl";', 'import "c.idl";', "", "struct S {", "    a: u8;", "", "    b: u8;", "    c: u8;", "}"));
  });

  it("lets consecutive consts stay together, and sets other declarations apart", () => {
    expect(formatStable("const A: u8 = 1;\nconst B: u8 = 2;\n\n\nconst C: u8 = 3;\nstruct S { x: u8; }\nconst D: u8 = 4;")).toBe(
      lines("const A: u8 = 1;", "const B: u8 = 2;", "", "const C: u8 = 3;", "", "struct S {", "    x: u8;", "}", "", "const D: u8 = 4;"),
    );
  });

  it("prints empty bodies on one line and an empty file as nothing", () => {
    expect(formatStable("struct S {\n}\ninterface I : user {   }")).toBe(lines("struct S {}", "", "interface I : user {}"));
    expect(formatStable("\n\n")).toBe("");
  });
});

describe("formatFile: comments", () => {
  it("keeps doc comments on their nodes, normalized to '/// text'", () => {
    expect(formatStable("///A.\n///\n///   B.\nstruct S {\n  ///x\n  x: u8;\n}")).toBe(
      lines("/// A.", "///", "///   B.", "struct S {", "    /// x", "    x: u8;", "}"),
    );
  });

  it("keeps leading, trailing and closing comments in place", () => {
    const text = lines(
      "// file",
      'import "a.idl"; // why a',
      "",
      "/* block */",
      "struct S { // opens",
      "    // about x",
      "    x: u8; // x",
      "",
      "    // last",
      "} // closes",
      "// end",
    );
    expect(formatStable(text)).toBe(
      lines(
        "// file",
        'import "a.idl"; // why a',
        "",
        "/* block */",
        "struct S { // opens",
        "    // about x",
        "    x: u8; // x",
        "",
        "    // last",
        "} // closes",
        "",
        "// end",
      ),
    );
  });

  it("breaks a parameter list whose parameters carry comments, one parameter a line", () => {
    const text = "interface I : user {\n    f(a: u8, /* b */ b: u8, /// c\n c: u8) -> (r: u8) = 0x8000;\n}";
    expect(formatStable(text)).toBe(
      lines(
        "interface I : user {",
        "    f(",
        "        a: u8, /* b */",
        "        b: u8,",
        "        /// c",
        "        c: u8,",
        "    ) -> (r: u8) = 0x8000;",
        "}",
      ),
    );
  });

  it("moves a comment from inside a one-line construct to the line before it", () => {
    expect(formatStable("const X: /* t */ u32 = 1;\ninterface I : user { f() /* n */ = 0x8000; }")).toBe(
      lines("/* t */", "const X: u32 = 1;", "", "interface I : user {", "    /* n */", "    f() = 0x8000;", "}"),
    );
  });

  it("keeps a loose doc comment loose", () => {
    expect(formatStable("struct S {\n  @a\n  /// loose\n  x: u8;\n}")).toBe(
      lines("struct S {", "    /// loose", "", "    @a", "    x: u8;", "}"),
    );
  });

  it("keeps multi-line block comments verbatim", () => {
    const text = lines("/* one", "   two */", "struct S {", "    /**", "     * x", "     */", "    x: u8;", "}");
    expect(formatStable(text)).toBe(text);
  });
});

describe("formatText", () => {
  it("refuses a file with syntax errors and returns them", () => {
    const result = formatText("t.idl", "struct S { x: u8 }");
    expect(result.kind).toBe("syntax-errors");
    if (result.kind === "syntax-errors") expect(result.diagnostics.map((d) => d.code)).toEqual([1006]);
  });

  it("formats despite warnings", () => {
    expect(formatText("t.idl", "struct S { x: u8; /// loose\n}").kind).toBe("formatted");
  });

  it("leaves the project's own IDL as it is", () => {
    const dir = fileURLToPath(new URL("../../../idl/", import.meta.url));
    for (const name of readdirSync(dir).filter((f) => f.endsWith(".idl"))) {
      const text = readFileSync(dir + name, "utf8");
      expect(format(text), name).toBe(text);
    }
  });
});
