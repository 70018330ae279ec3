/**
 * `formatFile`: the one canonical layout of an IDL file (docs/idl.md,
 * "Formatting"). Consumes a file's AST and its text (for comments, blank lines
 * and the places of braces); produces the formatted text. Idempotent, and the
 * AST of the output equals the input's up to spans and comment placement.
 *
 * Precondition: the AST comes from a parse with no syntax errors
 * (`formatText` checks that and refuses otherwise).
 */
import type { IToken, TokenType } from "chevrotain";
import type * as ast from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parseFile } from "../syntax/parse-file.js";
import { idlLexer, LCurly, LParen, RParen } from "../syntax/tokens.js";
import { type LineKind, Output } from "./comments.js";
import { assertNever, printAttribute, printDocLines, printExpr, printParam, printType } from "./print-expr.js";

export type FormatResult =
  | { readonly kind: "formatted"; readonly text: string }
  | { readonly kind: "syntax-errors"; readonly diagnostics: readonly Diagnostic[] };

/** Parses and formats; a file with syntax errors is refused with its diagnostics. */
export function formatText(path: string, text: string): FormatResult {
  const { file, diagnostics } = parseFile(path, text);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { kind: "syntax-errors", diagnostics: errors };
  return { kind: "formatted", text: formatFile(file, text) };
}

export function formatFile(file: ast.File, text: string): string {
  return new Formatter(file, text).run();
}

type Item = ast.Import | ast.Declaration;

/** Where a node's printed form starts: its doc comment if it has one. */
function startOf(node: { readonly doc?: ast.DocComment | null; readonly span: ast.Span }): number {
  return node.doc?.span.start ?? node.span.start;
}

class Formatter {
  readonly #out: Output;
  readonly #tokens: readonly IToken[];

  constructor(
    readonly file: ast.File,
    readonly text: string,
  ) {
    this.#out = new Output(text, file.comments);
    this.#tokens = idlLexer.tokenize(text).tokens;
  }

  run(): string {
    const out = this.#out;
    const items: Item[] = [...this.file.imports, ...this.file.declarations].sort(
      (a, b) => a.span.start - b.span.start,
    );
    // Imports, and consts, may form groups with no blank line; anything else is set apart.
    let previous = "none" as "none" | Item["kind"];
    items.forEach((item, i) => {
      const isImport = item.kind === "Import";
      const start = isImport ? item.span.start : startOf(item);
      const grouped = previous === item.kind && (isImport || item.kind === "ConstDecl");
      const forced = previous !== "none" && !grouped;
      const printedComments = out.leading(0, start, forced);
      const blank = out.blankBefore(start) || (forced && !printedComments);
      const limit = items[i + 1]?.span.start ?? Number.POSITIVE_INFINITY;
      if (isImport) this.#atomic(0, item, [], `import ${item.path.raw};`, blank, limit, "import");
      else this.#declaration(item, blank, limit);
      previous = item.kind;
    });
    out.leading(0, Number.POSITIVE_INFINITY, previous !== "none" && previous !== "Import" && previous !== "ConstDecl");
    return out.lines.length === 0 ? "" : `${out.lines.join("\n")}\n`;
  }

  /** The first token of `type` at or after `offset`. */
  #tokenAfter(offset: number, type: TokenType): number {
    let lo = 0;
    let hi = this.#tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#tokens[mid]!.startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.#tokens.length; i++) {
      if (this.#tokens[i]!.tokenType === type) return this.#tokens[i]!.startOffset;
    }
    return this.text.length;
  }

  /** A node printed as doc lines, attribute lines and one line of its own. */
  #atomic(
    depth: number,
    node: { readonly doc?: ast.DocComment | null; readonly span: ast.Span },
    attributes: readonly ast.Attribute[],
    main: string,
    blank: boolean,
    limit: number,
    kind: LineKind = "node",
  ): void {
    const out = this.#out;
    const hoisted = out.hoist(depth, node.span.start, node.span.end, [], blank);
    const lines = [...printDocLines(node.doc ?? null), ...attributes.map(printAttribute), main];
    lines.forEach((l, i) => out.line(depth, l, i === 0 && blank && !hoisted, kind));
    out.lastEnd = node.span.end;
    out.trailing(node.span.end, limit);
  }

  #declaration(d: ast.Declaration, blank: boolean, limit: number): void {
    switch (d.kind) {
      case "ConstDecl":
        this.#atomic(0, d, d.attributes, `const ${d.name.text}: ${printType(d.type)} = ${printExpr(d.value)};`, blank, limit);
        return;
      case "EnumDecl": {
        const keyword = d.flags ? "bits" : "enum";
        const base = d.base ? ` : ${printType(d.base)}` : "";
        const headerEnd = (d.base ?? d.name).span.end;
        this.#container(d, `${keyword} ${d.name.text}${base}`, headerEnd, d.members, blank, limit, (m, b, l) =>
          this.#atomic(1, m, m.attributes, `${m.name.text} = ${printExpr(m.value)},`, b, l),
        );
        return;
      }
      case "StructDecl":
        this.#container(d, `struct ${d.name.text}`, d.name.span.end, d.fields, blank, limit, (f, b, l) =>
          this.#atomic(1, f, f.attributes, `${f.name.text}: ${printType(f.type)};`, b, l),
        );
        return;
      case "InterfaceDecl":
        this.#container(
          d,
          `interface ${d.name.text} : ${d.rangeClass.text}`,
          d.rangeClass.span.end,
          d.members,
          blank,
          limit,
          (m, b, l) => this.#interfaceMember(m, b, l),
        );
        return;
      default:
        assertNever(d);
    }
  }

  #container<M extends { readonly doc?: ast.DocComment | null; readonly span: ast.Span }>(
    d: ast.Declaration,
    header: string,
    headerEnd: number,
    members: readonly M[],
    blank: boolean,
    limit: number,
    printMember: (m: M, blank: boolean, limit: number) => void,
  ): void {
    const out = this.#out;
    const open = this.#tokenAfter(headerEnd, LCurly);
    const close = d.span.end - 1;
    const hoisted = out.hoist(0, d.span.start, open, [], blank);
    const empty = members.length === 0 && !out.hasCommentIn(open, close);
    const lines = [...printDocLines(d.doc), ...d.attributes.map(printAttribute), `${header} {${empty ? "}" : ""}`];
    lines.forEach((l, i) => out.line(0, l, i === 0 && blank && !hoisted));
    if (!empty) {
      out.lastEnd = open + 1;
      out.trailing(open + 1, members[0] ? startOf(members[0]) : close);
      out.openBlock();
      members.forEach((m, i) => {
        const start = startOf(m);
        out.leading(1, start);
        printMember(m, out.blankBefore(start), members[i + 1] ? startOf(members[i + 1]!) : close);
      });
      out.leading(1, close);
      out.line(0, "}", false, "closing");
    }
    out.lastEnd = d.span.end;
    out.trailing(d.span.end, limit);
  }

  #interfaceMember(m: ast.InterfaceMember, blank: boolean, limit: number): void {
    switch (m.kind) {
      case "Method":
        this.#method(m, blank, limit);
        return;
      case "Reserved":
        this.#atomic(1, m, [], `reserved ${m.numbers.map(printExpr).join(", ")};`, blank, limit);
        return;
      case "Compose":
        this.#atomic(1, m, [], `compose ${printExpr(m.target)};`, blank, limit);
        return;
      default:
        assertNever(m);
    }
  }

  /**
   * A parameter list goes on one line, unless one of its parameters has a doc
   * comment or a comment sits among them: then one parameter a line.
   */
  #method(m: ast.Method, blank: boolean, limit: number): void {
    const out = this.#out;
    const request = this.#paramList(m.request, m.name.span.end);
    const reply = m.reply === null ? null : this.#paramList(m.reply, request.close + 1);
    const ordinal = m.ordinal ? ` = ${printExpr(m.ordinal)}` : "";
    const inline = (list: readonly ast.Field[]) => `(${list.map(printParam).join(", ")})`;
    if (!request.broken && !(reply?.broken ?? false)) {
      const replyText = m.reply === null ? "" : ` -> ${inline(m.reply)}`;
      this.#atomic(1, m, m.attributes, `${m.name.text}${inline(m.request)}${replyText}${ordinal};`, blank, limit);
      return;
    }
    const keep = [request.range, ...(reply ? [reply.range] : [])];
    const hoisted = out.hoist(1, m.span.start, m.span.end, keep, blank);
    const head = [...printDocLines(m.doc), ...m.attributes.map(printAttribute)];
    head.forEach((l, i) => out.line(1, l, i === 0 && blank && !hoisted));
    let firstLine = head.length === 0 && blank && !hoisted;
    let current = m.name.text;
    const lists: [readonly ast.Field[], typeof request][] = [[m.request, request]];
    if (m.reply !== null && reply !== null) lists.push([m.reply, reply]);
    lists.forEach(([params, list], i) => {
      if (i > 0) current += " -> ";
      if (!list.broken) {
        current += inline(params);
        return;
      }
      out.line(1, `${current}(`, firstLine);
      firstLine = false;
      out.lastEnd = list.range.start + 1;
      this.#params(params, list.range);
      current = ")";
    });
    out.line(1, `${current}${ordinal};`, firstLine, current.startsWith(")") ? "closing" : "node");
    out.lastEnd = m.span.end;
    out.trailing(m.span.end, limit);
  }

  /** Where a parameter list's parentheses are, and whether it must be printed one parameter a line. */
  #paramList(params: readonly ast.Field[], after: number): { range: ast.Span; close: number; broken: boolean } {
    const open = this.#tokenAfter(after, LParen);
    const last = params[params.length - 1];
    const close = this.#tokenAfter(last ? last.span.end : open + 1, RParen);
    const broken = params.some((p) => p.doc !== null) || this.#out.hasCommentIn(open, close);
    return { range: { start: open, end: close + 1 }, close, broken };
  }

  #params(params: readonly ast.Field[], range: ast.Span): void {
    const out = this.#out;
    out.trailing(range.start + 1, params[0] ? startOf(params[0]) : range.end - 1);
    out.openBlock();
    params.forEach((p, i) => {
      const start = startOf(p);
      out.leading(2, start);
      const limit = params[i + 1] ? startOf(params[i + 1]!) : range.end - 1;
      this.#atomic(2, p, [], `${printParam(p)},`, out.blankBefore(start), limit);
    });
    out.leading(2, range.end - 1);
  }
}
