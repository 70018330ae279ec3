/** The back end's text helpers: Prettier-compatible breaking, quoting and names. */
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { fitList, quote, wrapLine } from "../../../compiler/backends/typescript/format.js";
import { localName, pascal, relativeSpecifier, screaming } from "../../../compiler/backends/typescript/names.js";

async function prettierSays(code: string): Promise<string> {
  return prettier.format(code, { parser: "typescript" });
}

describe("TypeScript back end helpers", () => {
  it("quote as Prettier does", async () => {
    for (const text of ["plain", "it's", 'say "hi"', `both ' and "" `, "tab\there", "é\u{1F600}"]) {
      const code = `x(${quote(text)});\n`;
      expect(await prettierSays(code)).toBe(code);
      expect(eval(quote(text))).toBe(text);
    }
  });

  it("wrapLine breaks calls that are too wide as Prettier does, recursively", async () => {
    const lines = [
      "  view.setUint32(at + 12, rt.u32(v.security_type, \"DescInfo.security_type\"), true);",
      "  const p0 = rt.openVector(f, at + 4, a0.length, 8, 2, 2, \"SomeVeryLongStruct.someVeryLongField\");",
      "  return rt.replied(encodeAVeryLongInterfaceNameAndMethodReply(call.frame, reply ?? {}), 0);",
      "  short(1, 2);",
    ];
    for (const line of lines) {
      const code = `function f() {\n${wrapLine(line).join("\n")}\n}\n`;
      expect(await prettierSays(code)).toBe(code);
    }
  });

  it("fitList keeps a list on one line when it fits and breaks it with trailing commas otherwise", () => {
    expect(fitList("", "f", ["a", "b"], ";")).toEqual(["f(a, b);"]);
    const args = ["argumentNumberOne", "argumentNumberTwo", "argumentNumberThree", "fourthArgument"];
    expect(fitList("  ", "someFunction", args, ";")).toEqual([
      "  someFunction(",
      "    argumentNumberOne,",
      "    argumentNumberTwo,",
      "    argumentNumberThree,",
      "    fourthArgument,",
      "  );",
    ]);
  });

  it("derive names", () => {
    expect([pascal("ipc_create"), pascal("ping"), pascal("a__b_")]).toEqual(["IpcCreate", "Ping", "AB"]);
    expect([screaming("Kernel"), screaming("ProcmgrEvents"), screaming("HTTPServer")]).toEqual([
      "KERNEL",
      "PROCMGR_EVENTS",
      "HTTP_SERVER",
    ]);
    expect([localName("class"), localName("view"), localName("a0"), localName("name")]).toEqual([
      "class_",
      "view_",
      "a0_",
      "name",
    ]);
  });

  it("relativeSpecifier joins generated modules across directories", () => {
    expect(relativeSpecifier("kernel.ts", "types.ts")).toBe("./types.js");
    expect(relativeSpecifier("app/draw.ts", "lib/geometry.ts")).toBe("../lib/geometry.js");
    expect(relativeSpecifier("a.ts", "sub/b.ts")).toBe("./sub/b.js");
    expect(relativeSpecifier("x/y/z.ts", "x/w.ts")).toBe("../w.js");
  });
});
