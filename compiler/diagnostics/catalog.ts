/**
 * Every diagnostic definition of the compiler, one catalogue per range. A test
 * keeps this list, docs/diagnostics.md and the bad fixtures in step.
 */
import type { DiagnosticDef } from "./diagnostic.js";
import { syntaxDiagnostics } from "./catalog-syntax.js";
import { checkDiagnostics } from "./catalog-check.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const allDiagnostics: readonly DiagnosticDef<any>[] = [...syntaxDiagnostics, ...checkDiagnostics];
