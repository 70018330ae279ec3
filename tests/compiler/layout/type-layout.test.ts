import { describe, expect, it } from "vitest";
import type { DataType, Declaration, Field, Model, PrimitiveName } from "../../../compiler/check/model.js";
import { layoutMethod, layoutSequence, TypeLayouter } from "../../../compiler/layout/index.js";

const loc = { file: "t.idl", span: { start: 0, end: 0 } };
const p = (name: PrimitiveName): DataType => ({ kind: "primitive", name });
const field = (name: string, type: Field["type"]): Field => ({ name, doc: [], location: loc, type });

function modelOf(...decls: Declaration[]): Model {
  return { files: [], declarations: new Map(decls.map((d) => [d.name, d])) };
}

function struct(name: string, ...fields: [string, DataType][]): Declaration {
  return {
    kind: "struct",
    name,
    doc: [],
    location: loc,
    fields: fields.map(([n, t]) => ({ ...field(n, t), type: t })),
  };
}

describe("layoutSequence", () => {
  it("aligns each member and rounds the size up to the largest alignment", () => {
    expect(
      layoutSequence([
        { size: 1, align: 1 },
        { size: 4, align: 4 },
        { size: 2, align: 2 },
      ]),
    ).toEqual({
      offsets: [0, 4, 8],
      size: 12,
      align: 4,
    });
  });

  it("gives an empty sequence size 0 and alignment 1", () => {
    expect(layoutSequence([])).toEqual({ offsets: [], size: 0, align: 1 });
  });
});

describe("TypeLayouter (i386 System V)", () => {
  it("aligns 64-bit members to 4 inside structs, as gcc -m32 does", () => {
    const m = modelOf(struct("S", ["a", p("u8")], ["b", p("u64")], ["c", p("f64")], ["d", p("u16")]));
    const s = new TypeLayouter(m).struct("S");
    expect(s.offsets).toEqual([0, 4, 12, 20]);
    expect(s.size).toBe(24);
    expect(s.align).toBe(4);
  });

  it("lays out the IDL reference's Stat example: u64, u32, array<u8, 16>", () => {
    const m = modelOf(
      struct("Stat", ["size", p("u64")], ["mode", p("u32")], ["tag", { kind: "array", element: p("u8"), length: 16 }]),
    );
    const s = new TypeLayouter(m).struct("Stat");
    expect(s.offsets).toEqual([0, 8, 12]);
    expect(s.size).toBe(28);
  });

  it("takes an enum's size from its base", () => {
    const e: Declaration = { kind: "enum", name: "E", doc: [], location: loc, base: "u16", flags: false, members: [] };
    const m = modelOf(e, struct("S", ["a", p("u8")], ["e", { kind: "enum", name: "E" }]));
    expect(new TypeLayouter(m).struct("S")).toMatchObject({ offsets: [0, 2], size: 4, align: 2 });
  });

  it("gives variable-size types a 4-byte slot aligned to 2 and counts their contents", () => {
    const m = modelOf(
      struct(
        "V",
        ["flag", p("bool")],
        ["name", { kind: "string", maxLength: 10 }],
        ["items", { kind: "vector", element: p("u64"), maxLength: 3 }],
      ),
      struct("Outer", ["v", { kind: "struct", name: "V" }], ["raw", { kind: "bytes", maxLength: 5 }]),
    );
    const t = new TypeLayouter(m);
    expect(t.struct("V")).toEqual({
      offsets: [0, 2, 6],
      size: 10,
      align: 2,
      variable: true,
      maxOutOfLine: 10 + 24 + 3,
    });
    expect(t.struct("Outer")).toMatchObject({ offsets: [0, 10], size: 14, variable: true, maxOutOfLine: 37 + 5 });
  });

  it("refuses a struct that contains itself, which the check phase must have reported", () => {
    const m = modelOf(struct("R", ["r", { kind: "struct", name: "R" }]));
    expect(() => new TypeLayouter(m).struct("R")).toThrow(/contains itself/);
  });
});

describe("layoutMethod", () => {
  const t = new TypeLayouter(modelOf());

  it("starts the reply with retval and errno, out-parameters from offset 8", () => {
    const l = layoutMethod([], [field("count", p("u32")), field("big", p("u64"))], t);
    expect(l.request).toEqual({ places: [], fixedSize: 0, maxDataSize: 0, descriptors: 0, totalSize: 0 });
    expect(l.reply.places).toEqual([
      { place: "data", offset: 8 },
      { place: "data", offset: 12 },
    ]);
    expect(l.reply.fixedSize).toBe(20);
    expect(l.bufferSize).toBe(20);
  });

  it("puts descriptors and leases in the descriptor area, in parameter order, after align4(data)", () => {
    const l = layoutMethod(
      [
        field("file", { kind: "desc", objectKind: "door", rights: [] }),
        field("mode", p("u8")),
        field("buf", { kind: "lease", access: "write" }),
        field("path", { kind: "string", maxLength: 9 }),
      ],
      [],
      t,
    );
    expect(l.request.places).toEqual([
      { place: "descriptor", index: 0 },
      { place: "data", offset: 0 },
      { place: "descriptor", index: 1 },
      { place: "data", offset: 2 },
    ]);
    expect(l.request).toMatchObject({ fixedSize: 6, maxDataSize: 15, descriptors: 2, totalSize: 16 + 8 });
    expect(l.reply).toMatchObject({ fixedSize: 8, maxDataSize: 8, descriptors: 0, totalSize: 8 });
    expect(l.bufferSize).toBe(24);
  });

  it("bounds vector contents with the element alignment's padding", () => {
    const l = layoutMethod([field("v", { kind: "vector", element: p("u32"), maxLength: 4 })], [], t);
    expect(l.request).toMatchObject({ fixedSize: 4, maxDataSize: 4 + 16 + 3, totalSize: 24 });
  });
});
