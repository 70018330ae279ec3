/**
 * The front end maps IDL text to the layout the layout phase computes for the
 * equivalent model (which gcc.test.ts checks against gcc -m32): random
 * programs are written as IDL, compiled, and every struct and message of the
 * IR compared with TypeLayouter and layoutMethod on the model.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Enum, Model, Type } from "../../../compiler/check/model.js";
import { layoutMethod, TypeLayouter } from "../../../compiler/layout/index.js";
import { compileText } from "../compile-text.js";
import { programWithMessages, type RandomMessage } from "./gcc-structs.js";

function idlType(t: Type): string {
  switch (t.kind) {
    case "primitive":
    case "enum":
    case "struct":
      return t.name;
    case "array":
      return `array<${idlType(t.element)}, ${t.length}>`;
    case "vector":
      return `vector<${idlType(t.element)}, ${t.maxLength}>`;
    case "string":
    case "bytes":
      return `${t.kind}<${t.maxLength}>`;
    case "desc":
      return t.rights.length === 0 ? `desc<${t.objectKind}>` : `desc<${t.objectKind}, ${t.rights.join(" | ")}>`;
    case "lease":
      return `lease<${t.access}>`;
  }
}

/** A lease cannot be in a reply; a descriptor takes the same place. */
function replySafe(m: RandomMessage): RandomMessage {
  if (!m.reply) return m;
  return {
    ...m,
    params: m.params.map((p) =>
      p.type.kind === "lease" ? { ...p, type: { kind: "desc", objectKind: "any", rights: [] } } : p,
    ),
  };
}

/** Whether a variable-size struct is used as an array element, which the language refuses (DK3005). */
function hasVariableElement(model: Model, messages: readonly RandomMessage[]): boolean {
  const types = new TypeLayouter(model);
  const bad = (t: Type): boolean =>
    (t.kind === "array" || t.kind === "vector") && (types.isVariable(t.element) || bad(t.element));
  const fields = [...model.declarations.values()].flatMap((d) => (d.kind === "struct" ? d.fields : []));
  return [...fields, ...messages.flatMap((m) => m.params)].some((f) => bad(f.type));
}

function idlOf(model: Model, messages: readonly RandomMessage[]): string {
  const out: string[] = [];
  for (const d of model.declarations.values()) {
    if (d.kind === "enum") out.push(`enum ${d.name} : ${(d as Enum).base} { A = 0 }`);
    if (d.kind === "struct")
      out.push(`struct ${d.name} { ${d.fields.map((f) => `${f.name}: ${idlType(f.type)};`).join(" ")} }`);
  }
  const methods = messages.map((m, k) => {
    const params = m.params.map((p) => `${p.name}: ${idlType(p.type)}`).join(", ");
    return m.reply ? `m${k}() -> (${params});` : `m${k}(${params});`;
  });
  out.push(`interface I : user { ${methods.join(" ")} }`);
  return out.join("\n");
}

describe("IDL text and model agree on the layout", () => {
  it("for random structs and messages", () => {
    fc.assert(
      fc.property(programWithMessages, ({ model, messages }) => {
        fc.pre(!hasVariableElement(model, messages));
        const safe = messages.map(replySafe);
        const r = compileText(idlOf(model, safe));
        expect(r.diagnostics).toEqual([]);
        const ir = r.ir!.files[0]!;
        const types = new TypeLayouter(model);
        for (const s of ir.structs) {
          const l = types.struct(s.name);
          expect({ size: s.size, align: s.align, offsets: s.fields.map((f) => f.offset) }).toEqual({
            size: l.size,
            align: l.align,
            offsets: l.offsets,
          });
        }
        const methods = ir.interfaces[0]!.methods;
        safe.forEach((m, k) => {
          const l = m.reply ? layoutMethod([], m.params, types).reply : layoutMethod(m.params, [], types).request;
          const got = m.reply ? methods[k]!.reply : methods[k]!.request;
          expect(got).toMatchObject({
            fixedSize: l.fixedSize,
            maxDataSize: l.maxDataSize,
            descriptors: l.descriptors,
            totalSize: l.totalSize,
          });
          expect(
            got.params.map((p) =>
              p.place === "data" ? { place: "data", offset: p.offset } : { place: "descriptor", index: p.index },
            ),
          ).toEqual(l.places);
        });
      }),
      { numRuns: 80 },
    );
  });
});
