/**
 * The syntax layer's properties, as plain predicates shared by the test suite
 * (modest counts) and fuzz/syntax.fuzz.ts (long campaigns). Each returns
 * `null` when the property holds, or a description of the failure.
 */
import { parseFile } from "../../../compiler/syntax/index.js";
import { formatText } from "../../../compiler/format/format.js";
import { renderJson, renderText } from "../../../compiler/diagnostics/render.js";
import { compile } from "../../../compiler/compile.js";
import { WarnDetachedDocComment } from "../../../compiler/diagnostics/catalog-syntax.js";

/** The AST without spans and comments, as text: what a file means to the compiler. */
export function meaning(text: string): string {
  const { file } = parseFile("t.idl", text);
  return JSON.stringify({ imports: file.imports, declarations: file.declarations }, (key, value: unknown) => {
    if (key === "span") return undefined;
    return typeof value === "bigint" ? `${value}n` : value;
  });
}

/**
 * Parsing and rendering never throw, every diagnostic lies inside the text,
 * and the parser never gives up on the rest of a file ("expected end of file").
 */
export function parsesWithoutThrowing(text: string): string | null {
  let result;
  try {
    result = parseFile("t.idl", text);
    renderText(result.diagnostics, new Map([["t.idl", text]]), { color: true });
    renderJson(result.diagnostics, new Map([["t.idl", text]]));
  } catch (error) {
    return `threw: ${error instanceof Error ? error.stack : String(error)}`;
  }
  for (const d of result.diagnostics) {
    if (d.message.startsWith("expected end of file")) return `the parser gave up at ${d.location?.span.start}`;
    const span = d.location?.span;
    if (!span || !(span.start >= 0 && span.start <= span.end && span.end <= text.length)) {
      return `diagnostic ${d.code} has a bad location ${JSON.stringify(span)}`;
    }
  }
  return null;
}

/** A grammatical file parses without errors; formatting it is idempotent and keeps its meaning. */
export function formatsFaithfully(text: string): string | null {
  const first = formatText("t.idl", text);
  if (first.kind !== "formatted") {
    return `grammatical input refused: ${first.diagnostics.map((d) => d.message).join("; ")}`;
  }
  const second = formatText("t.idl", first.text);
  if (second.kind !== "formatted") return `formatted output does not parse: ${second.diagnostics[0]?.message}`;
  if (second.text !== first.text) return "formatting is not idempotent";
  if (meaning(first.text) !== meaning(text)) return "formatting changed the meaning";
  const before = parseFile("t.idl", text).file.comments.length;
  const after = parseFile("t.idl", first.text).file.comments.length;
  if (before !== after) return `formatting lost or added comments (${before} → ${after})`;
  return null;
}

/** On any text, formatting either refuses (syntax errors) or is faithful. */
export function formatsOrRefuses(text: string): string | null {
  try {
    const result = formatText("t.idl", text);
    return result.kind === "syntax-errors" ? null : formatsFaithfully(text);
  } catch (error) {
    return `threw: ${error instanceof Error ? error.stack : String(error)}`;
  }
}

/**
 * What the whole compiler makes of one file: its IR without positions, or its
 * diagnostic codes. Detached doc comment warnings are left out: a comment the
 * formatter moves out of a one-line construct may become the file's header.
 */
function compilerView(text: string): string {
  const result = compile(["t.idl"], { readFile: (p) => (p === "t.idl" ? text : undefined) });
  if (result.ir !== null) return JSON.stringify(result.ir, (key, value: unknown) => (key === "location" ? undefined : value));
  return result.diagnostics
    .filter((d) => d.code !== WarnDetachedDocComment.code)
    .map((d) => d.code)
    .sort()
    .join(" ");
}

/** Formatting a grammatical file changes nothing the compiler sees: same IR, or same diagnostics. */
export function formatKeepsCompilerView(text: string): string | null {
  const result = formatText("t.idl", text);
  if (result.kind !== "formatted") return null;
  const before = compilerView(text);
  const after = compilerView(result.text);
  return before === after ? null : `the compiler sees the file differently after formatting: ${before} → ${after}`;
}
