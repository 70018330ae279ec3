import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/compile.js";
import { compileText, messages } from "../compile-text.js";

describe("imports", () => {
  it("resolve relative to the importing file and list files after their imports", () => {
    const r = compileText(
      {
        "api/main.idl":
          'import "types/point.idl"; import "../common.idl"; struct Box { a: Point; b: Point; tag: Tag; }',
        "api/types/point.idl": 'import "../../common.idl"; struct Point { x: i32; y: i32; tag: Tag; }',
        "common.idl": "enum Tag : u8 { A = 1 }",
      },
      "api/main.idl",
    );
    expect(messages(r)).toEqual([]);
    expect(r.ir!.files.map((f) => [f.path, f.imports])).toEqual([
      ["common.idl", []],
      ["api/types/point.idl", ["common.idl"]],
      ["api/main.idl", ["api/types/point.idl", "common.idl"]],
    ]);
    expect(r.ir!.files[2]!.structs[0]!.location).toBe("api/main.idl:1:58");
  });

  it("make names visible across the closure and refuse duplicates with a note at the other file", () => {
    const r = compileText({ "main.idl": 'import "a.idl";\nconst X: u32 = 2;', "a.idl": "const X: u32 = 1;" });
    expect(messages(r)).toEqual(["DK2003 'X' is declared more than once"]);
    const d = r.diagnostics[0]!;
    expect(d.location).toMatchObject({ file: "main.idl", span: { start: 22 } });
    expect(d.notes[0]!.location).toMatchObject({ file: "a.idl", span: { start: 6 } });
  });

  it("report a missing import at the import, and check no names (they would cascade)", () => {
    const r = compileText('import "gone.idl";\nstruct S { a: Nope; }');
    expect(messages(r)).toEqual(["DK2001 cannot find file 'gone.idl'"]);
    expect(r.diagnostics[0]!.location).toMatchObject({ file: "main.idl", span: { start: 7, end: 17 } });
  });

  it("report a missing entry file without a location", () => {
    const r = compileText({}, "absent.idl");
    expect(messages(r)).toEqual(["DK2001 cannot find file 'absent.idl'"]);
    expect(r.diagnostics[0]!.location).toBeNull();
  });

  it("stop after syntax errors, so later phases never see a broken tree", () => {
    const r = compileText("struct S { a: Nope }");
    expect(r.diagnostics.every((d) => d.code < 2000)).toBe(true);
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });

  it("keep warnings and still produce the IR", () => {
    const r = compileText("@shiny\nstruct S { a: u8; }");
    expect(messages(r)).toEqual(["DK2013 unknown attribute '@shiny' is ignored"]);
    expect(r.ir).not.toBeNull();
  });
});

describe("entry paths", () => {
  it("are normalized, so one file named two ways is loaded once", () => {
    const files: Record<string, string> = {
      "idl/a.idl": 'import "b.idl"; struct A { b: B; }',
      "idl/b.idl": "struct B { x: u8; }",
    };
    const r = compile(["./idl/a.idl", "idl/./b.idl", "idl/../idl/a.idl"], { readFile: (p) => files[p] });
    expect(r.diagnostics).toEqual([]);
    expect(r.ir!.files.map((f) => f.path)).toEqual(["b.idl", "a.idl"]);
  });
});
