import { describe, expect, it } from "vitest";
import { compileText, messages } from "../compile-text.js";

const chain = {
  constants: (n: number) =>
    Array.from({ length: n }, (_, i) => `const C${i}: u32 = ${i + 1 < n ? `C${i + 1} + 1` : "0"};`).join("\n"),
  structs: (n: number) =>
    Array.from({ length: n }, (_, i) => `struct S${i} { ${i + 1 < n ? `s: S${i + 1};` : "x: u8;"} }`).join("\n"),
  compositions: (n: number) =>
    Array.from(
      { length: n },
      (_, i) => `interface I${i} : user { ${i + 1 < n ? `compose I${i + 1};` : ""} m${i}() = ${0x8000 + i}; }`,
    ).join("\n"),
};

describe("definitions through one another", () => {
  for (const [what, make] of Object.entries(chain)) {
    it(`allow ${what} 64 deep and refuse 65, reported once`, () => {
      expect(messages(compileText(make(64)))).toEqual([]);
      expect(messages(compileText(make(65)))).toEqual([
        `DK3026 ${what} are defined through one another more than 64 levels deep here`,
      ]);
    });

    it(`give a diagnostic, not a stack overflow, for ${what} 2,000 deep`, () => {
      expect(messages(compileText(make(2000)))).toEqual([
        `DK3026 ${what} are defined through one another more than 64 levels deep here`,
      ]);
    });
  }
});

describe("constant expressions naming deep constants", () => {
  const deep = (n: number, ops: number) =>
    Array.from(
      { length: n },
      (_, i) => `const C${i}: u64 = ${i + 1 < n ? `C${i + 1}` : "0"}${" + 1".repeat(ops)};`,
    ).join("\n");

  it("evaluate up to 1,500 levels in all", () => {
    const r = compileText(deep(2, 700));
    expect(messages(r)).toEqual([]);
    expect(r.ir!.files[0]!.consts[0]!.value).toBe(1400);
  });

  it("give a diagnostic, not a stack overflow, beyond", () => {
    expect(messages(compileText(deep(60, 999)))).toEqual([
      "DK3026 constant expressions are defined through one another more than 1500 levels deep here",
    ]);
  });
});

describe("import chains", () => {
  const files = (n: number) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `f${i}.idl`,
        `${i + 1 < n ? `import "f${i + 1}.idl";` : ""} const K${i}: u32 = ${i};`,
      ]),
    );

  it("may be 64 files deep, not 65", () => {
    expect(messages(compileText(files(64), "f0.idl"))).toEqual([]);
    expect(messages(compileText(files(65), "f0.idl"))).toEqual([
      "DK3026 imports are defined through one another more than 64 levels deep here",
    ]);
  });

  it("give a diagnostic, not a stack overflow, 3,000 files deep", () => {
    expect(messages(compileText(files(3000), "f0.idl"))).toEqual([
      "DK3026 imports are defined through one another more than 64 levels deep here",
    ]);
  });
});
