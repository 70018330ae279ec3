/**
 * Diagnostics as data. Every error or warning the compiler can report is
 * defined once, in a catalogue file, with a stable number and a message
 * template; detection sites create a `Diagnostic` from a definition and typed
 * arguments, and `render.ts` alone turns it into text or JSON.
 *
 * Numbers are never reused: a retired definition stays in its catalogue.
 * Ranges: 1xxx syntax, 2xxx names and imports, 3xxx types and values,
 * 4xxx interfaces and function numbers, 5xxx layout and sizes.
 */
import type { Span } from "../syntax/ast.js";

export type Severity = "error" | "warning";

/** A location in a named source file. */
export interface Location {
  readonly file: string;
  readonly span: Span;
}

export interface DiagnosticDef<Args extends readonly unknown[]> {
  readonly code: number;
  /** PascalCase name that reads as a sentence, e.g. `ErrUnknownType`. */
  readonly name: string;
  readonly severity: Severity;
  /** `{0}`, `{1}`, ... are replaced by the arguments. */
  readonly template: string;
  /** Builds the diagnostic; `notes` point at related places (the earlier declaration, ...). */
  (location: Location | null, ...args: Args): Diagnostic;
}

export interface Note {
  readonly message: string;
  readonly location: Location | null;
}

export interface Diagnostic {
  readonly code: number;
  readonly name: string;
  readonly severity: Severity;
  readonly message: string;
  readonly args: readonly unknown[];
  readonly location: Location | null;
  readonly notes: readonly Note[];
}

/** `DK1001`: the code as users see and search for it. */
export function formatCode(code: number): string {
  return `DK${String(code).padStart(4, "0")}`;
}

function define<Args extends readonly unknown[]>(
  severity: Severity,
  code: number,
  name: string,
  template: string,
): DiagnosticDef<Args> {
  const make = (location: Location | null, ...args: Args): Diagnostic => ({
    code,
    name,
    severity,
    message: template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
    args,
    location,
    notes: [],
  });
  // A function's own `name` is read-only, so it is redefined rather than assigned.
  const props = { code, name, severity, template };
  for (const [key, value] of Object.entries(props)) Object.defineProperty(make, key, { value, enumerable: true });
  return make as DiagnosticDef<Args>;
}

export function defineError<Args extends readonly unknown[]>(
  code: number,
  name: string,
  template: string,
): DiagnosticDef<Args> {
  return define<Args>("error", code, name, template);
}

export function defineWarning<Args extends readonly unknown[]>(
  code: number,
  name: string,
  template: string,
): DiagnosticDef<Args> {
  return define<Args>("warning", code, name, template);
}

/** Returns a copy of `d` with a note attached. */
export function withNote(d: Diagnostic, message: string, location: Location | null): Diagnostic {
  return { ...d, notes: [...d.notes, { message, location }] };
}

/**
 * Collects diagnostics across a compilation so that each phase can keep going
 * after the first error and report everything it finds in one run.
 */
export class Reporter {
  readonly #diagnostics: Diagnostic[] = [];

  report(d: Diagnostic): void {
    this.#diagnostics.push(d);
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.#diagnostics;
  }

  get errorCount(): number {
    return this.#diagnostics.filter((d) => d.severity === "error").length;
  }

  /** Marks the current point; `noNewErrors()` then says whether a step added errors. */
  checkpoint(): { noNewErrors(): boolean } {
    const before = this.errorCount;
    return { noNewErrors: () => this.errorCount === before };
  }
}
