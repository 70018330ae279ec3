/**
 * Renders a message's parameters as text through the IR, for the trace:
 * `file=#4, buf=lease#5, name="motd"`. Unlike generated code this interprets
 * the layout at run time, which is fine for a debugging tool. The bytes come
 * from a traced process and are untrusted: every read is bounds-checked, and
 * a field that does not decode prints as `<bad>` instead of throwing.
 */
import type { Ir, IrDataType, IrEnum, IrMessage, IrStruct } from "../../compiler/ir/ir.js";

/** Declarations of one IR by name, for decoding. */
export interface IrIndex {
  readonly enums: ReadonlyMap<string, IrEnum>;
  readonly structs: ReadonlyMap<string, IrStruct>;
}

export function indexIr(irs: readonly Ir[]): IrIndex {
  const enums = new Map<string, IrEnum>();
  const structs = new Map<string, IrStruct>();
  for (const ir of irs) {
    for (const file of ir.files) {
      for (const e of file.enums) enums.set(e.name, e);
      for (const s of file.structs) structs.set(s.name, s);
    }
  }
  return { enums, structs };
}

const MAX_TEXT = 48;
const MAX_ELEMENTS = 8;

class Bad extends Error {}

/** Bounds-checked little-endian reads of one message's data. */
class Reader {
  readonly view: DataView;
  constructor(readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  need(offset: number, size: number): void {
    if (offset < 0 || offset + size > this.data.length) throw new Bad();
  }
}

/**
 * `name=value` for each parameter of `message` found in `data` (the data
 * bytes) and `descriptors` (the receiver's numbers). A descriptor shows as
 * `#N` (`lease#N` for a lease parameter) unless `describeDescriptor` knows
 * more, such as `lease[#5,w]`.
 */
export function formatParams(
  index: IrIndex,
  message: IrMessage,
  data: Uint8Array,
  descriptors: readonly number[],
  describeDescriptor: (desc: number) => string | undefined = () => undefined,
): string {
  const reader = new Reader(data);
  const parts: string[] = [];
  for (const param of message.params) {
    if (param.place === "descriptor") {
      const desc = descriptors[param.index];
      const plain = (d: number) => (param.type.kind === "lease" ? `lease#${d}` : `#${d}`);
      const shown = desc === undefined ? "<missing>" : desc === 0 ? "none" : (describeDescriptor(desc) ?? plain(desc));
      parts.push(`${param.name}=${shown}`);
      continue;
    }
    parts.push(`${param.name}=${safely(() => formatValue(index, reader, param.type, param.offset))}`);
  }
  return parts.join(", ");
}

function safely(f: () => string): string {
  try {
    return f();
  } catch (error) {
    if (error instanceof Bad || error instanceof RangeError) return "<bad>";
    throw error;
  }
}

/** Deeper nesting than this prints as `…` (an IR from a file may even nest a struct in itself). */
const MAX_DEPTH = 16;

function formatValue(index: IrIndex, r: Reader, type: IrDataType, at: number, depth = 0): string {
  if (depth > MAX_DEPTH) return "…";
  switch (type.kind) {
    case "primitive":
      return formatPrimitive(r, type.name, at);
    case "enum": {
      const raw = formatPrimitive(r, type.base, at);
      return formatEnum(index.enums.get(type.name), raw);
    }
    case "struct": {
      const decl = index.structs.get(type.name);
      if (!decl) return "<unknown struct>";
      return `{${decl.fields.map((f) => `${f.name}=${safely(() => formatValue(index, r, f.type, at + f.offset, depth + 1))}`).join(", ")}}`;
    }
    case "array":
      return formatList(index, r, type.element, at, type.length, depth);
    case "string":
    case "bytes":
    case "vector": {
      r.need(at, 4);
      const offset = r.view.getUint16(at, true);
      const count = r.view.getUint16(at + 2, true);
      if (type.kind === "vector") {
        if (count > type.maxLength) throw new Bad();
        return formatList(index, r, type.element, offset, count, depth);
      }
      if (count > type.maxLength) throw new Bad();
      r.need(offset, count);
      const bytes = r.data.subarray(offset, offset + count);
      return type.kind === "string" ? formatString(bytes) : formatBytes(bytes);
    }
  }
}

function formatList(index: IrIndex, r: Reader, element: IrDataType, at: number, count: number, depth: number): string {
  r.need(at, element.size * count);
  if (element.kind === "primitive" && element.name === "u8") return formatBytes(r.data.subarray(at, at + count));
  const shown: string[] = [];
  for (let i = 0; i < Math.min(count, MAX_ELEMENTS); i++) {
    shown.push(formatValue(index, r, element, at + i * element.size, depth + 1));
  }
  if (count > MAX_ELEMENTS) shown.push(`… ${count} in all`);
  return `[${shown.join(", ")}]`;
}

function formatPrimitive(r: Reader, name: string, at: number): string {
  const v = r.view;
  switch (name) {
    case "u8":
      r.need(at, 1);
      return String(v.getUint8(at));
    case "i8":
      r.need(at, 1);
      return String(v.getInt8(at));
    case "bool":
      r.need(at, 1);
      return v.getUint8(at) === 0 ? "false" : v.getUint8(at) === 1 ? "true" : "<bad>";
    case "u16":
      r.need(at, 2);
      return String(v.getUint16(at, true));
    case "i16":
      r.need(at, 2);
      return String(v.getInt16(at, true));
    case "u32":
      r.need(at, 4);
      return String(v.getUint32(at, true));
    case "i32":
      r.need(at, 4);
      return String(v.getInt32(at, true));
    case "f32":
      r.need(at, 4);
      return String(v.getFloat32(at, true));
    case "u64":
      r.need(at, 8);
      return String(v.getBigUint64(at, true));
    case "i64":
      r.need(at, 8);
      return String(v.getBigInt64(at, true));
    case "f64":
      r.need(at, 8);
      return String(v.getFloat64(at, true));
    default:
      return "<unknown type>";
  }
}

function formatEnum(decl: IrEnum | undefined, raw: string): string {
  if (!decl) return raw;
  const value = BigInt(raw);
  const exact = decl.members.find((m) => BigInt(m.value) === value);
  if (exact) return exact.name;
  if (!decl.flags) return raw;
  const names: string[] = [];
  let rest = value;
  for (const m of decl.members) {
    const bit = BigInt(m.value);
    if (bit !== 0n && (value & bit) === bit) {
      names.push(m.name);
      rest &= ~bit;
    }
  }
  if (rest !== 0n) names.push(`0x${rest.toString(16)}`);
  return names.length > 0 ? names.join("|") : "0";
}

function formatString(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "<bad utf-8>";
  }
  return text.length > MAX_TEXT
    ? `${JSON.stringify(text.slice(0, MAX_TEXT))}…(${bytes.length} bytes)`
    : JSON.stringify(text);
}

function formatBytes(bytes: Uint8Array): string {
  const hex = Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return `<${hex}${bytes.length > 16 ? " …" : ""}>(${bytes.length})`;
}
