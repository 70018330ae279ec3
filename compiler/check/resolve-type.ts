/**
 * Turns a written type (`ast.TypeRef`) into a model type: primitives, enums
 * and structs by name, and the built-in generics with their arguments checked
 * (`array<T, N>`, `string<N>`, `bytes<N>`, `vector<T, N>`, `desc<kind>`,
 * `desc<kind, rights>`, `lease<access>`). Where a type appears decides what it
 * may be: descriptors and leases only as method parameters, leases only in a
 * request, and array and vector elements only of fixed size.
 *
 * Whether a struct element is of fixed size depends on other structs, so such
 * elements are recorded in `structElements` and checked by check-structs once
 * every struct is resolved.
 */
import type * as ast from "../syntax/ast.js";
import { type Location, type Reporter, withNote } from "../diagnostics/diagnostic.js";
import {
  ErrBoundOutOfRange,
  ErrDescriptorNotAllowed,
  ErrDuplicateRight,
  ErrExpectedType,
  ErrExpectedValue,
  ErrLeaseInReply,
  ErrNotAType,
  ErrTypeTakesNoArguments,
  ErrUnknownDescKind,
  ErrUnknownLeaseAccess,
  ErrUnknownRight,
  ErrUnknownType,
  ErrVariableSizeElement,
  ErrWrongTypeArgumentCount,
} from "../diagnostics/catalog-check.js";
import {
  type DataType,
  DESC_KINDS,
  type DescKind,
  GENERIC_NAMES,
  type DescriptorType,
  LEASE_ACCESSES,
  type LeaseAccess,
  PRIMITIVE_NAMES,
  type PrimitiveName,
  type Right,
  RIGHTS,
  type Type,
} from "./model.js";
import { describeValue, type ConstEvaluator, typeText } from "./const-eval.js";
import { describeDecl, locate, namesOf, type SymbolTable } from "./resolve-step.js";
import { withSuggestion } from "./suggest.js";

/** Where a type is written: decides whether descriptors are allowed. */
export type TypePosition = "field" | "element" | "request" | "reply";

export interface StructElement {
  readonly struct: string;
  readonly container: string;
  readonly location: Location;
}

const MAX_BOUND = 0xffff;

export class TypeResolver {
  readonly #symbols: SymbolTable;
  readonly #consts: ConstEvaluator;
  readonly #reporter: Reporter;
  readonly structElements: StructElement[] = [];

  constructor(symbols: SymbolTable, consts: ConstEvaluator, reporter: Reporter) {
    this.#symbols = symbols;
    this.#consts = consts;
    this.#reporter = reporter;
  }

  /** A struct field's type, or an array or vector element's. */
  data(ref: ast.TypeRef, file: ast.File, position: "field" | "element" = "field"): DataType | null {
    const t = this.#resolve(ref, file, position);
    if (t === null) return null;
    if (t.kind === "desc" || t.kind === "lease") {
      this.#reporter.report(ErrDescriptorNotAllowed(locate(file, ref), typeText(ref)));
      return null;
    }
    return t;
  }

  /** A method parameter's type: descriptors are allowed, leases only in a request. */
  param(param: ast.Field, file: ast.File, position: "request" | "reply"): Type | null {
    const t = this.#resolve(param.type, file, position);
    if (t?.kind === "lease" && position === "reply") {
      this.#reporter.report(ErrLeaseInReply(locate(file, param.type), param.name.text));
      return null;
    }
    return t;
  }

  #resolve(ref: ast.TypeRef, file: ast.File, position: TypePosition): Type | null {
    const name = ref.name.text;
    const at = locate(file, ref);
    if ((PRIMITIVE_NAMES as readonly string[]).includes(name)) {
      if (!this.#noArgs(ref, file)) return null;
      return { kind: "primitive", name: name as PrimitiveName };
    }
    switch (name) {
      case "array":
      case "vector":
        return this.#sequence(ref, file, name);
      case "string":
      case "bytes": {
        if (!this.#argCount(ref, file, 1, 1, "1 argument (its bound)")) return null;
        const bound = this.#bound(ref, ref.args[0]!, file);
        return bound === null ? null : { kind: name, maxLength: bound };
      }
      case "desc":
      case "lease": {
        const t = name === "desc" ? this.#desc(ref, file) : this.#lease(ref, file);
        if (t !== null && position !== "request" && position !== "reply") {
          this.#reporter.report(ErrDescriptorNotAllowed(at, typeText(ref)));
          return null;
        }
        return t;
      }
    }
    const symbol = this.#symbols.get(name);
    if (!symbol) {
      const types = [...PRIMITIVE_NAMES, ...GENERIC_NAMES, ...namesOf(this.#symbols, ["EnumDecl", "StructDecl"])];
      this.#reporter.report(withSuggestion(ErrUnknownType(locate(file, ref.name), name), name, types));
      return null;
    }
    const decl = symbol.decl;
    if (decl.kind !== "EnumDecl" && decl.kind !== "StructDecl") {
      this.#reporter.report(
        withNote(
          ErrNotAType(locate(file, ref.name), name, describeDecl(decl)),
          `'${name}' is declared here`,
          locate(symbol.file, decl.name),
        ),
      );
      return null;
    }
    if (!this.#noArgs(ref, file)) return null;
    return decl.kind === "EnumDecl" ? { kind: "enum", name } : { kind: "struct", name };
  }

  #sequence(ref: ast.TypeRef, file: ast.File, name: "array" | "vector"): DataType | null {
    if (!this.#argCount(ref, file, 2, 2, "2 arguments (element type and bound)")) return null;
    const [elementArg, boundArg] = ref.args as [ast.TypeArg, ast.TypeArg];
    let element: DataType | null = null;
    if (elementArg.kind !== "TypeRef") {
      this.#reporter.report(ErrExpectedType(locate(file, elementArg), name));
    } else {
      element = this.data(elementArg, file, "element");
      if (element && (element.kind === "string" || element.kind === "bytes" || element.kind === "vector")) {
        this.#reporter.report(ErrVariableSizeElement(locate(file, elementArg), name));
        element = null;
      } else if (element?.kind === "struct") {
        this.structElements.push({ struct: element.name, container: name, location: locate(file, elementArg) });
      }
    }
    const bound = this.#bound(ref, boundArg, file);
    if (element === null || bound === null) return null;
    return name === "array" ? { kind: "array", element, length: bound } : { kind: "vector", element, maxLength: bound };
  }

  /** A size argument: a constant expression (a bare name parses as a TypeRef) in 1..65535. */
  #bound(ref: ast.TypeRef, arg: ast.TypeArg, file: ast.File): number | null {
    const expr = asExpr(arg);
    if (expr === null) {
      this.#reporter.report(ErrExpectedValue(locate(file, arg), ref.name.text));
      return null;
    }
    const v = this.#consts.evaluate(expr, file);
    if (v === null) return null;
    if (typeof v !== "bigint" || v < 1n || v > BigInt(MAX_BOUND)) {
      const shown = typeof v === "bigint" ? String(v) : describeValue(v);
      this.#reporter.report(ErrBoundOutOfRange(locate(file, arg), ref.name.text, shown));
      return null;
    }
    return Number(v);
  }

  #desc(ref: ast.TypeRef, file: ast.File): DescriptorType | null {
    if (!this.#argCount(ref, file, 1, 2, "1 or 2 arguments (kind and rights)")) return null;
    const kindWord = word(ref.args[0]!);
    if (kindWord === null || !(DESC_KINDS as readonly string[]).includes(kindWord)) {
      this.#reporter.report(ErrUnknownDescKind(locate(file, ref.args[0]!), kindWord ?? argText(ref.args[0]!)));
      return null;
    }
    const rights: Right[] = [];
    let ok = true;
    if (ref.args.length === 2) {
      for (const leaf of rightLeaves(ref.args[1]!)) {
        const w = word(leaf);
        if (w === null || !(RIGHTS as readonly string[]).includes(w)) {
          this.#reporter.report(ErrUnknownRight(locate(file, leaf), w ?? argText(leaf)));
          ok = false;
        } else if (rights.includes(w as Right)) {
          this.#reporter.report(ErrDuplicateRight(locate(file, leaf), w));
          ok = false;
        } else rights.push(w as Right);
      }
    }
    if (!ok) return null;
    rights.sort((a, b) => RIGHTS.indexOf(a) - RIGHTS.indexOf(b));
    return { kind: "desc", objectKind: kindWord as DescKind, rights };
  }

  #lease(ref: ast.TypeRef, file: ast.File): DescriptorType | null {
    if (!this.#argCount(ref, file, 1, 1, "1 argument (read, write or readwrite)")) return null;
    const w = word(ref.args[0]!);
    if (w === null || !(LEASE_ACCESSES as readonly string[]).includes(w)) {
      this.#reporter.report(ErrUnknownLeaseAccess(locate(file, ref.args[0]!), w ?? argText(ref.args[0]!)));
      return null;
    }
    return { kind: "lease", access: w as LeaseAccess };
  }

  #noArgs(ref: ast.TypeRef, file: ast.File): boolean {
    if (ref.args.length === 0) return true;
    this.#reporter.report(ErrTypeTakesNoArguments(locate(file, ref), ref.name.text));
    return false;
  }

  #argCount(ref: ast.TypeRef, file: ast.File, min: number, max: number, expected: string): boolean {
    if (ref.args.length >= min && ref.args.length <= max) return true;
    this.#reporter.report(ErrWrongTypeArgumentCount(locate(file, ref), ref.name.text, expected, ref.args.length));
    return false;
  }
}

/** A type argument used as a value: a bare identifier parses as a TypeRef with no args. */
function asExpr(arg: ast.TypeArg): ast.ConstExpr | null {
  if (arg.kind !== "TypeRef") return arg;
  if (arg.args.length > 0) return null;
  return { kind: "NameRef", parts: [arg.name], span: arg.span };
}

/** A single bare word argument (`door`, `send`, `read`), else null. */
function word(arg: ast.TypeArg): string | null {
  if (arg.kind === "TypeRef" && arg.args.length === 0) return arg.name.text;
  if (arg.kind === "NameRef" && arg.parts.length === 1) return arg.parts[0]!.text;
  return null;
}

/** The operands of `a | b | c`, in order. */
function rightLeaves(arg: ast.TypeArg): ast.TypeArg[] {
  if (arg.kind === "BinaryExpr" && arg.operator === "|") return [...rightLeaves(arg.left), ...rightLeaves(arg.right)];
  if (arg.kind === "ParenExpr") return rightLeaves(arg.inner);
  return [arg];
}

function argText(arg: ast.TypeArg): string {
  if (arg.kind === "TypeRef") return typeText(arg);
  switch (arg.kind) {
    case "NumberLiteral":
    case "StringLiteral":
      return arg.raw;
    case "BoolLiteral":
      return String(arg.value);
    case "NameRef":
      return arg.parts.map((p) => p.text).join(".");
    default:
      return "an expression";
  }
}
