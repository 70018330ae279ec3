/**
 * The TypeScript back end: IR -> one module per IDL file, keyed by its path
 * relative to the output directory (`idl/kernel.idl` -> `idl/kernel.ts`).
 * Pure: no file system access besides loading its templates once.
 */
import type { Ir } from "../../ir/ir.js";
import { renderModule } from "./templates.js";
import { type EmitOptions, moduleViews } from "./view-model.js";

export type { EmitOptions } from "./view-model.js";
export { EmitError } from "./emit-error.js";

export function emitTypeScript(ir: Ir, options: EmitOptions = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const view of moduleViews(ir, options)) out.set(view.path, renderModule(view));
  return out;
}
