/**
 * CST (from `parser.ts`) → AST (`ast.ts`) with spans. Never throws: after error
 * recovery a CST node may lack any child, and a missing piece becomes an empty
 * identifier, name or type at the place it should have been (the syntax error
 * for it is already reported). Literal problems are reported here.
 */
import type { CstNode, IToken } from "chevrotain";
import type * as ast from "./ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import * as catalog from "../diagnostics/catalog-syntax.js";
import { DocComments, tokenEnd } from "./doc-comments.js";
import { numberValue, stringValue } from "./literals.js";

type Child = CstNode | IToken;

/** Deepest expression tree a file may have: a 1,000-member `A | B | ...` is fine. */
export const MAX_EXPRESSION_DEPTH = 1000;

/** Binding strength of each binary operator: higher binds tighter. */
const precedence: Readonly<Record<string, number>> = {
  "|": 1,
  "&": 2,
  "<<": 3,
  ">>": 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
};

function isToken(child: Child): child is IToken {
  return (child as IToken).image !== undefined;
}

function real(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

/** The range of the real tokens under a recovered node (whose location may be partial); null if none. */
function realTokenSpan(node: CstNode): ast.Span | null {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const stack: CstNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const list of Object.values(n.children) as Child[][]) {
      for (const child of list) {
        if (!isToken(child)) stack.push(child);
        else if (real(child)) {
          start = Math.min(start, child.startOffset);
          end = Math.max(end, tokenEnd(child));
        }
      }
    }
  }
  return Number.isFinite(start) ? { start, end } : null;
}

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** Depth of each binary expression built, so that later phases never recurse too deep. */
  readonly #depth = new WeakMap<ast.ConstExpr, number>();
  /** Where the last real token seen ended: the place of a piece that is missing. */
  #cursor = 0;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly docs: DocComments,
  ) {}

  // ---- helpers -------------------------------------------------------------------

  #nodes(node: CstNode | undefined, key: string): CstNode[] {
    return ((node?.children[key] ?? []) as Child[]).filter((c): c is CstNode => !isToken(c));
  }

  #node(node: CstNode | undefined, key: string): CstNode | undefined {
    return this.#nodes(node, key)[0];
  }

  #tokens(node: CstNode | undefined, key: string): IToken[] {
    return ((node?.children[key] ?? []) as Child[]).filter(isToken);
  }

  #token(node: CstNode | undefined, key: string): IToken | undefined {
    const token = this.#tokens(node, key)[0];
    return real(token) ? token : undefined;
  }

  /** The span of every real token under `node`, or an empty span where it should be. */
  span(node: CstNode | undefined): ast.Span {
    const loc = node?.location;
    let span: ast.Span | null;
    if (loc && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset) && !node?.recoveredNode) {
      span = { start: loc.startOffset, end: loc.endOffset! + 1 };
    } else span = node ? realTokenSpan(node) : null;
    if (span === null) return { start: this.#cursor, end: this.#cursor };
    this.#cursor = Math.max(this.#cursor, span.end);
    return span;
  }

  #tokenSpan(token: IToken): ast.Span {
    this.#cursor = Math.max(this.#cursor, tokenEnd(token));
    return { start: token.startOffset, end: tokenEnd(token) };
  }

  #identifier(token: IToken | undefined): ast.Identifier {
    if (!real(token)) return { kind: "Identifier", text: "", span: { start: this.#cursor, end: this.#cursor } };
    return { kind: "Identifier", text: token.image, span: this.#tokenSpan(token) };
  }

  // ---- file and declarations -----------------------------------------------------

  file(cst: CstNode): { imports: ast.Import[]; declarations: ast.Declaration[] } {
    const imports: ast.Import[] = [];
    const declarations: ast.Declaration[] = [];
    const items = [
      ...this.#nodes(cst, "importDecl"),
      ...this.#nodes(cst, "declaration"),
      ...this.#nodes(cst, "junk"),
    ].sort((a, b) => this.#firstOffset(a) - this.#firstOffset(b));
    for (const item of items) {
      if (item.name === "importDecl") imports.push(this.#import(item));
      else if (item.name === "junk") this.#junk(item);
      else {
        const decl = this.#declaration(item);
        if (decl) declarations.push(decl);
      }
    }
    return { imports, declarations };
  }

  /** For ordering only: unlike `span`, moves no cursor. */
  #firstOffset(node: CstNode): number {
    const s = node.location?.startOffset;
    return s !== undefined && Number.isFinite(s) ? s : (realTokenSpan(node)?.start ?? Number.POSITIVE_INFINITY);
  }

  #junk(node: CstNode): void {
    const first = this.#tokens(node, "AnyToken").find(real);
    if (!first) return;
    this.#tokenSpan(first);
    const location = { file: this.path, span: { start: first.startOffset, end: tokenEnd(first) } };
    this.diagnostics.push(catalog.ErrExpectedDeclaration(location, `'${first.image}'`));
  }

  #import(node: CstNode): ast.Import {
    const span = this.span(node);
    return { kind: "Import", path: this.#string(this.#token(node, "StringLiteral")), span };
  }

  #declaration(node: CstNode): ast.Declaration | null {
    const span = this.span(node);
    const doc = this.docs.take(span.start);
    const attributes = this.#nodes(node, "attribute").map((a) => this.#attribute(a));
    const base = { doc, attributes, span };
    const constDecl = this.#node(node, "constDecl");
    if (constDecl) {
      return {
        kind: "ConstDecl",
        ...base,
        name: this.#identifier(this.#token(constDecl, "Identifier")),
        type: this.#type(this.#node(constDecl, "type")),
        value: this.#constExpr(this.#node(constDecl, "constExpr")),
      };
    }
    const enumDecl = this.#node(node, "enumDecl");
    if (enumDecl) {
      return {
        kind: "EnumDecl",
        ...base,
        flags: this.#token(enumDecl, "Bits") !== undefined,
        name: this.#identifier(this.#token(enumDecl, "Identifier")),
        base: this.#node(enumDecl, "type") ? this.#type(this.#node(enumDecl, "type")) : null,
        members: this.#nodes(enumDecl, "enumMember").map((m) => this.#enumMember(m)),
      };
    }
    const structDecl = this.#node(node, "structDecl");
    if (structDecl) {
      return {
        kind: "StructDecl",
        ...base,
        name: this.#identifier(this.#token(structDecl, "Identifier")),
        fields: this.#nodes(structDecl, "field").map((f) => this.#field(f)),
      };
    }
    const interfaceDecl = this.#node(node, "interfaceDecl");
    if (interfaceDecl) {
      return {
        kind: "InterfaceDecl",
        ...base,
        name: this.#identifier(this.#token(interfaceDecl, "Identifier")),
        rangeClass: this.#identifier(this.#token(interfaceDecl, "rangeClass")),
        members: this.#nodes(interfaceDecl, "interfaceMember").flatMap((m) => this.#interfaceMember(m)),
      };
    }
    return null;
  }

  #attribute(node: CstNode): ast.Attribute {
    const span = this.span(node);
    const value = this.#node(node, "constExpr");
    return {
      kind: "Attribute",
      name: this.#identifier(this.#token(node, "Identifier")),
      value: value ? this.#constExpr(value) : null,
      span,
    };
  }

  #enumMember(node: CstNode): ast.EnumMember {
    const span = this.span(node);
    return {
      kind: "EnumMember",
      doc: this.docs.take(span.start),
      attributes: this.#nodes(node, "attribute").map((a) => this.#attribute(a)),
      name: this.#identifier(this.#token(node, "Identifier")),
      value: this.#constExpr(this.#node(node, "constExpr")),
      span,
    };
  }

  #field(node: CstNode): ast.Field {
    const span = this.span(node);
    return {
      kind: "Field",
      doc: this.docs.take(span.start),
      attributes: this.#nodes(node, "attribute").map((a) => this.#attribute(a)),
      name: this.#identifier(this.#token(node, "Identifier")),
      type: this.#type(this.#node(node, "type")),
      span,
    };
  }

  #interfaceMember(node: CstNode): ast.InterfaceMember[] {
    const method = this.#node(node, "method");
    if (method) return [this.#method(method)];
    const reserved = this.#node(node, "reservedDecl");
    if (reserved) {
      return [
        {
          kind: "Reserved",
          numbers: this.#nodes(reserved, "constExpr").map((e) => this.#constExpr(e)),
          span: this.span(reserved),
        },
      ];
    }
    const compose = this.#node(node, "composeDecl");
    if (compose) {
      return [{ kind: "Compose", target: this.#nameRef(this.#node(compose, "nameRef")), span: this.span(compose) }];
    }
    return [];
  }

  #method(node: CstNode): ast.Method {
    const span = this.span(node);
    const doc = this.docs.take(span.start);
    const attributes = this.#nodes(node, "attribute").map((a) => this.#attribute(a));
    const name = this.#identifier(this.#token(node, "Identifier"));
    const request = this.#params(this.#node(node, "request"));
    const hasReply = this.#tokens(node, "Arrow").length > 0;
    const reply = hasReply ? this.#params(this.#node(node, "reply")) : null;
    const ordinal = this.#node(node, "constExpr");
    return {
      kind: "Method",
      doc,
      attributes,
      name,
      request,
      reply,
      ordinal: ordinal ? this.#constExpr(ordinal) : null,
      span,
    };
  }

  #params(node: CstNode | undefined): ast.Field[] {
    return this.#nodes(node, "field").map((f) => this.#field(f));
  }

  // ---- types and constant expressions --------------------------------------------

  #type(node: CstNode | undefined): ast.TypeRef {
    const span = this.span(node);
    return {
      kind: "TypeRef",
      name: this.#identifier(this.#token(node, "Identifier")),
      args: this.#nodes(node, "typeArg").map((a) => this.#typeArg(a)),
      span,
    };
  }

  #typeArg(node: CstNode): ast.TypeArg {
    const type = this.#node(node, "type");
    if (type) return this.#type(type);
    const expr = this.#constExpr(this.#node(node, "constExpr"));
    if (expr.kind === "NameRef" && expr.parts.length === 1) {
      return { kind: "TypeRef", name: expr.parts[0]!, args: [], span: expr.span };
    }
    return expr;
  }

  /** Groups the flat operand/operator list by precedence (shunting-yard, left-associative). */
  #constExpr(node: CstNode | undefined): ast.ConstExpr {
    if (node === undefined) return this.#missingExpr();
    const operands = this.#nodes(node, "operands");
    const operators = this.#tokens(node, "operators");
    const values: ast.ConstExpr[] = [this.#atom(operands[0])];
    const pending: IToken[] = [];
    for (let i = 0; i < operators.length && i + 1 < operands.length; i++) {
      const operator = operators[i]!;
      const level = precedence[operator.image] ?? 0;
      while (pending.length > 0 && (precedence[pending[pending.length - 1]!.image] ?? 0) >= level) {
        this.#reduce(values, pending);
      }
      pending.push(operator);
      values.push(this.#atom(operands[i + 1]));
    }
    while (pending.length > 0) this.#reduce(values, pending);
    return values[0]!;
  }

  /** Replaces the top two values by the top operator applied to them. */
  #reduce(values: ast.ConstExpr[], pending: IToken[]): void {
    const operator = pending.pop()!;
    const right = values.pop()!;
    const left = values.pop()!;
    const depth = 1 + Math.max(this.#depth.get(left) ?? 0, this.#depth.get(right) ?? 0);
    if (depth > MAX_EXPRESSION_DEPTH) {
      // Reported once per expression: the over-deep part is dropped.
      if (!this.#depth.has(left) || this.#depth.get(left)! < MAX_EXPRESSION_DEPTH + 1) {
        const location = { file: this.path, span: { start: operator.startOffset, end: tokenEnd(operator) } };
        this.diagnostics.push(catalog.ErrExpressionTooLong(location, MAX_EXPRESSION_DEPTH));
      }
      this.#depth.set(left, MAX_EXPRESSION_DEPTH + 1);
      values.push(left);
      return;
    }
    const expr: ast.BinaryExpr = {
      kind: "BinaryExpr",
      operator: operator.image as ast.BinaryOperator,
      left,
      right,
      span: { start: left.span.start, end: Math.max(left.span.end, right.span.end) },
    };
    this.#depth.set(expr, depth);
    values.push(expr);
  }

  #missingExpr(): ast.NameRef {
    return { kind: "NameRef", parts: [], span: { start: this.#cursor, end: this.#cursor } };
  }

  #atom(node: CstNode | undefined): ast.ConstExpr {
    if (node === undefined) return this.#missingExpr();
    const span = this.span(node);
    const integer = this.#token(node, "Integer");
    if (integer) return this.#number(integer, this.#token(node, "Minus"), span);
    const string = this.#token(node, "StringLiteral");
    if (string) return this.#string(string);
    if (this.#token(node, "True")) return { kind: "BoolLiteral", value: true, span };
    if (this.#token(node, "False")) return { kind: "BoolLiteral", value: false, span };
    const name = this.#node(node, "nameRef");
    if (name) return this.#nameRef(name);
    const inner = this.#node(node, "constExpr");
    if (inner) {
      const expr = this.#constExpr(inner);
      const paren: ast.ParenExpr = { kind: "ParenExpr", inner: expr, span };
      this.#depth.set(paren, 1 + (this.#depth.get(expr) ?? 0));
      return paren;
    }
    return this.#missingExpr();
  }

  #nameRef(node: CstNode | undefined): ast.NameRef {
    const span = this.span(node);
    const parts = this.#tokens(node, "Identifier").filter(real).map((t) => this.#identifier(t));
    return { kind: "NameRef", parts, span };
  }

  #number(token: IToken, minus: IToken | undefined, span: ast.Span): ast.NumberLiteral {
    const raw = (minus ? "-" : "") + token.image;
    const { value, problem } = numberValue(token.image, minus !== undefined);
    if (problem) this.diagnostics.push(catalog.ErrMalformedNumber({ file: this.path, span }, raw));
    return { kind: "NumberLiteral", raw, value, span };
  }

  #string(token: IToken | undefined): ast.StringLiteral {
    if (!token) return { kind: "StringLiteral", raw: "", value: "", span: { start: this.#cursor, end: this.#cursor } };
    const span = this.#tokenSpan(token);
    const { value, problems } = stringValue(token.image);
    for (const p of problems) {
      switch (p.kind) {
        case "unterminated-string":
          this.diagnostics.push(catalog.ErrUnterminatedString({ file: this.path, span }));
          break;
        case "invalid-escape": {
          const start = span.start + p.offset;
          const location = { file: this.path, span: { start, end: start + p.length } };
          this.diagnostics.push(catalog.ErrInvalidEscape(location, p.escape));
          break;
        }
        case "malformed-number":
          break;
      }
    }
    return { kind: "StringLiteral", raw: token.image, value, span };
  }
}
