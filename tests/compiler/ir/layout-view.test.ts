import { describe, expect, it } from "vitest";
import { layoutJson, layoutText, typeText } from "../../../compiler/ir/layout-view.js";
import { compileText } from "../compile-text.js";

const ir = compileText(`
  struct Fixed { a: u8; b: u32; }
  struct Var { name: string<8>; }
  interface I : user {
    mix(f: Fixed, v: Var, d: desc<thread, dup>, t: bool) -> (out: bytes<5>);
  }`).ir!;

describe("layout views", () => {
  it("name only the variable-size parameters in the contents row", () => {
    const text = layoutText(ir);
    expect(text).toContain("contents of v, up to 8");
    expect(text).toContain("contents of out, up to 5");
  });

  it("draw padding, descriptors after align4(data), and the end offset", () => {
    const text = layoutText(ir);
    expect(text).toContain("     1 | (padding, 3)");
    expect(text).toContain("  request: fixed 16, max data 24, 1 descriptor, total 28");
    expect(text).toContain("    24 | descriptor 0: d: desc<thread, dup>");
    expect(text).toContain("    13 | (padding, 3)");
    expect(text).toContain("    17 | (padding to 4)");
  });

  it("spell types as the IDL does", () => {
    const m = ir.files[0]!.interfaces[0]!.methods[0]!;
    expect(m.request.params.map((p) => typeText(p.type))).toEqual(["Fixed", "Var", "desc<thread, dup>", "bool"]);
  });

  it("give data parameters offsets and sizes, and descriptors indexes, in JSON", () => {
    const j = layoutJson(ir);
    expect(j.methods[0]!.request.params).toEqual([
      { name: "f", place: "data", offset: 0, size: 8 },
      { name: "v", place: "data", offset: 8, size: 4 },
      { name: "d", place: "descriptor", index: 0 },
      { name: "t", place: "data", offset: 12, size: 1 },
    ]);
  });
});
