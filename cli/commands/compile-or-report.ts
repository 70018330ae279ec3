/**
 * Shared by the commands that need a valid program: compiles through the fs
 * host, prints the diagnostics (warnings too), and gives the IR or null.
 */
import type { Io } from "../command.js";
import { compile } from "../../compiler/compile.js";
import { renderText } from "../../compiler/diagnostics/render.js";
import type { Ir } from "../../compiler/ir/ir.js";
import { fsHost } from "../fs-host.js";

export function compileOrReport(files: readonly string[], io: Io): Ir | null {
  const result = compile(files, fsHost);
  if (result.diagnostics.length > 0) io.stderr(renderText(result.diagnostics, result.sources, { color: io.isTty }));
  return result.ir;
}
