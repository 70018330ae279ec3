import { describe, expect, it } from "vitest";
import { compileText, messages } from "../compile-text.js";

describe("message and type limits", () => {
  it("accept a buffer of 4092 bytes and refuse one whose align4 total is 4096", () => {
    const ok = compileText("interface I : user { f(b: bytes<4088>); }");
    expect(messages(ok)).toEqual([]);
    expect(ok.ir!.files[0]!.interfaces[0]!.methods[0]!.bufferSize).toBe(4092);
    expect(messages(compileText("interface I : user { f(b: bytes<4089>); }"))).toEqual([
      "DK5001 method 'I.f' needs 4096 bytes for its request and 8 for its reply; a message buffer holds at most 4095",
    ]);
  });

  it("count descriptors in the total", () => {
    const r = compileText("interface I : user { f(b: bytes<4084>, d: desc<any>); g(b: bytes<4085>, d: desc<any>); }");
    expect(messages(r)).toEqual([
      "DK5001 method 'I.g' needs 4096 bytes for its request and 8 for its reply; a message buffer holds at most 4095",
    ]);
  });

  it("refuse the reply too, and accept 255 descriptors but not 256", () => {
    expect(messages(compileText("interface I : user { f() -> (b: bytes<4081>); }"))).toEqual([
      "DK5001 method 'I.f' needs 0 bytes for its request and 4096 for its reply; a message buffer holds at most 4095",
    ]);
    const params = (n: number) => Array.from({ length: n }, (_, i) => `d${i}: desc<any>`).join(", ");
    expect(messages(compileText(`interface I : user { f(${params(255)}); }`))).toEqual([]);
    expect(messages(compileText(`interface I : user { f(${params(256)}); }`))).toEqual([
      "DK5003 the request of 'I.f' carries 256 descriptors; at most 255 fit in msgDescN",
    ]);
  });

  it("refuse a type over 65535 bytes, without printing an inexact size", () => {
    const deep = "array<array<array<array<array<u8, 65535>, 65535>, 65535>, 65535>, 65535>";
    expect(messages(compileText(`struct S { a: ${deep}; }`))).toEqual([
      "DK5002 'S' takes more than 9007199254740991 bytes; a type may take at most 65535",
    ]);
    expect(messages(compileText(`interface I : user { f(a: array<u32, 16384>); }`))).toEqual([
      "DK5002 'a' takes 65536 bytes; a type may take at most 65535",
    ]);
  });

  it("do not apply to @trap methods, which carry no message", () => {
    expect(messages(compileText("interface K : kernel { @trap t() = 1; }"))).toEqual([]);
  });
});
