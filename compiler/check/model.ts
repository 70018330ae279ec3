/**
 * The resolved and checked model: what the IDL means, separate from how it was
 * written (`ast.ts`). Every name is resolved, every constant evaluated, every
 * function number assigned. Types refer to enums and structs by name; names
 * are unique across one compilation.
 *
 * Produced by `check.ts` from the ASTs of the import closure; consumed by the
 * layout phase and `emit-ir.ts`. Values are immutable once built.
 */
import type { Location } from "../diagnostics/diagnostic.js";

export type IntName = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "u64" | "i64";
export type PrimitiveName = IntName | "f32" | "f64" | "bool";
export type RangeClass = "kernel" | "procmgr" | "system" | "user";
export type DescKind = "any" | "door" | "memory" | "process" | "thread" | "lease";
export type Right = "send" | "receive" | "read" | "write" | "map" | "dup";
export type LeaseAccess = "read" | "write" | "readwrite";

export const INT_NAMES: readonly IntName[] = ["u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64"];
export const PRIMITIVE_NAMES: readonly PrimitiveName[] = [...INT_NAMES, "f32", "f64", "bool"];
export const DESC_KINDS: readonly DescKind[] = ["any", "door", "memory", "process", "thread", "lease"];
export const RIGHTS: readonly Right[] = ["send", "receive", "read", "write", "map", "dup"];
export const LEASE_ACCESSES: readonly LeaseAccess[] = ["read", "write", "readwrite"];
/** Names of the built-in generic types. */
export const GENERIC_NAMES = ["array", "string", "bytes", "vector", "desc", "lease"] as const;

/** Inclusive function-number ranges of the ABI (docs/abi.md 1.1). */
export const RANGES: Readonly<Record<RangeClass, { readonly first: number; readonly last: number }>> = {
  kernel: { first: 0x0000, last: 0x03ff },
  procmgr: { first: 0x0400, last: 0x0fff },
  system: { first: 0x1000, last: 0x7fff },
  user: { first: 0x8000, last: 0x7fffffff },
};

/**
 * How deep declarations may be defined through one another: constants through
 * constants, structs inside structs, interfaces composing interfaces. Later
 * phases recurse along these chains, so a limit keeps them safe on
 * generated input.
 */
export const NESTING_LIMIT = 64;

/** Inclusive value range of each integer type. */
export function intRange(name: IntName): { readonly min: bigint; readonly max: bigint } {
  const bits = BigInt(Number(name.slice(1)));
  return name.startsWith("u")
    ? { min: 0n, max: (1n << bits) - 1n }
    : { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n };
}

export function isIntName(name: string): name is IntName {
  return (INT_NAMES as readonly string[]).includes(name);
}

// ---- types --------------------------------------------------------------------

/** Types whose values live in the data bytes of a message. */
export type DataType =
  | { readonly kind: "primitive"; readonly name: PrimitiveName }
  | { readonly kind: "enum"; readonly name: string }
  | { readonly kind: "struct"; readonly name: string }
  | { readonly kind: "array"; readonly element: DataType; readonly length: number }
  | { readonly kind: "string"; readonly maxLength: number }
  | { readonly kind: "bytes"; readonly maxLength: number }
  | { readonly kind: "vector"; readonly element: DataType; readonly maxLength: number };

/** Descriptors and leases travel in the descriptor area, never in data bytes. */
export type DescriptorType =
  | { readonly kind: "desc"; readonly objectKind: DescKind; readonly rights: readonly Right[] }
  | { readonly kind: "lease"; readonly access: LeaseAccess };

export type Type = DataType | DescriptorType;

export function isDataType(t: Type): t is DataType {
  return t.kind !== "desc" && t.kind !== "lease";
}

// ---- declarations -------------------------------------------------------------

/** Documentation lines from `///` comments; empty when none. */
export type Doc = readonly string[];

export type ConstValue = bigint | boolean | string;

export interface Const {
  readonly kind: "const";
  readonly name: string;
  readonly doc: Doc;
  readonly location: Location;
  readonly type:
    | { readonly kind: "primitive"; readonly name: PrimitiveName }
    | { readonly kind: "string"; readonly maxLength: number };
  readonly value: ConstValue;
}

export interface EnumMember {
  readonly name: string;
  readonly doc: Doc;
  readonly location: Location;
  readonly value: bigint;
}

export interface Enum {
  readonly kind: "enum";
  readonly name: string;
  readonly doc: Doc;
  readonly location: Location;
  readonly base: IntName;
  readonly flags: boolean;
  readonly members: readonly EnumMember[];
}

/** A struct field or a method parameter. */
export interface Field<T extends Type = Type> {
  readonly name: string;
  readonly doc: Doc;
  readonly location: Location;
  readonly type: T;
}

export interface Struct {
  readonly kind: "struct";
  readonly name: string;
  readonly doc: Doc;
  readonly location: Location;
  readonly fields: readonly Field<DataType>[];
}

export interface Method {
  readonly name: string;
  readonly doc: Doc;
  readonly location: Location;
  readonly fn: number;
  /** `@trap`: a register-level kernel call, with no message and no stub. */
  readonly trap: boolean;
  readonly request: readonly Field[];
  /** Out-parameters only: retval and errno are implied. */
  readonly reply: readonly Field[];
}

export interface Interface {
  readonly kind: "interface";
  readonly name: string;
  readonly doc: Doc;
  readonly location: Location;
  readonly rangeClass: RangeClass;
  /** Its own methods, in declaration order. */
  readonly methods: readonly Method[];
  readonly reserved: readonly number[];
  /** Interfaces composed directly, in declaration order. */
  readonly composes: readonly string[];
}

export type Declaration = Const | Enum | Struct | Interface;

export interface ModelFile {
  readonly path: string;
  /** Paths of the files this one imports directly. */
  readonly imports: readonly string[];
  /** Names of its declarations, in source order. */
  readonly declarations: readonly string[];
}

export interface Model {
  /** Every file, each after the files it imports. */
  readonly files: readonly ModelFile[];
  readonly declarations: ReadonlyMap<string, Declaration>;
}

/** An interface followed by every interface it composes, at any depth, each once (pre-order). */
export function interfaceClosure(model: Model, iface: Interface): Interface[] {
  const out: Interface[] = [];
  const seen = new Set<Interface>();
  const visit = (i: Interface): void => {
    if (seen.has(i)) return;
    seen.add(i);
    out.push(i);
    for (const name of i.composes) {
      const target = model.declarations.get(name);
      if (target?.kind === "interface") visit(target);
    }
  };
  visit(iface);
  return out;
}

/** An interface's methods with those of every interface it composes, at any depth. */
export function servedMethods(model: Model, iface: Interface): { method: Method; declaredIn: string }[] {
  return interfaceClosure(model, iface).flatMap((i) => i.methods.map((method) => ({ method, declaredIn: i.name })));
}
