/**
 * Doc comment attachment. Consecutive `///` lines form a run; a run belongs to
 * the node whose first token (its first attribute, or its name or keyword)
 * starts on the very next line. The file's first run, when it comes before any
 * token and is not attached, is the file's own documentation; any other unattached run
 * is reported and kept as ordinary comments.
 */
import type { IToken } from "chevrotain";
import type { DocComment, Comment } from "./ast.js";

/** What lies between two consecutive lines: spaces and one line break of any kind. */
const oneLineBreak = /^[ \t]*(\r\n|\r|\n)[ \t]*$/;

interface DocRun {
  readonly doc: DocComment;
  readonly tokens: readonly IToken[];
  used: boolean;
}

export class DocComments {
  readonly #byNextToken = new Map<number, DocRun>();
  readonly #runs: DocRun[] = [];

  constructor(docTokens: readonly IToken[], parserTokens: readonly IToken[], text: string) {
    let current: IToken[] = [];
    const flush = (): void => {
      if (current.length > 0) this.#addRun(current, parserTokens, text);
      current = [];
    };
    for (const token of docTokens) {
      const last = current[current.length - 1];
      if (last && !oneLineBreak.test(text.slice(tokenEnd(last), token.startOffset))) flush();
      current.push(token);
    }
    flush();
  }

  #addRun(tokens: IToken[], parserTokens: readonly IToken[], text: string): void {
    const start = tokens[0]!.startOffset;
    const end = tokenEnd(tokens[tokens.length - 1]!);
    const lines = tokens.map((t) => t.image.slice(3).replace(/^ /, "").trimEnd());
    const run: DocRun = { doc: { kind: "DocComment", lines, span: { start, end } }, tokens, used: false };
    this.#runs.push(run);
    const next = firstTokenAtOrAfter(parserTokens, end);
    if (next && oneLineBreak.test(text.slice(end, next.startOffset))) {
      this.#byNextToken.set(next.startOffset, run);
    }
  }

  /** The doc comment of a node whose first token starts at `offset`, if any. */
  take(offset: number): DocComment | null {
    const run = this.#byNextToken.get(offset);
    if (!run || run.used) return null;
    run.used = true;
    return run.doc;
  }

  /** Runs no node took, as comments; `detached` lists those to report (not the file header). */
  leftOver(firstTokenOffset: number): { comments: Comment[]; detached: DocComment[] } {
    const comments: Comment[] = [];
    const detached: DocComment[] = [];
    for (const run of this.#runs) {
      if (run.used) continue;
      const isFileHeader = run === this.#runs[0] && run.doc.span.end <= firstTokenOffset;
      if (!isFileHeader) detached.push(run.doc);
      for (const t of run.tokens) {
        comments.push({
          kind: "Comment",
          text: t.image.trimEnd(),
          block: false,
          span: { start: t.startOffset, end: tokenEnd(t) },
        });
      }
    }
    return { comments, detached };
  }
}

export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

function firstTokenAtOrAfter(tokens: readonly IToken[], offset: number): IToken | undefined {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return tokens[lo];
}
