/**
 * Sizes, alignments and field offsets of data types under the i386 System V
 * ABI, as `gcc -m32` lays out the equivalent C: u64/i64/f64 are 4-byte
 * aligned inside structs, a struct is aligned to its largest member and its
 * size is rounded up to that alignment (System V i386 psABI, "Data
 * Representation"; docs/abi.md 1.4).
 *
 * Variable-size types (string, bytes, vector) take a 4-byte slot
 * `{ u16 offset; u16 count; }` (align 2) inline; their contents go after the
 * fixed part of the message, each aligned to its element's alignment, so the
 * most bytes they can take is the bound plus `align - 1` of padding.
 *
 * Pure: the model must already be checked (no recursion by value, no unknown
 * names); a violation is a compiler bug and throws.
 */
import type { DataType, Model, PrimitiveName, Struct } from "../check/model.js";

export interface Extent {
  readonly size: number;
  readonly align: number;
}

export interface StructLayout extends Extent {
  /** Offsets of the fields, in declaration order. */
  readonly offsets: readonly number[];
  /** Whether any field, at any depth, is of variable size. */
  readonly variable: boolean;
  /** Most bytes of out-of-line contents, padding included. */
  readonly maxOutOfLine: number;
}

export const SLOT: Extent = { size: 4, align: 2 };

const PRIMITIVE_EXTENTS: Readonly<Record<PrimitiveName, Extent>> = {
  u8: { size: 1, align: 1 },
  i8: { size: 1, align: 1 },
  bool: { size: 1, align: 1 },
  u16: { size: 2, align: 2 },
  i16: { size: 2, align: 2 },
  u32: { size: 4, align: 4 },
  i32: { size: 4, align: 4 },
  f32: { size: 4, align: 4 },
  u64: { size: 8, align: 4 },
  i64: { size: 8, align: 4 },
  f64: { size: 8, align: 4 },
};

export function primitiveExtent(name: PrimitiveName): Extent {
  return PRIMITIVE_EXTENTS[name];
}

export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** Lays out a sequence of members like the fields of a C struct. */
export function layoutSequence(extents: readonly Extent[]): { offsets: number[]; size: number; align: number } {
  let cursor = 0;
  let align = 1;
  const offsets: number[] = [];
  for (const e of extents) {
    const offset = alignUp(cursor, e.align);
    offsets.push(offset);
    cursor = offset + e.size;
    align = Math.max(align, e.align);
  }
  return { offsets, size: alignUp(cursor, align), align };
}

/** Memoizing layout of one checked model's types. */
export class TypeLayouter {
  readonly #model: Model;
  readonly #structs = new Map<string, StructLayout>();
  readonly #inProgress = new Set<string>();

  constructor(model: Model) {
    this.#model = model;
  }

  extent(type: DataType): Extent {
    switch (type.kind) {
      case "primitive":
        return primitiveExtent(type.name);
      case "enum": {
        const decl = this.#model.declarations.get(type.name);
        if (decl?.kind !== "enum") throw new Error(`layout: '${type.name}' is not an enum`);
        return primitiveExtent(decl.base);
      }
      case "struct":
        return this.struct(type.name);
      case "array": {
        const e = this.extent(type.element);
        return { size: e.size * type.length, align: e.align };
      }
      case "string":
      case "bytes":
      case "vector":
        return SLOT;
      default:
        return assertNever(type);
    }
  }

  /** Most bytes the out-of-line contents of a value of `type` can take. */
  outOfLine(type: DataType): number {
    switch (type.kind) {
      case "primitive":
      case "enum":
      case "array":
        return 0;
      case "struct":
        return this.struct(type.name).maxOutOfLine;
      case "string":
      case "bytes":
        return type.maxLength;
      case "vector": {
        const e = this.extent(type.element);
        return type.maxLength * e.size + e.align - 1;
      }
      default:
        return assertNever(type);
    }
  }

  isVariable(type: DataType): boolean {
    switch (type.kind) {
      case "primitive":
      case "enum":
      case "array":
        return false;
      case "struct":
        return this.struct(type.name).variable;
      case "string":
      case "bytes":
      case "vector":
        return true;
      default:
        return assertNever(type);
    }
  }

  struct(name: string): StructLayout {
    const done = this.#structs.get(name);
    if (done) return done;
    const decl = this.#model.declarations.get(name);
    if (decl?.kind !== "struct") throw new Error(`layout: '${name}' is not a struct`);
    if (this.#inProgress.has(name)) throw new Error(`layout: '${name}' contains itself by value`);
    this.#inProgress.add(name);
    const layout = this.#layoutStruct(decl);
    this.#inProgress.delete(name);
    this.#structs.set(name, layout);
    return layout;
  }

  #layoutStruct(decl: Struct): StructLayout {
    const types = decl.fields.map((f) => f.type);
    const seq = layoutSequence(types.map((t) => this.extent(t)));
    return {
      ...seq,
      variable: types.some((t) => this.isVariable(t)),
      maxOutOfLine: types.reduce((sum, t) => sum + this.outOfLine(t), 0),
    };
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
