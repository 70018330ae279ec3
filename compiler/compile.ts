/**
 * The compiler's table of contents: entry files → import closure (parsed) →
 * symbols → checked model → layout → IR. Pure: all input comes through the
 * host, all output is the result. A phase runs only when the ones before it
 * reported no errors, so later phases never see a half-checked program.
 */
import { Reporter, type Diagnostic } from "./diagnostics/diagnostic.js";
import { type CompilerHost, loadFiles } from "./check/import-step.js";
import { checkFiles } from "./check/check.js";
import { layoutModel } from "./layout/layout-step.js";
import { emitIr } from "./ir/emit-ir.js";
import type { Ir } from "./ir/ir.js";

export type { CompilerHost } from "./check/import-step.js";

export interface CompileResult {
  readonly ir: Ir | null;
  readonly diagnostics: Diagnostic[];
  /** Text of every file read, by path, for rendering diagnostics. */
  readonly sources: Map<string, string>;
}

export function compile(entryPaths: readonly string[], host: CompilerHost): CompileResult {
  const reporter = new Reporter();
  const { files, imports, sources } = loadFiles(entryPaths, host, reporter);
  const done = (ir: Ir | null = null): CompileResult => ({ ir, diagnostics: [...reporter.diagnostics], sources });
  if (reporter.errorCount > 0) return done();
  const model = checkFiles(files, imports, reporter);
  if (reporter.errorCount > 0) return done();
  const layout = layoutModel(model, reporter);
  if (reporter.errorCount > 0) return done();
  return done(emitIr(model, layout, sources));
}
