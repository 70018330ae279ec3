/**
 * Evaluation of constant expressions: literals, constants, enum members
 * (`Mode.READ`, or a sibling member by its bare name inside an enum) and the
 * operators `| & << >> + - * /`. Integers are exact (bigint); every
 * intermediate result must stay within the 64-bit range (-2^63 .. 2^64-1), and
 * a constant's value must fit its declared type.
 *
 * Constants and enum members are evaluated on first use and memoized, so each
 * reports its own errors once, wherever it is first needed; a failed value is
 * `null` and its users stay silent rather than cascade.
 */
import type * as ast from "../syntax/ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import {
  ErrArithmeticOverflow,
  ErrConstCycle,
  ErrConstTypeNotAllowed,
  ErrDivisionByZero,
  ErrShiftOutOfRange,
  ErrStringConstTooLong,
  ErrTypeMismatch,
  ErrUnknownConstant,
  ErrUnknownEnumMember,
  ErrNotAValue,
  ErrDefinitionsTooDeep,
  ErrValueDoesNotFit,
} from "../diagnostics/catalog-check.js";
import {
  type Const,
  type ConstValue,
  intRange,
  isIntName,
  NESTING_LIMIT,
  PRIMITIVE_NAMES,
  type PrimitiveName,
} from "./model.js";
import { describeDecl, docLines, locate, namesOf, type SymbolTable } from "./resolve-step.js";
import { withSuggestion } from "./suggest.js";

const MIN_I64 = -(1n << 63n);
/**
 * Expressions may be 1,000 operators deep (DK1010) and name constants that are
 * as deep; evaluation recurses through all of them, so their combined depth
 * is limited to keep within the JS stack.
 */
const EXPRESSION_DEPTH_LIMIT = 1500;
const MAX_U64 = (1n << 64n) - 1n;

export function describeValue(v: ConstValue): string {
  return typeof v === "bigint" ? "an integer" : typeof v === "boolean" ? "a bool" : "a string";
}

export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Scope for bare names inside an enum's member values. */
export interface EnumScope {
  readonly decl: ast.EnumDecl;
  readonly file: ast.File;
}

export class ConstEvaluator {
  readonly #symbols: SymbolTable;
  readonly #reporter: Reporter;
  readonly #consts = new Map<string, Const | null>();
  readonly #members = new Map<ast.EnumMember, bigint | null>();
  /** Names being evaluated, innermost last: a repeat is a cycle. */
  readonly #stack: string[] = [];
  #reportedTooDeep = false;
  /** Nesting of evaluate() across expressions and the constants they name. */
  #depth = 0;

  constructor(symbols: SymbolTable, reporter: Reporter) {
    this.#symbols = symbols;
    this.#reporter = reporter;
  }

  /** The checked constant declared as `name`, or null if it has errors. */
  constant(name: string): Const | null {
    if (this.#consts.has(name)) return this.#consts.get(name)!;
    const symbol = this.#symbols.get(name);
    if (symbol?.decl.kind !== "ConstDecl") throw new Error(`const-eval: '${name}' is not a constant`);
    this.#stack.push(name);
    const result = this.#checkConst(symbol.decl, symbol.file);
    this.#stack.pop();
    this.#consts.set(name, result);
    return result;
  }

  /** The value of an enum member, unchecked against the base (check-enums does that). */
  member(decl: ast.EnumDecl, member: ast.EnumMember, file: ast.File): bigint | null {
    if (this.#members.has(member)) return this.#members.get(member)!;
    const key = `${decl.name.text}.${member.name.text}`;
    this.#stack.push(key);
    const value = this.integer(member.value, file, { decl, file });
    this.#stack.pop();
    this.#members.set(member, value);
    return value;
  }

  /** Evaluates `expr`, which must be an integer; reports and returns null if not. */
  integer(expr: ast.ConstExpr, file: ast.File, scope: EnumScope | null = null): bigint | null {
    const v = this.evaluate(expr, file, scope);
    if (v === null) return null;
    if (typeof v !== "bigint") {
      this.#reporter.report(ErrTypeMismatch(locate(file, expr), "an integer", describeValue(v)));
      return null;
    }
    return v;
  }

  evaluate(expr: ast.ConstExpr, file: ast.File, scope: EnumScope | null = null): ConstValue | null {
    if (this.#depth >= EXPRESSION_DEPTH_LIMIT) {
      if (!this.#reportedTooDeep) {
        this.#reporter.report(
          ErrDefinitionsTooDeep(locate(file, expr), "constant expressions", EXPRESSION_DEPTH_LIMIT),
        );
      }
      this.#reportedTooDeep = true;
      return null;
    }
    this.#depth++;
    try {
      return this.#evaluate(expr, file, scope);
    } finally {
      this.#depth--;
    }
  }

  #evaluate(expr: ast.ConstExpr, file: ast.File, scope: EnumScope | null): ConstValue | null {
    switch (expr.kind) {
      case "NumberLiteral":
        return this.#inRange(expr.value, expr, file);
      case "StringLiteral":
        return expr.value;
      case "BoolLiteral":
        return expr.value;
      case "ParenExpr":
        return this.evaluate(expr.inner, file, scope);
      case "NameRef":
        return this.#name(expr, file, scope);
      case "BinaryExpr":
        return this.#binary(expr, file, scope);
    }
  }

  #binary(expr: ast.BinaryExpr, file: ast.File, scope: EnumScope | null): bigint | null {
    const l = this.integer(expr.left, file, scope);
    const r = this.integer(expr.right, file, scope);
    if (l === null || r === null) return null;
    switch (expr.operator) {
      case "|":
        return l | r;
      case "&":
        return l & r;
      case "+":
        return this.#inRange(l + r, expr, file);
      case "-":
        return this.#inRange(l - r, expr, file);
      case "*":
        return this.#inRange(l * r, expr, file);
      case "/":
        if (r === 0n) {
          this.#reporter.report(ErrDivisionByZero(locate(file, expr.right)));
          return null;
        }
        return l / r;
      case "<<":
      case ">>":
        if (r < 0n || r > 63n) {
          this.#reporter.report(ErrShiftOutOfRange(locate(file, expr.right), String(r)));
          return null;
        }
        return expr.operator === "<<" ? this.#inRange(l << r, expr, file) : l >> r;
    }
  }

  #inRange(v: bigint, node: { span: ast.Span }, file: ast.File): bigint | null {
    if (v < MIN_I64 || v > MAX_U64) {
      this.#reporter.report(ErrArithmeticOverflow(locate(file, node), String(v)));
      return null;
    }
    return v;
  }

  #name(ref: ast.NameRef, file: ast.File, scope: EnumScope | null): ConstValue | null {
    const parts = ref.parts.map((p) => p.text);
    const text = parts.join(".");
    if (parts.length === 1 && scope) {
      const sibling = scope.decl.members.find((m) => m.name.text === parts[0]);
      if (sibling)
        return this.#viaStack(`${scope.decl.name.text}.${parts[0]}`, ref, file, () =>
          this.member(scope.decl, sibling, scope.file),
        );
    }
    const symbol = this.#symbols.get(parts[0]!);
    if (!symbol || parts.length > 2) {
      const known = [
        ...namesOf(this.#symbols, ["ConstDecl"]),
        ...(scope ? scope.decl.members.map((m) => m.name.text) : []),
      ];
      this.#reporter.report(withSuggestion(ErrUnknownConstant(locate(file, ref), text), text, known));
      return null;
    }
    const decl = symbol.decl;
    if (parts.length === 1) {
      if (decl.kind !== "ConstDecl") {
        this.#reporter.report(ErrNotAValue(locate(file, ref), text, describeDecl(decl)));
        return null;
      }
      return this.#viaStack(text, ref, file, () => this.constant(text)?.value ?? null);
    }
    if (decl.kind !== "EnumDecl") {
      this.#reporter.report(ErrUnknownConstant(locate(file, ref), text));
      return null;
    }
    const member = decl.members.find((m) => m.name.text === parts[1]);
    if (!member) {
      const members = decl.members.map((m) => m.name.text);
      this.#reporter.report(
        withSuggestion(ErrUnknownEnumMember(locate(file, ref.parts[1]!), parts[0]!, parts[1]!), parts[1]!, members),
      );
      return null;
    }
    return this.#viaStack(text, ref, file, () => this.member(decl, member, symbol.file));
  }

  /** Runs `get` unless `key` is already being evaluated, which is a cycle. */
  #viaStack<T>(key: string, ref: ast.NameRef, file: ast.File, get: () => T | null): T | null {
    if (this.#stack.length >= NESTING_LIMIT) {
      if (!this.#reportedTooDeep)
        this.#reporter.report(ErrDefinitionsTooDeep(locate(file, ref), "constants", NESTING_LIMIT));
      this.#reportedTooDeep = true;
      return null;
    }
    const at = this.#stack.indexOf(key);
    if (at >= 0) {
      const cycle = [...this.#stack.slice(at), key].join(" -> ");
      this.#reporter.report(ErrConstCycle(locate(file, ref), cycle));
      return null;
    }
    return get();
  }

  #checkConst(decl: ast.ConstDecl, file: ast.File): Const | null {
    const type = constType(decl.type);
    if (type === null) {
      this.#reporter.report(ErrConstTypeNotAllowed(locate(file, decl.type), typeText(decl.type)));
      return null;
    }
    const value = this.evaluate(decl.value, file);
    if (value === null) return null;
    const at = locate(file, decl.value);
    const wanted = type.kind === "string" ? "a string" : type.name === "bool" ? "a bool" : "an integer";
    if (describeValue(value) !== wanted) {
      this.#reporter.report(ErrTypeMismatch(at, wanted, describeValue(value)));
      return null;
    }
    let maxLength = 0;
    if (typeof value === "string") {
      const bytes = utf8Length(value);
      const bound = type.kind === "string" ? type.bound : null;
      if (bound !== null && bytes > bound) {
        this.#reporter.report(ErrStringConstTooLong(at, bytes, bound));
        return null;
      }
      maxLength = bound ?? bytes;
    }
    if (typeof value === "bigint" && type.kind === "primitive" && isIntName(type.name)) {
      const { min, max } = intRange(type.name);
      if (value < min || value > max) {
        this.#reporter.report(ErrValueDoesNotFit(at, String(value), type.name));
        return null;
      }
    }
    return {
      kind: "const",
      name: decl.name.text,
      doc: docLines(decl.doc),
      location: locate(file, decl.name),
      type: type.kind === "string" ? { kind: "string", maxLength } : type,
      value,
    };
  }
}

type ConstTypeSpec =
  | { readonly kind: "primitive"; readonly name: PrimitiveName }
  | { readonly kind: "string"; readonly bound: number | null };

/** `string` alone (bound = its length) or `string<N>` with a literal N, or a primitive. */
function constType(ref: ast.TypeRef): ConstTypeSpec | null {
  const name = ref.name.text;
  if ((PRIMITIVE_NAMES as readonly string[]).includes(name) && ref.args.length === 0) {
    if (name === "f32" || name === "f64") return null;
    return { kind: "primitive", name: name as PrimitiveName };
  }
  if (name !== "string") return null;
  if (ref.args.length === 0) return { kind: "string", bound: null };
  const arg = ref.args[0]!;
  if (ref.args.length === 1 && arg.kind === "NumberLiteral" && arg.value >= 1n && arg.value <= 0xffffn) {
    return { kind: "string", bound: Number(arg.value) };
  }
  return null;
}

export function typeText(ref: ast.TypeRef): string {
  if (ref.args.length === 0) return ref.name.text;
  const args = ref.args.map((a) => (a.kind === "TypeRef" ? typeText(a) : exprText(a)));
  return `${ref.name.text}<${args.join(", ")}>`;
}

export function exprText(e: ast.ConstExpr): string {
  switch (e.kind) {
    case "NumberLiteral":
    case "StringLiteral":
      return e.raw;
    case "BoolLiteral":
      return String(e.value);
    case "NameRef":
      return e.parts.map((p) => p.text).join(".");
    case "ParenExpr":
      return `(${exprText(e.inner)})`;
    case "BinaryExpr":
      return `${exprText(e.left)} ${e.operator} ${exprText(e.right)}`;
  }
}
