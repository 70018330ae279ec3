/**
 * Random structs and messages (fast-check) and their C equivalent with
 * `_Static_assert`s on sizeof, _Alignof and offsetof (a message's data is the
 * C struct of its data parameters, after retval and errno in a reply), for
 * checking the layout against `gcc -m32` (gcc.test.ts, fuzz/compile.fuzz.ts).
 * Only built-in C types and <stddef.h> are used, so no 32-bit multilib
 * headers are needed.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import {
  type DataType,
  type Declaration,
  type Enum,
  type Field,
  type IntName,
  INT_NAMES,
  isDataType,
  type Model,
  PRIMITIVE_NAMES,
  type PrimitiveName,
  type Struct,
  type Type,
} from "../../../compiler/check/model.js";
import { layoutMethod, TypeLayouter } from "../../../compiler/layout/index.js";

const GCC = ["-m32", "-ffreestanding", "-fsyntax-only", "-std=c11", "-x", "c", "-"];

export function gcc(source: string): { ok: boolean; output: string } {
  const r = spawnSync("gcc", GCC, { input: source, encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stderr ?? ""}${r.error?.message ?? ""}` };
}

export const gccWorks = gcc("int x;").ok;

const C_TYPES: Readonly<Record<PrimitiveName, string>> = {
  u8: "unsigned char",
  i8: "signed char",
  bool: "_Bool",
  u16: "unsigned short",
  i16: "short",
  u32: "unsigned int",
  i32: "int",
  f32: "float",
  u64: "unsigned long long",
  i64: "long long",
  f64: "double",
};

const loc = { file: "gen.idl", span: { start: 0, end: 0 } };

/** A C declarator for a field of `type` named `name`. */
function cField(type: DataType, name: string, model: Model): string {
  switch (type.kind) {
    case "primitive":
      return `${C_TYPES[type.name]} ${name}`;
    case "enum":
      return `${C_TYPES[(model.declarations.get(type.name) as Enum).base]} ${name}`;
    case "struct":
      return `struct ${type.name} ${name}`;
    case "array":
      return cField(type.element, `${name}[${type.length}]`, model);
    case "string":
    case "bytes":
    case "vector":
      return `struct dk_slot ${name}`;
  }
}

/** A random message: its parameters, and whether it is a reply (retval and errno first). */
export interface RandomMessage {
  readonly params: readonly Field[];
  readonly reply: boolean;
}

export function cSource(model: Model, messages: readonly RandomMessage[] = []): string {
  const layout = new TypeLayouter(model);
  const lines = ["#include <stddef.h>", "struct dk_slot { unsigned short offset; unsigned short count; };"];
  for (const d of model.declarations.values()) {
    if (d.kind !== "struct") continue;
    const l = layout.struct(d.name);
    lines.push(`struct ${d.name} { ${d.fields.map((f) => `${cField(f.type, f.name, model)};`).join(" ")} };`);
    lines.push(`_Static_assert(sizeof(struct ${d.name}) == ${l.size}, "sizeof ${d.name}");`);
    lines.push(`_Static_assert(_Alignof(struct ${d.name}) == ${l.align}, "_Alignof ${d.name}");`);
    d.fields.forEach((f, i) => {
      lines.push(
        `_Static_assert(offsetof(struct ${d.name}, ${f.name}) == ${l.offsets[i]}, "offsetof ${d.name}.${f.name}");`,
      );
    });
  }
  messages.forEach((m, k) => lines.push(...cMessage(model, layout, m, `M${k}`)));
  return `${lines.join("\n")}\n`;
}

/** The message's data as a C struct, with assertions on its size and each data parameter's offset. */
function cMessage(model: Model, layout: TypeLayouter, m: RandomMessage, name: string): string[] {
  const l = m.reply ? layoutMethod([], m.params, layout).reply : layoutMethod(m.params, [], layout).request;
  const data = m.params.flatMap((p, i) => (isDataType(p.type) ? [{ p, type: p.type, place: l.places[i]! }] : []));
  const members = [
    ...(m.reply ? ["int retval;", "int errno_;"] : []),
    ...data.map(({ p, type }) => `${cField(type, p.name, model)};`),
  ];
  const descriptors = m.params.length - data.length;
  if (l.descriptors !== descriptors) throw new Error(`${name}: ${l.descriptors} descriptors, expected ${descriptors}`);
  if (members.length === 0) {
    if (l.fixedSize !== 0) throw new Error(`${name}: an empty message has fixedSize ${l.fixedSize}`);
    return [];
  }
  const out = [`struct ${name} { ${members.join(" ")} };`];
  out.push(`_Static_assert(sizeof(struct ${name}) == ${l.fixedSize}, "fixedSize ${name}");`);
  for (const { p, place } of data) {
    if (place.place !== "data") throw new Error(`${name}.${p.name} is data but placed as a descriptor`);
    out.push(`_Static_assert(offsetof(struct ${name}, ${p.name}) == ${place.offset}, "offset ${name}.${p.name}");`);
  }
  return out;
}

/** Fixed-size field types that may refer to structs numbered below `index` and to the enums. */
function fieldType(index: number, enums: readonly string[]): fc.Arbitrary<DataType> {
  const leaf: fc.Arbitrary<DataType> = fc.oneof(
    fc.constantFrom(...PRIMITIVE_NAMES).map((name): DataType => ({ kind: "primitive", name })),
    ...(enums.length > 0 ? [fc.constantFrom(...enums).map((name): DataType => ({ kind: "enum", name }))] : []),
    ...(index > 0 ? [fc.nat(index - 1).map((i): DataType => ({ kind: "struct", name: `S${i}` }))] : []),
  );
  const array = fc
    .tuple(leaf, fc.integer({ min: 1, max: 5 }))
    .map(([element, length]): DataType => ({ kind: "array", element, length }));
  const slot = fc.oneof(
    fc.integer({ min: 1, max: 300 }).map((maxLength): DataType => ({ kind: "string", maxLength })),
    fc.integer({ min: 1, max: 300 }).map((maxLength): DataType => ({ kind: "bytes", maxLength })),
  );
  return fc.oneof({ weight: 5, arbitrary: leaf }, { weight: 2, arbitrary: array }, { weight: 1, arbitrary: slot });
}

const descriptor: fc.Arbitrary<Type> = fc.oneof(
  fc.constant<Type>({ kind: "desc", objectKind: "door", rights: ["send"] }),
  fc.constant<Type>({ kind: "lease", access: "read" }),
);

/** Random messages over the structs and enums of `model`. */
function messagesOf(model: Model): fc.Arbitrary<RandomMessage[]> {
  const structs = [...model.declarations.values()].filter((d) => d.kind === "struct").length;
  const enums = [...model.declarations.values()].filter((d) => d.kind === "enum").map((d) => d.name);
  const param = fc.oneof(
    { weight: 5, arbitrary: fieldType(structs, enums) as fc.Arbitrary<Type> },
    { weight: 1, arbitrary: descriptor },
  );
  const message = fc.tuple(fc.array(param, { maxLength: 6 }), fc.boolean()).map(([types, reply]): RandomMessage => ({
    params: types.map((type, j) => ({ name: `p${j}`, doc: [], location: loc, type })),
    reply,
  }));
  return fc.array(message, { minLength: 1, maxLength: 3 });
}

export const program: fc.Arbitrary<Model> = fc
  .tuple(fc.array(fc.constantFrom<IntName>(...INT_NAMES), { maxLength: 3 }), fc.integer({ min: 1, max: 6 }))
  .chain(([bases, count]) => {
    const enums: Enum[] = bases.map((base, i) => ({
      kind: "enum",
      name: `E${i}`,
      doc: [],
      location: loc,
      base,
      flags: false,
      members: [],
    }));
    const structs = Array.from({ length: count }, (_, i) =>
      fc
        .array(
          fieldType(
            i,
            enums.map((e) => e.name),
          ),
          { minLength: 1, maxLength: 7 },
        )
        .map((types): Struct => ({
          kind: "struct",
          name: `S${i}`,
          doc: [],
          location: loc,
          fields: types.map((type, j) => ({ name: `f${j}`, doc: [], location: loc, type })),
        })),
    );
    return fc.tuple(...structs).map((ss): Model => ({
      files: [],
      declarations: new Map<string, Declaration>([...enums, ...ss].map((d) => [d.name, d])),
    }));
  });

/** A random program with random messages over its types. */
export const programWithMessages: fc.Arbitrary<{ model: Model; messages: RandomMessage[] }> = program.chain((model) =>
  messagesOf(model).map((messages) => ({ model, messages })),
);

/** A property: gcc accepts the C of a random program and messages, so every assertion holds. */
export const agreesWithGcc = fc.property(programWithMessages, ({ model, messages }) => {
  const source = cSource(model, messages);
  const r = gcc(source);
  if (!r.ok) throw new Error(`gcc rejected:\n${source}\n${r.output}`);
});
