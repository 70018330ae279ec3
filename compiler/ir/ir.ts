/**
 * The doorkit IR: the compiler's one output and the only input of back ends.
 *
 * It is plain JSON (no bigint, no cycles, no class instances), versioned by
 * `IR_VERSION`, and fully laid out: every struct and message carries its sizes
 * and every field its offset, computed per the ABI (docs/abi.md, i386 System V
 * rules), so a back end never computes a layout of its own. Types refer to
 * declarations by name; names are unique across one compilation.
 *
 * Changing the shape of anything here is a new IR_VERSION and an update of
 * `ir.schema.json` and docs/ir.md.
 */

export const IR_VERSION = 1;

export interface Ir {
  readonly irVersion: typeof IR_VERSION;
  /** Every file of the compilation, each after the files it imports. */
  readonly files: readonly IrFile[];
}

export interface IrFile {
  /** Path relative to the compilation's root directory, with `/` separators. */
  readonly path: string;
  /** Paths (same form) of the files this one imports directly. */
  readonly imports: readonly string[];
  readonly consts: readonly IrConst[];
  readonly enums: readonly IrEnum[];
  readonly structs: readonly IrStruct[];
  readonly interfaces: readonly IrInterface[];
}

/** `path:line:col` of a declaration, for messages and docs. */
export type IrLocation = string;

/** Documentation from `///` comments, lines joined by `\n`; null when none. */
export type IrDoc = string | null;

// ---- types ----------------------------------------------------------------------

export type IrIntName = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "u64" | "i64";
export type IrPrimitiveName = IrIntName | "f32" | "f64" | "bool";

/**
 * Every data type states its inline `size` and `align`: what it occupies in
 * the fixed part of a struct or message. Variable-size types (string, bytes,
 * vector) occupy a 4-byte slot `{ u16 offset; u16 count; }` (align 2) that
 * locates their contents after the fixed part of the same message; `offset` is
 * from the start of the message data and `count` is bytes for string and bytes,
 * elements for vector.
 */
export type IrType =
  | IrPrimitiveType
  | IrEnumType
  | IrStructType
  | IrArrayType
  | IrStringType
  | IrBytesType
  | IrVectorType
  | IrDescType
  | IrLeaseType;

/** Types whose values live in the data bytes of a message. */
export type IrDataType = Exclude<IrType, IrDescType | IrLeaseType>;

interface IrInline {
  readonly size: number;
  readonly align: number;
}

export interface IrPrimitiveType extends IrInline {
  readonly kind: "primitive";
  readonly name: IrPrimitiveName;
}

export interface IrEnumType extends IrInline {
  readonly kind: "enum";
  readonly name: string;
  readonly base: IrIntName;
}

export interface IrStructType extends IrInline {
  readonly kind: "struct";
  readonly name: string;
  /** Whether the struct (at any depth) has variable-size fields. */
  readonly variable: boolean;
}

export interface IrArrayType extends IrInline {
  readonly kind: "array";
  /** Always of fixed size. */
  readonly element: IrDataType;
  readonly length: number;
}

export interface IrStringType extends IrInline {
  readonly kind: "string";
  /** UTF-8 bytes at most (for a string constant, its own length: 0 when empty). */
  readonly maxLength: number;
}

export interface IrBytesType extends IrInline {
  readonly kind: "bytes";
  readonly maxLength: number;
}

export interface IrVectorType extends IrInline {
  readonly kind: "vector";
  /** Always of fixed size. */
  readonly element: IrDataType;
  /** Elements at most. */
  readonly maxLength: number;
}

/** Kinds of kernel object a descriptor may name. */
export type IrDescKind = "any" | "door" | "memory" | "process" | "thread" | "lease";

/** Permission bits a transferred reference must carry (see docs/abi.md). */
export type IrRight = "send" | "receive" | "read" | "write" | "map" | "dup";

export interface IrDescType {
  readonly kind: "desc";
  readonly objectKind: IrDescKind;
  readonly rights: readonly IrRight[];
}

export type IrLeaseAccess = "read" | "write" | "readwrite";

/** A lease travels as a descriptor in the request; it has no data bytes. */
export interface IrLeaseType {
  readonly kind: "lease";
  readonly access: IrLeaseAccess;
}

// ---- declarations -------------------------------------------------------------

/** Integer values that do not fit a double exactly are decimal strings. */
export type IrInteger = number | string;

export interface IrConst {
  readonly name: string;
  readonly doc: IrDoc;
  readonly location: IrLocation;
  readonly type: IrPrimitiveType | IrStringType;
  /** Integers as IrInteger, bools as boolean, strings as string with type kind "string". */
  readonly value: IrInteger | boolean | string;
}

export interface IrEnum {
  readonly name: string;
  readonly doc: IrDoc;
  readonly location: IrLocation;
  readonly base: IrIntName;
  /** A bit-flag set (`bits`): any OR of the members is valid. */
  readonly flags: boolean;
  readonly members: readonly IrEnumMember[];
}

export interface IrEnumMember {
  readonly name: string;
  readonly doc: IrDoc;
  readonly value: IrInteger;
}

export interface IrStruct {
  readonly name: string;
  readonly doc: IrDoc;
  readonly location: IrLocation;
  /** `sizeof` and `_Alignof` of the equivalent C struct under `gcc -m32`. */
  readonly size: number;
  readonly align: number;
  readonly variable: boolean;
  /**
   * Most bytes its variable-size contents can take after the fixed part,
   * padding included (0 when `variable` is false).
   */
  readonly maxOutOfLine: number;
  readonly fields: readonly IrField[];
}

export interface IrField {
  readonly name: string;
  readonly doc: IrDoc;
  readonly type: IrDataType;
  /** Byte offset from the start of the struct (or message data). */
  readonly offset: number;
}

// ---- interfaces ----------------------------------------------------------------

export type IrRangeClass = "kernel" | "procmgr" | "system" | "user";

export interface IrInterface {
  readonly name: string;
  readonly doc: IrDoc;
  readonly location: IrLocation;
  readonly rangeClass: IrRangeClass;
  /** Inclusive bounds of the class's function-number range (docs/abi.md). */
  readonly range: { readonly first: number; readonly last: number };
  /** Names of the interfaces composed into this one, directly. */
  readonly composes: readonly string[];
  /** Its own methods followed by those of composed interfaces, by function number. */
  readonly methods: readonly IrMethod[];
  readonly reserved: readonly number[];
  /** Largest request and reply of any method, and the buffer that holds both. */
  readonly maxRequestSize: number;
  readonly maxReplySize: number;
  readonly bufferSize: number;
}

export interface IrMethod {
  readonly name: string;
  readonly doc: IrDoc;
  readonly location: IrLocation;
  /** The interface that declares it (differs from the owner for composed methods). */
  readonly declaredIn: string;
  /** msgFunction. */
  readonly fn: number;
  /**
   * `@trap`: a register-level kernel call (docs/abi.md): back ends emit its
   * number but no stub; its messages are empty.
   */
  readonly trap: boolean;
  readonly request: IrMessage;
  /** Data starts with `retval: i32` at 0 and `errno: i32` at 4, not listed in `params`. */
  readonly reply: IrMessage;
  /** max(request.totalSize, reply.totalSize): the buffer a caller must pass. */
  readonly bufferSize: number;
}

export interface IrMessage {
  /** Parameters in declaration order. */
  readonly params: readonly IrParam[];
  /** Bytes of the fixed part of the data (8 for an empty reply). */
  readonly fixedSize: number;
  /** Most data bytes: the fixed part plus every variable-size content at its bound. */
  readonly maxDataSize: number;
  readonly descriptors: number;
  /** align4(maxDataSize) + 4 * descriptors. */
  readonly totalSize: number;
}

export type IrParam = IrDataParam | IrDescParam;

/** A parameter carried in the data bytes. */
export interface IrDataParam {
  readonly place: "data";
  readonly name: string;
  readonly doc: IrDoc;
  readonly type: IrDataType;
  readonly offset: number;
}

/** A descriptor or lease, carried in the descriptor area at `index`. */
export interface IrDescParam {
  readonly place: "descriptor";
  readonly name: string;
  readonly doc: IrDoc;
  readonly type: IrDescType | IrLeaseType;
  readonly index: number;
}
