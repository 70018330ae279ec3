/**
 * Checks that the IR an image carries has the shape the trace decoder relies
 * on (compiler/ir/ir.ts), since an image file is untrusted: every array,
 * name, number and nested type the decoder reads. Gives the JSON path of the
 * first problem, or null. It does not re-check layouts: a wrong offset only
 * makes the trace print `<bad>`, because the decoder bounds-checks every read.
 */
import { IR_VERSION } from "../../compiler/ir/ir.js";

const primitives = new Set(["u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64", "bool"]);
const intNames = new Set(["u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64"]);
const rangeClasses = new Set(["kernel", "procmgr", "system", "user"]);
const MAX_DEPTH = 64;

class Bad extends Error {
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`${path}: ${why}`);
  }
}

type Rec = Record<string, unknown>;

function obj(v: unknown, path: string): Rec {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Bad(path, "expected an object");
  return v as Rec;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new Bad(path, "expected an array");
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== "string") throw new Bad(path, "expected a string");
  return v;
}

function nat(v: unknown, path: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new Bad(path, "expected a whole number");
  return v;
}

function integer(v: unknown, path: string): void {
  const ok = (typeof v === "number" && Number.isSafeInteger(v)) || (typeof v === "string" && /^-?\d+$/.test(v));
  if (!ok) throw new Bad(path, "expected an integer");
}

function oneOf(v: unknown, set: ReadonlySet<string>, path: string): void {
  if (typeof v !== "string" || !set.has(v)) throw new Bad(path, `expected one of ${[...set].join(", ")}`);
}

function dataType(v: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) throw new Bad(path, "types nested too deep");
  const t = obj(v, path);
  nat(t.size, `${path}.size`);
  switch (t.kind) {
    case "primitive":
      return oneOf(t.name, primitives, `${path}.name`);
    case "enum":
      str(t.name, `${path}.name`);
      return oneOf(t.base, intNames, `${path}.base`);
    case "struct":
      str(t.name, `${path}.name`);
      return;
    case "array":
      nat(t.length, `${path}.length`);
      return dataType(t.element, `${path}.element`, depth + 1);
    case "vector":
      nat(t.maxLength, `${path}.maxLength`);
      return dataType(t.element, `${path}.element`, depth + 1);
    case "string":
    case "bytes":
      nat(t.maxLength, `${path}.maxLength`);
      return;
    default:
      throw new Bad(`${path}.kind`, "not a data type");
  }
}

function message(v: unknown, path: string): void {
  arr(obj(v, path).params, `${path}.params`).forEach((p, i) => {
    const at = `${path}.params[${i}]`;
    const param = obj(p, at);
    str(param.name, `${at}.name`);
    if (param.place === "data") {
      nat(param.offset, `${at}.offset`);
      dataType(param.type, `${at}.type`, 0);
    } else if (param.place === "descriptor") {
      nat(param.index, `${at}.index`);
      const kind = obj(param.type, `${at}.type`).kind;
      if (kind !== "desc" && kind !== "lease") throw new Bad(`${at}.type.kind`, "expected desc or lease");
    } else {
      throw new Bad(`${at}.place`, "expected data or descriptor");
    }
  });
}

function file(v: unknown, path: string): void {
  const f = obj(v, path);
  arr(f.enums, `${path}.enums`).forEach((e, i) => {
    const at = `${path}.enums[${i}]`;
    const en = obj(e, at);
    str(en.name, `${at}.name`);
    if (typeof en.flags !== "boolean") throw new Bad(`${at}.flags`, "expected true or false");
    arr(en.members, `${at}.members`).forEach((m, j) => {
      str(obj(m, `${at}.members[${j}]`).name, `${at}.members[${j}].name`);
      integer((m as Rec).value, `${at}.members[${j}].value`);
    });
  });
  arr(f.structs, `${path}.structs`).forEach((s, i) => {
    const at = `${path}.structs[${i}]`;
    const st = obj(s, at);
    str(st.name, `${at}.name`);
    arr(st.fields, `${at}.fields`).forEach((fl, j) => {
      const fat = `${at}.fields[${j}]`;
      str(obj(fl, fat).name, `${fat}.name`);
      nat((fl as Rec).offset, `${fat}.offset`);
      dataType((fl as Rec).type, `${fat}.type`, 0);
    });
  });
  arr(f.interfaces, `${path}.interfaces`).forEach((x, i) => {
    const at = `${path}.interfaces[${i}]`;
    const iface = obj(x, at);
    str(iface.name, `${at}.name`);
    oneOf(iface.rangeClass, rangeClasses, `${at}.rangeClass`);
    arr(iface.methods, `${at}.methods`).forEach((m, j) => {
      const mat = `${at}.methods[${j}]`;
      const method = obj(m, mat);
      str(method.name, `${mat}.name`);
      nat(method.fn, `${mat}.fn`);
      message(method.request, `${mat}.request`);
      message(method.reply, `${mat}.reply`);
    });
  });
}

/** Null when `value` is an IR the trace can use; else where and why it is not. */
export function checkIrShape(value: unknown): string | null {
  try {
    const ir = obj(value, "$");
    if (ir.irVersion !== IR_VERSION) throw new Bad("$.irVersion", `expected ${IR_VERSION}`);
    arr(ir.files, "$.files").forEach((f, i) => file(f, `$.files[${i}]`));
    return null;
  } catch (error) {
    if (error instanceof Bad) return error.message;
    throw error;
  }
}
