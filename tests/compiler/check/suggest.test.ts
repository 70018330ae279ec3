import { describe, expect, it } from "vitest";
import { closest } from "../../../compiler/check/suggest.js";
import { compileText } from "../compile-text.js";

describe("closest", () => {
  it("finds a typo: a missing, extra, wrong or swapped letter, or another case", () => {
    const names = ["Stat", "OpenMode", "MAX_PATH", "u32"];
    expect(closest("Stta", names)).toBe("Stat");
    expect(closest("OpenMod", names)).toBe("OpenMode");
    expect(closest("MAX_PAHT", names)).toBe("MAX_PATH");
    expect(closest("U32", names)).toBe("u32");
  });

  it("suggests nothing far off, or the name itself", () => {
    expect(closest("Directory", ["Stat", "OpenMode"])).toBeNull();
    expect(closest("Stat", ["Stat"])).toBeNull();
  });
});

describe("unknown names come with a suggestion", () => {
  const notes = (source: string) => compileText(source).diagnostics.map((d) => [d.code, d.notes.map((n) => n.message)]);

  it("for types, constants, enum members, interfaces and range classes", () => {
    expect(notes("struct Stat { a: u8; } struct B { s: Stta; n: u3; }")).toEqual([
      [2005, ["did you mean 'Stat'?"]],
      [2005, ["did you mean 'u8'?"]],
    ]);
    expect(notes("const LIMIT: u32 = 4; enum M { READ = 1 } const A: u32 = LIMT + M.RAED;")).toEqual([
      [2006, ["did you mean 'LIMIT'?"]],
      [2007, ["did you mean 'READ'?"]],
    ]);
    expect(notes("interface Reader : sytem { compose Readr; }")).toEqual([
      [2010, ["did you mean 'Reader'?"]],
      [4001, ["did you mean 'system'?"]],
    ]);
    expect(notes("interface Reader : user {} interface W : user { compose Readr; }")).toEqual([
      [2010, ["did you mean 'Reader'?"]],
    ]);
  });
});
