/**
 * Type-directed code for encoding and decoding one value: straight-line
 * DataView reads and writes at constant offsets (plus a loop per array or
 * vector), as lines of TypeScript relative to the enclosing block. Used by
 * view-model.ts for struct codecs and message codecs.
 *
 * Conventions of the code produced: `f` is the rt.Frame, `view` its DataView,
 * `bytes` its Uint8Array; `aN`, `iN`, `pN`, `nN` (and `sN`, `wN`, `oN`, `cN`, `tN`
 * for strings) are locals numbered per function.
 * Range checks of 32-bit and smaller values are plain comparisons; only a
 * failing value calls the runtime's checker, which throws with the message.
 */
import type { IrDataType, IrDescType, IrIntName, IrLeaseType, IrPrimitiveName } from "../../ir/ir.js";
import { PRINT_WIDTH, quote } from "./format.js";

/** How the generated module refers to declared types and their codecs. */
export interface Scope {
  /** Name of declared type `name` as seen from the module being generated. */
  typeName(name: string): string;
  /** `encodeX` / `decodeX` / `checkX` of declared type `name`. */
  helper(name: string, what: "encode" | "decode" | "check"): string;
}

interface Accessor {
  readonly get: string;
  readonly set: string;
  /** Whether the DataView call takes the little-endian flag. */
  readonly wide: boolean;
  /** Runtime check for encoding. */
  readonly check: string;
}

const accessors: Readonly<Record<IrPrimitiveName, Accessor>> = {
  u8: { get: "getUint8", set: "setUint8", wide: false, check: "rt.u8" },
  i8: { get: "getInt8", set: "setInt8", wide: false, check: "rt.i8" },
  u16: { get: "getUint16", set: "setUint16", wide: true, check: "rt.u16" },
  i16: { get: "getInt16", set: "setInt16", wide: true, check: "rt.i16" },
  u32: { get: "getUint32", set: "setUint32", wide: true, check: "rt.u32" },
  i32: { get: "getInt32", set: "setInt32", wide: true, check: "rt.i32" },
  u64: { get: "getBigUint64", set: "setBigUint64", wide: true, check: "rt.u64" },
  i64: { get: "getBigInt64", set: "setBigInt64", wide: true, check: "rt.i64" },
  f32: { get: "getFloat32", set: "setFloat32", wide: true, check: "rt.f64" },
  f64: { get: "getFloat64", set: "setFloat64", wide: true, check: "rt.f64" },
  bool: { get: "getUint8", set: "setUint8", wide: false, check: "rt.flag" },
};

/** The TypeScript type of a value of `type`. */
export function tsType(type: IrDataType | IrDescType | IrLeaseType, scope: Scope): string {
  switch (type.kind) {
    case "primitive":
      return primitiveTsType(type.name);
    case "enum":
    case "struct":
      return scope.typeName(type.name);
    case "array":
    case "vector":
      return isByte(type.element) ? "Uint8Array" : `${arrayElement(tsType(type.element, scope))}[]`;
    case "string":
      return "string";
    case "bytes":
      return "Uint8Array";
    case "desc":
      return "rt.Descriptor";
    case "lease":
      return "rt.Lease";
  }
}

function arrayElement(t: string): string {
  return /^[A-Za-z0-9_.]+(\[\])*$/.test(t) ? t : `(${t})`;
}

export function primitiveTsType(name: IrPrimitiveName): string {
  return name === "u64" || name === "i64" ? "bigint" : name === "bool" ? "boolean" : "number";
}

export function isWideInt(name: IrIntName): boolean {
  return name === "u64" || name === "i64";
}

function isByte(type: IrDataType): boolean {
  return type.kind === "primitive" && type.name === "u8";
}

/** `base + k`, folded when both are numbers. */
export function plus(base: string, k: number): string {
  if (k === 0) return base;
  if (/^\d+$/.test(base)) return String(Number(base) + k);
  const m = /^(.*) \+ (\d+)$/.exec(base);
  if (m && !/[*]/.test(m[1]!)) return `${m[1]} + ${Number(m[2]) + k}`;
  return `${base} + ${k}`;
}

function scaled(index: string, size: number): string {
  return size === 1 ? index : `${index} * ${size}`;
}

export class Locals {
  private next = 0;
  fresh(): number {
    return this.next++;
  }
}

function le(a: Accessor): string {
  return a.wide ? ", true" : "";
}

/**
 * The conditions (any of which) under which `v` is not a valid `name`. The
 * 64-bit bounds are literals: TurboFan compares a bigint with a literal
 * without a runtime call.
 */
function failsCheck(name: IrPrimitiveName, v: string): readonly string[] {
  switch (name) {
    case "u8":
      return [`(${v} & 0xff) !== ${v}`];
    case "i8":
      return [`(${v} << 24) >> 24 !== ${v}`];
    case "u16":
      return [`(${v} & 0xffff) !== ${v}`];
    case "i16":
      return [`(${v} << 16) >> 16 !== ${v}`];
    case "u32":
      return [`${v} >>> 0 !== ${v}`];
    case "i32":
      return [`(${v} | 0) !== ${v}`];
    case "f32":
    case "f64":
      return [`typeof ${v} !== "number"`];
    case "bool":
      return [`${v} !== true && ${v} !== false`];
    case "u64":
      return [`typeof ${v} !== "bigint"`, `${v} < 0n`, `${v} > 0xffffffffffffffffn`];
    case "i64":
      return [`typeof ${v} !== "bigint"`, `${v} < -0x8000000000000000n`, `${v} > 0x7fffffffffffffffn`];
  }
}

/** A name, a property path or an indexed local: cheap and safe to evaluate twice. */
const plainValue = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[[A-Za-z_$][\w$]*\])*$/;

/**
 * Writes a primitive: `if (<fails>) rt.check(v, label);` then the store, with
 * the condition or the call broken as Prettier breaks them when too wide;
 * otherwise the store of `rt.check(v, label)`.
 */
export function primitiveLines(name: IrPrimitiveName, at: string, value: string, l: string, indent: number): string[] {
  const a = accessors[name];
  const checked = [`view.${a.set}(${at}, ${a.check}(${value}, ${l})${le(a)});`];
  if (!plainValue.test(value)) return checked;
  const fails = failsCheck(name, value);
  const stored = name === "bool" ? `${value} ? 1 : 0` : value;
  const store = `view.${a.set}(${at}, ${stored}${le(a)});`;
  const call = `${a.check}(${value}, ${l});`;
  const guard = guardLines(fails, call, indent);
  return guard === null ? checked : [...guard, store];
}

/**
 * `if (<any of fails>) <call>` as Prettier prints it at column `indent`: on
 * one line, in braces, or with one operand per line; null when an operand
 * alone is too wide.
 */
function guardLines(fails: readonly string[], call: string, indent: number): string[] | null {
  const condition = fails.join(" || ");
  if (indent + `if (${condition}) ${call}`.length <= PRINT_WIDTH) return [`if (${condition}) ${call}`];
  if (indent + `if (${condition}) {`.length <= PRINT_WIDTH) return [`if (${condition}) {`, `  ${call}`, "}"];
  if (fails.length === 1 || fails.some((c) => indent + 2 + c.length + 3 > PRINT_WIDTH)) return null;
  return ["if (", ...fails.map((c, i) => `  ${c}${i < fails.length - 1 ? " ||" : ""}`), ") {", `  ${call}`, "}"];
}

/**
 * A string<max> written inline: writeString's checks as comparisons (the
 * call, which throws with the reason, only when one fails), then encodeInto
 * at the cursor and the slot. Null when the value is not plain or a line
 * cannot be printed as Prettier would.
 */
function stringEncodeLines(at: string, value: string, max: number, l: string, n: number, indent: number): string[] | null {
  if (!plainValue.test(value)) return null;
  const call = `rt.writeString(f, ${at}, ${value}, ${max}, ${l});`;
  const before = guardLines([`typeof ${value} !== "string"`, `${value}.length > ${max}`], call, indent);
  const after = guardLines(
    [`w${n}.read < ${value}.length`, `(w${n}.written !== ${value}.length && !rt.isWellFormed(${value}))`],
    call,
    indent,
  );
  if (before === null || after === null) return null;
  return [
    ...before,
    `const s${n} = f.end;`,
    `const w${n} = rt.utf8Encoder.encodeInto(${value}, f.bytes.subarray(s${n}, s${n} + ${max}));`,
    ...after,
    `view.setUint16(${at}, s${n}, true);`,
    `view.setUint16(${plus(at, 2)}, w${n}.written, true);`,
    `f.end = s${n} + w${n}.written;`,
  ];
}

/**
 * A string<max> read inline: readString's slot checks as comparisons, then
 * strict UTF-8 decoding; readString, which throws with the reason, runs only
 * when a check fails. Null when a line cannot be printed as Prettier would.
 */
function stringDecode(at: string, max: number, l: string, n: number, indent: number): Decoded | null {
  const call = `rt.readString(f, ${at}, ${max}, ${l})`;
  const guard = guardLines([`c${n} > ${max}`, `o${n} < f.start`, `o${n} + c${n} > f.limit`], `${call};`, indent);
  const text = `rt.decodeUtf8(f.bytes.subarray(o${n}, o${n} + c${n}))`;
  // Prettier's layouts of `const t = a ?? b;`: one line, the expression on the next, or one operand per line.
  const one = `const t${n} = ${text} ?? ${call};`;
  const decl =
    indent + one.length <= PRINT_WIDTH
      ? [one]
      : indent + 2 + `${text} ?? ${call};`.length <= PRINT_WIDTH
        ? [`const t${n} =`, `  ${text} ?? ${call};`]
        : indent + 2 + `${text} ??`.length <= PRINT_WIDTH && indent + 2 + `${call};`.length <= PRINT_WIDTH
          ? [`const t${n} =`, `  ${text} ??`, `  ${call};`]
          : null;
  if (guard === null || decl === null) return null;
  return {
    lines: [`const o${n} = view.getUint16(${at}, true);`, `const c${n} = view.getUint16(${plus(at, 2)}, true);`, ...guard, ...decl],
    expr: `t${n}`,
  };
}

/**
 * Lines that write `value` (an expression of type tsType(type)) at byte `at`;
 * `indent` is the column the lines will start at (for line breaking).
 */
export function encodeLines(
  type: IrDataType,
  at: string,
  value: string,
  label: string,
  scope: Scope,
  locals: Locals,
  indent = 2,
): string[] {
  const l = quote(label);
  switch (type.kind) {
    case "primitive":
      return primitiveLines(type.name, at, value, l, indent);
    case "enum": {
      const a = accessors[type.base];
      return [`view.${a.set}(${at}, ${scope.helper(type.name, "check")}(${value}, ${l})${le(a)});`];
    }
    case "struct":
      return [`${scope.helper(type.name, "encode")}(f, ${at}, ${value});`];
    case "array": {
      if (isByte(type.element)) return [`f.bytes.set(rt.exactly(${value}, ${type.length}, ${l}), ${at});`];
      const n = locals.fresh();
      const element = `${at} + ${scaled(`i${n}`, type.element.size)}`;
      return [
        `const a${n} = rt.exactly(${value}, ${type.length}, ${l});`,
        `for (let i${n} = 0; i${n} < ${type.length}; i${n}++) {`,
        ...encodeLines(type.element, element, `a${n}[i${n}]`, label, scope, locals, indent + 2).map((s) => `  ${s}`),
        "}",
      ];
    }
    case "string":
      return (
        stringEncodeLines(at, value, type.maxLength, l, locals.fresh(), indent) ?? [
          `rt.writeString(f, ${at}, ${value}, ${type.maxLength}, ${l});`,
        ]
      );
    case "bytes":
      return [`rt.writeBytes(f, ${at}, ${value}, ${type.maxLength}, ${l});`];
    case "vector": {
      if (isByte(type.element)) return [`rt.writeBytes(f, ${at}, ${value}, ${type.maxLength}, ${l});`];
      const n = locals.fresh();
      const e = type.element;
      return [
        `const a${n} = ${value};`,
        `const p${n} = rt.openVector(f, ${at}, a${n}.length, ${type.maxLength}, ${e.size}, ${e.align}, ${l});`,
        `for (let i${n} = 0; i${n} < a${n}.length; i${n}++) {`,
        ...encodeLines(e, `p${n} + ${scaled(`i${n}`, e.size)}`, `a${n}[i${n}]`, label, scope, locals, indent + 2).map(
          (s) => `  ${s}`,
        ),
        "}",
      ];
    }
  }
}

/** Statements to run first, and the expression that yields the decoded value. */
export interface Decoded {
  readonly lines: readonly string[];
  readonly expr: string;
}

/** Code that reads and validates a value of `type` at byte `at`. */
export function decodeValue(
  type: IrDataType,
  at: string,
  label: string,
  scope: Scope,
  locals: Locals,
  indent = 2,
): Decoded {
  const l = quote(label);
  switch (type.kind) {
    case "primitive": {
      const a = accessors[type.name];
      const read = `view.${a.get}(${at}${le(a)})`;
      return { lines: [], expr: type.name === "bool" ? `rt.readBool(${read}, ${l})` : read };
    }
    case "enum": {
      const a = accessors[type.base];
      return { lines: [], expr: `${scope.helper(type.name, "check")}(view.${a.get}(${at}${le(a)}), ${l})` };
    }
    case "struct":
      return { lines: [], expr: `${scope.helper(type.name, "decode")}(f, ${at})` };
    case "array": {
      if (isByte(type.element)) return { lines: [], expr: `f.bytes.slice(${at}, ${plus(at, type.length)})` };
      const n = locals.fresh();
      const inner = decodeValue(type.element, `${at} + ${scaled(`i${n}`, type.element.size)}`, label, scope, locals, indent + 2);
      return {
        lines: [
          `const a${n}: ${tsType(type, scope)} = [];`,
          `for (let i${n} = 0; i${n} < ${type.length}; i${n}++) {`,
          ...inner.lines.map((s) => `  ${s}`),
          `  a${n}.push(${inner.expr});`,
          "}",
        ],
        expr: `a${n}`,
      };
    }
    case "string":
      return (
        stringDecode(at, type.maxLength, l, locals.fresh(), indent) ?? {
          lines: [],
          expr: `rt.readString(f, ${at}, ${type.maxLength}, ${l})`,
        }
      );
    case "bytes":
      return { lines: [], expr: `rt.readBytes(f, ${at}, ${type.maxLength}, ${l})` };
    case "vector": {
      if (isByte(type.element)) return { lines: [], expr: `rt.readBytes(f, ${at}, ${type.maxLength}, ${l})` };
      const n = locals.fresh();
      const e = type.element;
      const inner = decodeValue(e, `p${n} + ${scaled(`i${n}`, e.size)}`, label, scope, locals, indent + 2);
      return {
        lines: [
          `const p${n} = rt.vectorAt(f, ${at}, ${type.maxLength}, ${e.size}, ${e.align}, ${l});`,
          `const n${n} = view.getUint16(${plus(at, 2)}, true);`,
          `const a${n}: ${tsType(type, scope)} = [];`,
          `for (let i${n} = 0; i${n} < n${n}; i${n}++) {`,
          ...inner.lines.map((s) => `  ${s}`),
          `  a${n}.push(${inner.expr});`,
          "}",
        ],
        expr: `a${n}`,
      };
    }
  }
}

/**
 * Lines that zero the padding bytes of a region: every byte in [0, size)
 * not covered by one of `spans` (offset, size), relative to `base`.
 */
export function paddingLines(base: string, size: number, spans: readonly { offset: number; size: number }[]): string[] {
  const covered = new Uint8Array(size);
  for (const s of spans) covered.fill(1, s.offset, s.offset + s.size);
  const lines: string[] = [];
  for (let i = 0; i < size; i++) if (covered[i] === 0) lines.push(`view.setUint8(${plus(base, i)}, 0);`);
  return lines;
}
