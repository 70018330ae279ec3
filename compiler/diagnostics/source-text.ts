/**
 * Offsets → 1-based line and column, for messages and code frames. Columns
 * count UTF-16 code units, as spans do; `\r\n`, `\n` and `\r` all end a line.
 */
export interface Position {
  readonly line: number;
  readonly col: number;
}

export class SourceText {
  readonly #lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.#lineStarts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.#lineStarts.length;
  }

  /** `offset` is clamped to the text, so an end-of-file position is always valid. */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.#lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - this.#lineStarts[lo]! + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.#lineStarts[line - 1] ?? this.text.length;
    const next = this.#lineStarts[line] ?? this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, "");
  }
}
