import { describe, expect, it } from "vitest";
import { compileText, messages } from "../compile-text.js";

function fns(source: string, iface = "I"): Record<string, number> {
  const r = compileText(source);
  expect(messages(r)).toEqual([]);
  const i = r.ir!.files.flatMap((f) => f.interfaces).find((x) => x.name === iface)!;
  return Object.fromEntries(i.methods.map((m) => [m.name, m.fn]));
}

describe("function numbers", () => {
  it("are assigned from the class base in declaration order, skipping reserved numbers", () => {
    expect(fns("interface I : system { reserved 0x1001, 0x1003; a(); b(); c(); d(); }")).toEqual({
      a: 0x1000,
      b: 0x1002,
      c: 0x1004,
      d: 0x1005,
    });
  });

  it("start at each class's base", () => {
    expect(fns("interface I : kernel { a(); }")).toEqual({ a: 0 });
    expect(fns("interface I : procmgr { a(); }")).toEqual({ a: 0x400 });
    expect(fns("interface I : user { a(); }")).toEqual({ a: 0x8000 });
  });

  it("may be explicit, in any order, using constants", () => {
    const src = "const BASE: u32 = 0x8000; interface I : user { b() = BASE + 2; a() = BASE; c() = 0x7FFFFFFF; }";
    expect(fns(src)).toEqual({ a: 0x8000, b: 0x8002, c: 0x7fffffff });
  });

  it("are refused at the edges of the range", () => {
    const r = compileText("interface I : procmgr { a() = 0x3FF; b() = 0x1000; c() = 0xFFF; }");
    expect(messages(r)).toEqual([
      "DK4003 function number 0x03FF of 'a' is outside the procmgr range 0x0400-0x0FFF",
      "DK4003 function number 0x1000 of 'b' is outside the procmgr range 0x0400-0x0FFF",
    ]);
  });

  it("report every problem of an interface in one run", () => {
    const r = compileText(
      "interface I : system { reserved 0x1002; a() = 0x1002; b() = 0x1003; c() = 0x1003; d() = 0x9000; }",
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual([4005, 4004, 4003]);
    expect(r.ir).toBeNull();
  });
});

describe("compose", () => {
  const files = {
    "main.idl": `
      interface Reader : system { read() = 0x1000; }
      interface Writer : system { write() = 0x1001; }
      interface Stream : system { compose Reader; compose Writer; flush() = 0x1002; }
      interface File : system { compose Stream; compose Reader; stat() = 0x1003; }`,
  };

  it("serves the composed methods, own methods first, each with the interface that declares it", () => {
    const r = compileText(files);
    expect(messages(r)).toEqual([]);
    const file = r.ir!.files[0]!.interfaces.find((i) => i.name === "File")!;
    expect(file.composes).toEqual(["Stream", "Reader"]);
    expect(file.methods.map((m) => `${m.declaredIn}.${m.name}=${m.fn}`)).toEqual([
      "File.stat=4099",
      "Reader.read=4096",
      "Writer.write=4097",
      "Stream.flush=4098",
    ]);
  });

  it("reports a collision brought in two levels down at the interface that joins them", () => {
    const r = compileText(`
      interface A : user { a() = 0x8000; }
      interface B : user { b() = 0x8000; }
      interface AB : user { compose A; compose B; }
      interface Top : user { compose AB; }`);
    expect(messages(r)).toEqual(["DK4010 function number 0x8000 of 'B.b' collides with 'A.a' in 'AB'"]);
    expect(r.diagnostics[0]!.notes.map((n) => n.message)).toEqual(["'B.b' is declared here", "'A.a' is declared here"]);
  });

  it("reports a self-composition as a cycle", () => {
    expect(messages(compileText("interface I : user { compose I; a(); }"))).toEqual(["DK4011 compose cycle: I -> I"]);
  });
});
