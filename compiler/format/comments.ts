/**
 * The formatter's output lines and its ordinary comments. Every comment of the
 * file is printed exactly once, in source order where the layout allows:
 * on its own line before the next thing printed (leading), or at the end of
 * the line whose source it shares (trailing). A comment inside a construct
 * printed on one line moves to its own line just before that construct.
 */
import type * as ast from "../syntax/ast.js";

const INDENT = "    ";

export type LineKind = "node" | "comment" | "import" | "closing";

export class Output {
  readonly lines: string[] = [];
  /** Sorted by start offset; `#cursor` is the first one not yet printed. */
  readonly #comments: readonly ast.Comment[];
  readonly #emitted: boolean[];
  #cursor = 0;
  /** Source offset where the last printed thing ended: blank lines are judged from here. */
  lastEnd = 0;
  /** The last line printed was a `///` comment that no node owns: keep a blank after it. */
  #afterLooseDoc = false;
  /** Where the loose `///` comment on the last line printed ended in the source, if it is one. */
  #lastLineDocEnd: number | null = null;
  /** Nothing printed yet in the current block: no blank line may open it. */
  #blockStart = true;

  constructor(
    readonly text: string,
    comments: readonly ast.Comment[],
  ) {
    this.#comments = comments;
    this.#emitted = comments.map(() => false);
  }

  /** Whether the source has a blank line between `lastEnd` and `offset`. */
  blankBefore(offset: number): boolean {
    const between = this.text.slice(this.lastEnd, Math.max(this.lastEnd, offset));
    return (between.match(/\r\n|\r|\n/g)?.length ?? 0) >= 2;
  }

  /**
   * Starts a new line; `blank` asks for an empty line before it. A `closing`
   * line (`}`, `)`) never gets one; only a `node` line (one a doc comment could
   * attach to) gets one after a loose `///` comment, to keep it loose.
   */
  line(depth: number, text: string, blank = false, kind: LineKind = "node"): void {
    const wantBlank = blank || (this.#afterLooseDoc && kind === "node");
    if (this.lines.length > 0 && !this.#blockStart && kind !== "closing" && wantBlank) this.lines.push("");
    this.lines.push(text === "" ? "" : INDENT.repeat(depth) + text);
    this.#afterLooseDoc = false;
    this.#lastLineDocEnd = null;
    this.#blockStart = false;
  }

  /** After an opening brace or parenthesis: the next line gets no blank before it. */
  openBlock(): void {
    this.#blockStart = true;
  }

  append(text: string): void {
    this.lines[this.lines.length - 1] += text;
  }

  /** Comments that start before `limit` and are not printed yet, each on its own line. */
  leading(depth: number, limit: number, forceBlankFirst = false): boolean {
    let first = true;
    for (let i = this.#cursor; i < this.#comments.length; i++) {
      const c = this.#comments[i]!;
      if (c.span.start >= limit) break;
      if (this.#emitted[i]) continue;
      const blank = this.blankBefore(c.span.start) || (first && forceBlankFirst);
      this.#print(i, depth, blank);
      first = false;
    }
    this.#advance();
    return !first;
  }

  /** Comments on the same source line as `after`, before `limit`: appended to the last line. */
  trailing(after: number, limit: number): void {
    for (let i = this.#cursor; i < this.#comments.length; i++) {
      const c = this.#comments[i]!;
      if (c.span.start >= limit) break;
      if (this.#emitted[i] || c.span.start < after) continue;
      if (/[\r\n]/.test(this.text.slice(after, c.span.start))) break;
      this.append(` ${c.text}`);
      this.#emitted[i] = true;
      this.lastEnd = c.span.end;
      after = c.span.end;
    }
    this.#advance();
  }

  /** Whether any unprinted comment starts in `[start, end)`. */
  hasCommentIn(start: number, end: number): boolean {
    for (let i = this.#cursor; i < this.#comments.length; i++) {
      const c = this.#comments[i]!;
      if (c.span.start >= end) break;
      if (!this.#emitted[i] && c.span.start >= start) return true;
    }
    return false;
  }

  /**
   * Prints now, each on its own line, the unprinted comments in `[start, end)`
   * outside `keep`; the first gets a blank line before it if `blank`. Returns
   * whether it printed any (then the blank is used up).
   */
  hoist(depth: number, start: number, end: number, keep: readonly ast.Span[], blank: boolean): boolean {
    let printed = false;
    for (let i = this.#cursor; i < this.#comments.length; i++) {
      const c = this.#comments[i]!;
      if (c.span.start >= end) break;
      if (this.#emitted[i] || c.span.start < start) continue;
      if (keep.some((k) => c.span.start >= k.start && c.span.start < k.end)) continue;
      this.#print(i, depth, blank && !printed);
      printed = true;
    }
    this.#advance();
    return printed;
  }

  #print(i: number, depth: number, blank: boolean): void {
    const c = this.#comments[i]!;
    const isDoc = !c.block && c.text.startsWith("///");
    const previousDoc = this.#lastLineDocEnd;
    // Two loose `///` runs that were apart in the source stay apart (one run each).
    const apart = previousDoc !== null && !/^[ \t]*(\r\n|\r|\n)[ \t]*$/.test(this.text.slice(previousDoc, c.span.start));
    const loose = this.#afterLooseDoc;
    this.line(depth, c.text, blank || (isDoc && apart), "comment");
    this.#afterLooseDoc = loose || isDoc;
    this.#lastLineDocEnd = isDoc ? c.span.end : null;
    this.#emitted[i] = true;
    this.lastEnd = c.span.end;
  }

  #advance(): void {
    while (this.#cursor < this.#comments.length && this.#emitted[this.#cursor]) this.#cursor++;
  }
}
