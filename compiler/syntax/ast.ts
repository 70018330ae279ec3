/**
 * The syntax tree of one `.idl` file, as written: grammar-shaped nodes, each
 * with its source span. Names are not resolved and types are not checked here;
 * that is the check phase's work, which produces a separate model.
 *
 * Produced by `parse-file.ts` (CST → AST); consumed by the check phase and the
 * formatter. Nodes are immutable once built.
 */

/** Half-open byte range `[start, end)` into the file's text (UTF-16 code units). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Identifier {
  readonly kind: "Identifier";
  readonly text: string;
  readonly span: Span;
}

/** `///` lines immediately before a declaration, member, field or parameter. */
export interface DocComment {
  readonly kind: "DocComment";
  /** Each line's text after `///`, with one leading space removed. */
  readonly lines: readonly string[];
  readonly span: Span;
}

/** Ordinary `//` and `/* *\/` comments, kept so that the formatter can put them back. */
export interface Comment {
  readonly kind: "Comment";
  readonly text: string;
  readonly block: boolean;
  readonly span: Span;
}

/** `@name` or `@name(value)` before a declaration or member. */
export interface Attribute {
  readonly kind: "Attribute";
  readonly name: Identifier;
  readonly value: ConstExpr | null;
  readonly span: Span;
}

// ---- constant expressions ---------------------------------------------------

export type ConstExpr = NumberLiteral | StringLiteral | BoolLiteral | NameRef | BinaryExpr | ParenExpr;

export interface NumberLiteral {
  readonly kind: "NumberLiteral";
  /** The literal as written (`0x1004`, `-3`, `1_000`); `value` is its meaning. */
  readonly raw: string;
  readonly value: bigint;
  readonly span: Span;
}

export interface StringLiteral {
  readonly kind: "StringLiteral";
  readonly raw: string;
  readonly value: string;
  readonly span: Span;
}

export interface BoolLiteral {
  readonly kind: "BoolLiteral";
  readonly value: boolean;
  readonly span: Span;
}

/** A constant's name, an enum member (`OpenMode.READ`), or a bare keyword-like argument (`door`, `write`). */
export interface NameRef {
  readonly kind: "NameRef";
  readonly parts: readonly Identifier[];
  readonly span: Span;
}

export type BinaryOperator = "|" | "&" | "+" | "-" | "*" | "/" | "<<" | ">>";

export interface BinaryExpr {
  readonly kind: "BinaryExpr";
  readonly operator: BinaryOperator;
  readonly left: ConstExpr;
  readonly right: ConstExpr;
  readonly span: Span;
}

export interface ParenExpr {
  readonly kind: "ParenExpr";
  readonly inner: ConstExpr;
  readonly span: Span;
}

// ---- types --------------------------------------------------------------------

/**
 * Every type is written `name` or `name<arg, ...>`: `u32`, `Stat`,
 * `array<u8, 16>`, `string<MAX_PATH>`, `desc<door>`, `lease<write>`.
 * An argument is a type or a constant expression; which one is meant is decided
 * by the check phase from the generic's name, so the grammar stays small.
 */
export interface TypeRef {
  readonly kind: "TypeRef";
  readonly name: Identifier;
  readonly args: readonly TypeArg[];
  readonly span: Span;
}

export type TypeArg = TypeRef | ConstExpr;

// ---- declarations -------------------------------------------------------------

export interface File {
  readonly kind: "File";
  /** The path the file was loaded from, as given to the compiler. */
  readonly path: string;
  readonly imports: readonly Import[];
  readonly declarations: readonly Declaration[];
  readonly comments: readonly Comment[];
  readonly span: Span;
}

export interface Import {
  readonly kind: "Import";
  readonly path: StringLiteral;
  readonly span: Span;
}

export type Declaration = ConstDecl | EnumDecl | StructDecl | InterfaceDecl;

interface DeclarationBase {
  readonly name: Identifier;
  readonly doc: DocComment | null;
  readonly attributes: readonly Attribute[];
  readonly span: Span;
}

export interface ConstDecl extends DeclarationBase {
  readonly kind: "ConstDecl";
  readonly type: TypeRef;
  readonly value: ConstExpr;
}

/** `enum Name : base { ... }`, or with `bits` instead of `enum` a bit-flag set. */
export interface EnumDecl extends DeclarationBase {
  readonly kind: "EnumDecl";
  readonly flags: boolean;
  readonly base: TypeRef | null;
  readonly members: readonly EnumMember[];
}

export interface EnumMember {
  readonly kind: "EnumMember";
  readonly name: Identifier;
  readonly doc: DocComment | null;
  readonly attributes: readonly Attribute[];
  readonly value: ConstExpr;
  readonly span: Span;
}

export interface StructDecl extends DeclarationBase {
  readonly kind: "StructDecl";
  readonly fields: readonly Field[];
}

/** A struct field, or a method parameter. */
export interface Field {
  readonly kind: "Field";
  readonly name: Identifier;
  readonly doc: DocComment | null;
  readonly attributes: readonly Attribute[];
  readonly type: TypeRef;
  readonly span: Span;
}

export type RangeClassName = "kernel" | "procmgr" | "system" | "user";

export interface InterfaceDecl extends DeclarationBase {
  readonly kind: "InterfaceDecl";
  /** The identifier after `:`; the check phase verifies it names a range class. */
  readonly rangeClass: Identifier;
  readonly members: readonly InterfaceMember[];
}

export type InterfaceMember = Method | Reserved | Compose;

export interface Method {
  readonly kind: "Method";
  readonly name: Identifier;
  readonly doc: DocComment | null;
  readonly attributes: readonly Attribute[];
  readonly request: readonly Field[];
  /** `null` when the method has no `-> (...)`: its reply is retval and errno only. */
  readonly reply: readonly Field[] | null;
  /** The explicit function number (`= 0x1004`), if given. */
  readonly ordinal: ConstExpr | null;
  readonly span: Span;
}

/** `reserved 0x1003, 0x1005;`: numbers never assigned to a method. */
export interface Reserved {
  readonly kind: "Reserved";
  readonly numbers: readonly ConstExpr[];
  readonly span: Span;
}

/** `compose Other;`: this interface also serves Other's methods on the same object. */
export interface Compose {
  readonly kind: "Compose";
  readonly target: NameRef;
  readonly span: Span;
}

export type Node =
  | File
  | Import
  | Declaration
  | EnumMember
  | Field
  | InterfaceMember
  | TypeRef
  | ConstExpr
  | Identifier
  | DocComment
  | Comment
  | Attribute;
