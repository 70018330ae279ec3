/**
 * `parseFile`: text of one `.idl` file → its AST and every syntax diagnostic
 * (DK1xxx). Pure: reads no files. Never throws on any input; after a syntax
 * error the AST is still whole in shape but may hold empty names and
 * expressions, so later phases should not run on a file with errors.
 */
import type { IRecognitionException, IToken } from "chevrotain";
import type * as ast from "./ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import * as catalog from "../diagnostics/catalog-syntax.js";
import { idlLexer, keywords, LAngle, LParen, RAngle, RParen, RShift, UnterminatedString } from "./tokens.js";
import { idlParser } from "./parser.js";
import { AstBuilder } from "./build-ast.js";
import { DocComments, tokenEnd } from "./doc-comments.js";

export interface ParseResult {
  readonly file: ast.File;
  readonly diagnostics: Diagnostic[];
}

export function parseFile(path: string, text: string): ParseResult {
  const lexed = idlLexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  const at = (start: number, end: number) => ({ file: path, span: { start, end } });

  for (const e of lexed.errors) {
    const offset = e.offset;
    diagnostics.push(catalog.ErrUnexpectedCharacter(at(offset, offset + (e.length || 1)), describeChar(text, offset)));
  }
  for (const t of lexed.groups["errors"] ?? []) {
    diagnostics.push(catalog.ErrUnterminatedComment(at(t.startOffset, t.startOffset + 2)));
  }

  const tooDeep = firstTooDeep(lexed.tokens);
  if (tooDeep) {
    // The parser recurses once per level: refuse before it runs out of stack.
    diagnostics.push(catalog.ErrNestingTooDeep(at(tooDeep.startOffset, tokenEnd(tooDeep)), MAX_NESTING));
    const comments = (lexed.groups["comments"] ?? []).map((t) => comment(t));
    const file: ast.File = { kind: "File", path, imports: [], declarations: [], comments, span: { start: 0, end: text.length } };
    return { file, diagnostics };
  }

  idlParser.input = lexed.tokens;
  const cst = idlParser.file();
  const parseErrors = idlParser.errors;

  const docs = new DocComments(lexed.groups["docs"] ?? [], lexed.tokens, text);
  const builder = new AstBuilder(path, text, docs);
  const { imports, declarations } = builder.file(cst);
  // An unterminated string swallowed the rest of its line, often the `;` the
  // parser then misses: that is the same mistake, reported once.
  const afterBrokenString = new Set<number>();
  lexed.tokens.forEach((token, i) => {
    if (token.tokenType === UnterminatedString) afterBrokenString.add(lexed.tokens[i + 1]?.startOffset ?? text.length);
  });
  const parseDiagnostics = syntaxErrors(parseErrors, path, text).filter(
    (d) => !afterBrokenString.has(d.location?.span.start ?? -1),
  );
  const reported = new Set(parseDiagnostics.map((d) => d.location?.span.start));
  diagnostics.push(
    ...parseDiagnostics,
    // Tokens left over by a failed declaration are already covered by its error.
    ...builder.diagnostics.filter(
      (d) => d.code !== catalog.ErrExpectedDeclaration.code || !reported.has(d.location?.span.start),
    ),
  );

  const firstToken = lexed.tokens[0]?.startOffset ?? Number.POSITIVE_INFINITY;
  const left = docs.leftOver(firstToken);
  for (const doc of left.detached) diagnostics.push(catalog.WarnDetachedDocComment(at(doc.span.start, doc.span.end)));

  const comments: ast.Comment[] = [
    ...(lexed.groups["comments"] ?? []).map((t) => comment(t)),
    ...left.comments,
  ].sort((a, b) => a.span.start - b.span.start);

  diagnostics.sort((a, b) => (a.location?.span.start ?? 0) - (b.location?.span.start ?? 0));
  const file: ast.File = {
    kind: "File",
    path,
    imports,
    declarations,
    comments,
    span: { start: 0, end: text.length },
  };
  return { file, diagnostics };
}

/** Deepest nesting of `(` and `<` a file may have; far beyond any real interface. */
export const MAX_NESTING = 64;

/** The first opening token nested more than `MAX_NESTING` deep, if any. */
function firstTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === LParen || type === LAngle) {
      depth++;
      if (depth > MAX_NESTING) return token;
    } else if (type === RParen || type === RAngle) depth = Math.max(0, depth - 1);
    else if (type === RShift) depth = Math.max(0, depth - 2);
  }
  return undefined;
}

function comment(t: IToken): ast.Comment {
  const block = t.image.startsWith("/*");
  return {
    kind: "Comment",
    text: block ? t.image : t.image.trimEnd(),
    block,
    span: { start: t.startOffset, end: tokenEnd(t) },
  };
}

/** One diagnostic per place: recovery can raise several errors at the same token. */
function syntaxErrors(errors: readonly IRecognitionException[], path: string, text: string): Diagnostic[] {
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const token = e.token;
    const atEnd = token.tokenType.name === "EOF" || !Number.isFinite(token.startOffset);
    const start = atEnd ? text.length : token.startOffset;
    if (seen.has(start)) continue;
    seen.add(start);
    const found = atEnd ? "end of file" : `'${token.image}'${keywordAsName(token, text) ? " (a keyword, not usable as a name)" : ""}`;
    const span = { start, end: atEnd ? start : tokenEnd(token) };
    out.push(catalog.ErrUnexpectedToken({ file: path, span }, e.message, found));
  }
  return out;
}

/** A keyword followed by `:`, `(` or `=`, where a field, parameter, method or member name goes. */
function keywordAsName(token: IToken, text: string): boolean {
  if (!keywords.has(token.tokenType)) return false;
  return /^\s*[:(=]/.test(text.slice(tokenEnd(token), tokenEnd(token) + 80));
}

function describeChar(text: string, offset: number): string {
  const code = text.codePointAt(offset) ?? 0;
  const c = String.fromCodePoint(code);
  if (code < 0x20 || code === 0x7f || /\s/.test(c)) return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${c}'`;
}
