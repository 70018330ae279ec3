/**
 * Emits the IR (ir.ts) from a checked model and its layout: plain JSON, every
 * type with its inline size and alignment, every field with its offset, every
 * message with its sizes. Paths are made relative to the common directory of
 * the compilation's files; locations are `path:line:col`.
 */
import type * as model from "../check/model.js";
import { RANGES, servedMethods } from "../check/model.js";
import type { Layout } from "../layout/layout-step.js";
import type { MessageLayout } from "../layout/message-layout.js";
import { primitiveExtent } from "../layout/type-layout.js";
import { SourceText } from "../diagnostics/source-text.js";
import type { Location } from "../diagnostics/diagnostic.js";
import {
  type Ir,
  type IrConst,
  type IrDataType,
  type IrDescType,
  type IrEnum,
  type IrFile,
  type IrInteger,
  type IrInterface,
  type IrLeaseType,
  type IrMessage,
  type IrMethod,
  type IrStruct,
  IR_VERSION,
} from "./ir.js";

export function emitIr(m: model.Model, layout: Layout, sources: ReadonlyMap<string, string>): Ir {
  const root = commonDirectory(m.files.map((f) => f.path));
  const texts = new Map<string, SourceText>();
  const emitter: Emitter = {
    m,
    layout,
    relative: (path) => relativeTo(root, path),
    location: (loc) => {
      let text = texts.get(loc.file);
      if (!text) texts.set(loc.file, (text = new SourceText(sources.get(loc.file) ?? "")));
      const { line, col } = text.position(loc.span.start);
      return `${relativeTo(root, loc.file)}:${line}:${col}`;
    },
  };
  return { irVersion: IR_VERSION, files: m.files.map((f) => emitFile(emitter, f)) };
}

interface Emitter {
  readonly m: model.Model;
  readonly layout: Layout;
  relative(path: string): string;
  location(loc: Location): string;
}

function emitFile(e: Emitter, file: model.ModelFile): IrFile {
  const decls = file.declarations.map((n) => e.m.declarations.get(n)!);
  const of = <K extends model.Declaration["kind"]>(kind: K) =>
    decls.filter((d): d is Extract<model.Declaration, { kind: K }> => d.kind === kind);
  return {
    path: e.relative(file.path),
    imports: file.imports.map((p) => e.relative(p)),
    consts: of("const").map((c) => emitConst(e, c)),
    enums: of("enum").map((d) => emitEnum(e, d)),
    structs: of("struct").map((s) => emitStruct(e, s)),
    interfaces: of("interface").map((i) => emitInterface(e, i)),
  };
}

function doc(lines: model.Doc): string | null {
  return lines.length === 0 ? null : lines.join("\n");
}

export function irInteger(v: bigint): IrInteger {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : String(v);
}

function emitConst(e: Emitter, c: model.Const): IrConst {
  const type: IrConst["type"] =
    c.type.kind === "string"
      ? { kind: "string", maxLength: c.type.maxLength, size: 4, align: 2 }
      : { kind: "primitive", name: c.type.name, ...primitiveExtent(c.type.name) };
  const value = typeof c.value === "bigint" ? irInteger(c.value) : c.value;
  return { name: c.name, doc: doc(c.doc), location: e.location(c.location), type, value };
}

function emitEnum(e: Emitter, d: model.Enum): IrEnum {
  return {
    name: d.name,
    doc: doc(d.doc),
    location: e.location(d.location),
    base: d.base,
    flags: d.flags,
    members: d.members.map((m) => ({ name: m.name, doc: doc(m.doc), value: irInteger(m.value) })),
  };
}

function emitStruct(e: Emitter, s: model.Struct): IrStruct {
  const l = e.layout.structs.get(s.name)!;
  return {
    name: s.name,
    doc: doc(s.doc),
    location: e.location(s.location),
    size: l.size,
    align: l.align,
    variable: l.variable,
    maxOutOfLine: l.maxOutOfLine,
    fields: s.fields.map((f, i) => ({
      name: f.name,
      doc: doc(f.doc),
      type: emitDataType(e, f.type),
      offset: l.offsets[i]!,
    })),
  };
}

export function emitDataType(e: Pick<Emitter, "layout" | "m">, t: model.DataType): IrDataType {
  const { size, align } = e.layout.types.extent(t);
  switch (t.kind) {
    case "primitive":
      return { kind: "primitive", name: t.name, size, align };
    case "enum": {
      const decl = e.m.declarations.get(t.name) as model.Enum;
      return { kind: "enum", name: t.name, base: decl.base, size, align };
    }
    case "struct":
      return { kind: "struct", name: t.name, variable: e.layout.types.isVariable(t), size, align };
    case "array":
      return { kind: "array", element: emitDataType(e, t.element), length: t.length, size, align };
    case "vector":
      return { kind: "vector", element: emitDataType(e, t.element), maxLength: t.maxLength, size, align };
    case "string":
    case "bytes":
      return { kind: t.kind, maxLength: t.maxLength, size, align };
  }
}

function emitDescriptorType(t: model.DescriptorType): IrDescType | IrLeaseType {
  return t.kind === "desc"
    ? { kind: "desc", objectKind: t.objectKind, rights: [...t.rights] }
    : { kind: "lease", access: t.access };
}

function emitMessage(e: Emitter, params: readonly model.Field[], l: MessageLayout): IrMessage {
  return {
    params: params.map((p, i) => {
      const place = l.places[i]!;
      if (place.place === "data") {
        return {
          place: "data",
          name: p.name,
          doc: doc(p.doc),
          type: emitDataType(e, p.type as model.DataType),
          offset: place.offset,
        };
      }
      return {
        place: "descriptor",
        name: p.name,
        doc: doc(p.doc),
        type: emitDescriptorType(p.type as model.DescriptorType),
        index: place.index,
      };
    }),
    fixedSize: l.fixedSize,
    maxDataSize: l.maxDataSize,
    descriptors: l.descriptors,
    totalSize: l.totalSize,
  };
}

function emitMethod(e: Emitter, method: model.Method, declaredIn: string): IrMethod {
  const l = e.layout.methods.get(method)!;
  return {
    name: method.name,
    doc: doc(method.doc),
    location: e.location(method.location),
    declaredIn,
    fn: method.fn,
    trap: method.trap,
    request: emitMessage(e, method.request, l.request),
    reply: emitMessage(e, method.reply, l.reply),
    bufferSize: l.bufferSize,
  };
}

function emitInterface(e: Emitter, i: model.Interface): IrInterface {
  const served = servedMethods(e.m, i);
  const byFn = (a: IrMethod, b: IrMethod) => a.fn - b.fn;
  const own = served.filter((s) => s.declaredIn === i.name).map((s) => emitMethod(e, s.method, s.declaredIn));
  const composed = served.filter((s) => s.declaredIn !== i.name).map((s) => emitMethod(e, s.method, s.declaredIn));
  const methods = [...own.sort(byFn), ...composed.sort(byFn)];
  const max = (f: (m: IrMethod) => number) => methods.reduce((acc, m) => Math.max(acc, f(m)), 0);
  return {
    name: i.name,
    doc: doc(i.doc),
    location: e.location(i.location),
    rangeClass: i.rangeClass,
    range: { first: RANGES[i.rangeClass].first, last: RANGES[i.rangeClass].last },
    composes: [...i.composes],
    methods,
    reserved: [...i.reserved].sort((a, b) => a - b),
    maxRequestSize: max((m) => m.request.totalSize),
    maxReplySize: max((m) => m.reply.totalSize),
    bufferSize: max((m) => m.bufferSize),
  };
}

/** The deepest directory containing every path (`.` for relative paths with nothing in common). */
export function commonDirectory(paths: readonly string[]): string {
  const dirs = paths.map((p) => p.split("/").slice(0, -1));
  if (dirs.length === 0) return "";
  let n = dirs[0]!.length;
  for (const d of dirs) {
    let i = 0;
    while (i < n && i < d.length && d[i] === dirs[0]![i]) i++;
    n = i;
  }
  return dirs[0]!.slice(0, n).join("/");
}

function relativeTo(root: string, path: string): string {
  if (root === "") return path.replace(/^\/+/, "");
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}
