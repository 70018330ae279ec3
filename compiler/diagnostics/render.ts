/**
 * The one place diagnostics become text. `renderText` prints
 * `path:line:col: error[DK1006]: message` and a code frame with a gutter and
 * `^~~~` under the span (first line of a multi-line span), then each note the
 * same way, with a blank line between diagnostics; `renderJson` gives the same facts as data (docs/diagnostics.md).
 * Lines and columns are 1-based; `endLine`/`endCol` is the position just
 * after the span.
 */
import { type Diagnostic, type Location, formatCode } from "./diagnostic.js";
import { SourceText } from "./source-text.js";

export interface RenderOptions {
  readonly color: boolean;
}

export interface JsonNote {
  readonly message: string;
  readonly path: string | null;
  readonly startLine: number | null;
  readonly startCol: number | null;
  readonly endLine: number | null;
  readonly endCol: number | null;
}

export interface JsonDiagnostic extends JsonNote {
  readonly code: string;
  readonly name: string;
  readonly severity: "error" | "warning";
  readonly notes: readonly JsonNote[];
}

const TAB = "    ";

class Sources {
  readonly #cache = new Map<string, SourceText>();
  constructor(readonly texts: ReadonlyMap<string, string>) {}

  get(file: string): SourceText | undefined {
    let source = this.#cache.get(file);
    if (source === undefined) {
      const text = this.texts.get(file);
      if (text === undefined) return undefined;
      source = new SourceText(text);
      this.#cache.set(file, source);
    }
    return source;
  }
}

function paint(color: boolean, code: string, text: string): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

export function renderText(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: RenderOptions,
): string {
  const s = new Sources(sources);
  const parts = diagnostics.map((d) => {
    const label = d.severity === "error" ? paint(options.color, "1;31", "error") : paint(options.color, "1;33", "warning");
    const head = `${label}[${formatCode(d.code)}]: ${paint(options.color, "1", d.message)}`;
    let out = block(s, d.location, head, options);
    for (const note of d.notes) out += block(s, note.location, `${paint(options.color, "1;36", "note")}: ${note.message}`, options);
    return out;
  });
  // A blank line between diagnostics, as rustc and tsc print them.
  return parts.join("\n");
}

/** One message line and, when its source is known, the frame under it. */
function block(s: Sources, location: Location | null, head: string, options: RenderOptions): string {
  if (location === null) return `${head}\n`;
  const source = s.get(location.file);
  if (source === undefined) return `${location.file}: ${head}\n`;
  const start = source.position(location.span.start);
  return `${location.file}:${start.line}:${start.col}: ${head}\n${frame(source, location, options)}`;
}

/** Longest source line shown whole; a longer one is cut to a window around the span. */
const MAX_SHOWN = 160;
const CONTEXT = 60;

function frame(source: SourceText, location: Location, options: RenderOptions): string {
  const start = source.position(location.span.start);
  const end = source.position(location.span.end);
  let lineText = source.lineText(start.line);
  let startCol = start.col;
  let lastCol = end.line === start.line ? end.col : lineText.length + 1;
  if (lineText.length > MAX_SHOWN) {
    const from = Math.max(0, startCol - 1 - CONTEXT);
    const to = Math.min(lineText.length, Math.max(lastCol - 1, startCol) + CONTEXT);
    const head = from > 0 ? "..." : "";
    lineText = head + lineText.slice(from, to) + (to < lineText.length ? "..." : "");
    startCol = startCol - from + head.length;
    lastCol = Math.min(lastCol - from + head.length, lineText.length + 1);
  }
  const before = lineText.slice(0, startCol - 1).replaceAll("\t", TAB);
  const inside = lineText.slice(startCol - 1, lastCol - 1).replaceAll("\t", TAB);
  const width = Math.max(1, inside.length);
  const gutter = String(start.line).length;
  const bar = paint(options.color, "1;34", `${" ".repeat(gutter + 1)}|`);
  const number = paint(options.color, "1;34", `${start.line} |`);
  const marker = paint(options.color, "1;32", `^${"~".repeat(width - 1)}`);
  const shown = lineText.replaceAll("\t", TAB);
  return `${bar}\n${number}${shown ? ` ${shown}` : ""}\n${bar} ${" ".repeat(before.length)}${marker}\n`;
}

function jsonPlace(s: Sources, location: Location | null): Omit<JsonNote, "message"> {
  const source = location ? s.get(location.file) : undefined;
  if (!location || !source) {
    return { path: location?.file ?? null, startLine: null, startCol: null, endLine: null, endCol: null };
  }
  const start = source.position(location.span.start);
  const end = source.position(location.span.end);
  return { path: location.file, startLine: start.line, startCol: start.col, endLine: end.line, endCol: end.col };
}

export function toJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): JsonDiagnostic[] {
  const s = new Sources(sources);
  return diagnostics.map((d) => ({
    code: formatCode(d.code),
    name: d.name,
    severity: d.severity,
    message: d.message,
    ...jsonPlace(s, d.location),
    notes: d.notes.map((n) => ({ message: n.message, ...jsonPlace(s, n.location) })),
  }));
}

/** `toJson` as text: a JSON array, two-space indented, with a final newline. */
export function renderJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return `${JSON.stringify(toJson(diagnostics, sources), null, 2)}\n`;
}
