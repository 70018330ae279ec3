import { describe, expect, it } from "vitest";
import { renderJson, renderText, toJson } from "../../../compiler/diagnostics/render.js";
import { SourceText } from "../../../compiler/diagnostics/source-text.js";
import { defineError, defineWarning, withNote } from "../../../compiler/diagnostics/diagnostic.js";

const ErrSample = defineError<[name: string]>(9901, "ErrSample", "unknown type '{0}'");
const WarnSample = defineWarning<[]>(9902, "WarnSample", "something odd");

const text = "struct A {\n    a: Foo;\n}\n\nstruct Foo2 { x: u8; }\n";
const sources = new Map([["a.idl", text]]);
const at = (start: number, end: number) => ({ file: "a.idl", span: { start, end } });
const foo = text.indexOf("Foo;");
const foo2 = text.indexOf("Foo2");

describe("SourceText", () => {
  it("maps offsets to 1-based lines and columns, for every line ending", () => {
    const s = new SourceText("ab\ncd\r\nef\rg");
    expect([0, 2, 3, 5, 7, 10, 11, 99].map((o) => s.position(o))).toEqual([
      { line: 1, col: 1 },
      { line: 1, col: 3 },
      { line: 2, col: 1 },
      { line: 2, col: 3 },
      { line: 3, col: 1 },
      { line: 4, col: 1 },
      { line: 4, col: 2 },
      { line: 4, col: 2 },
    ]);
    expect([1, 2, 3, 4].map((l) => s.lineText(l))).toEqual(["ab", "cd", "ef", "g"]);
  });
});

describe("renderText", () => {
  it("prints the location, severity, code, message and a frame with the span underlined", () => {
    const start = text.indexOf("Foo");
    expect(renderText([ErrSample(at(start, start + 3), "Foo")], sources, { color: false })).toBe(
      "a.idl:2:8: error[DK9901]: unknown type 'Foo'\n" +
        "  |\n" +
        "2 |     a: Foo;\n" +
        "  |        ^~~\n",
    );
  });

  it("prints notes with their own location and frame, and warnings as warnings", () => {
    const d = withNote(ErrSample(at(foo, foo + 3), "Foo"), "a similar name is declared here", at(foo2, foo2 + 4));
    const out = renderText([d, WarnSample(null)], sources, { color: false });
    expect(out).toBe(
      "a.idl:2:8: error[DK9901]: unknown type 'Foo'\n" +
        "  |\n" +
        "2 |     a: Foo;\n" +
        "  |        ^~~\n" +
        "a.idl:5:8: note: a similar name is declared here\n" +
        "  |\n" +
        "5 | struct Foo2 { x: u8; }\n" +
        "  |        ^~~~\n" +
        "\n" +
        "warning[DK9902]: something odd\n",
    );
  });

  it("underlines a multi-line span to the end of its first line, and an empty span with one caret", () => {
    const out = renderText([ErrSample(at(0, text.length), "x"), ErrSample(at(text.length, text.length), "y")], sources, {
      color: false,
    });
    expect(out).toContain("1 | struct A {\n  | ^~~~~~~~~~\n");
    expect(out).toContain("a.idl:6:1: error[DK9901]: unknown type 'y'\n  |\n6 |\n  | ^\n");
  });

  it("widens the gutter for long line numbers and expands tabs", () => {
    const long = `${"\n".repeat(11)}\tstruct`;
    const out = renderText([ErrSample({ file: "b.idl", span: { start: 12, end: 18 } }, "x")], new Map([["b.idl", long]]), {
      color: false,
    });
    expect(out).toBe("b.idl:12:2: error[DK9901]: unknown type 'x'\n   |\n12 |     struct\n   |     ^~~~~~\n");
  });

  it("cuts a very long line to a window around the span", () => {
    const long = `const X: u32 = ${"1 + ".repeat(100)}oops;`;
    const at = long.indexOf("oops");
    const out = renderText([ErrSample({ file: "c.idl", span: { start: at, end: at + 4 } }, "x")], new Map([["c.idl", long]]), {
      color: false,
    });
    const [, , code, marker] = out.split("\n");
    expect(code).toBe(`1 | ...${long.slice(at - 60)}`);
    expect(marker!.indexOf("^")).toBe(code!.indexOf("oops"));
    expect(marker!.slice(marker!.indexOf("^"))).toBe("^~~~");
  });

  it("colours only when asked", () => {
    const d = [ErrSample(at(foo, foo + 3), "Foo")];
    expect(renderText(d, sources, { color: true })).toContain("\x1b[1;31merror\x1b[0m");
    expect(renderText(d, sources, { color: false })).not.toContain("\x1b[");
  });

  it("still prints a diagnostic whose file text is unknown", () => {
    expect(renderText([ErrSample(at(1, 2), "Foo")], new Map(), { color: false })).toBe(
      "a.idl: error[DK9901]: unknown type 'Foo'\n",
    );
  });
});

describe("renderJson", () => {
  it("gives code, name, severity, message, start and end positions and notes", () => {
    const d = withNote(ErrSample(at(foo, foo + 3), "Foo"), "declared here", at(foo2, foo2 + 4));
    expect(toJson([d], sources)).toEqual([
      {
        code: "DK9901",
        name: "ErrSample",
        severity: "error",
        message: "unknown type 'Foo'",
        path: "a.idl",
        startLine: 2,
        startCol: 8,
        endLine: 2,
        endCol: 11,
        notes: [{ message: "declared here", path: "a.idl", startLine: 5, startCol: 8, endLine: 5, endCol: 12 }],
      },
    ]);
    expect(JSON.parse(renderJson([d, WarnSample(null)], sources))).toMatchObject([
      { code: "DK9901" },
      { code: "DK9902", severity: "warning", path: null, startLine: null },
    ]);
  });
});
