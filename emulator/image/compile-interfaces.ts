/**
 * Compiles the manifest's IDL files into the one IR an image carries for
 * its trace. Reads the host's files; gives the IR, or the diagnostics
 * rendered with code frames.
 */
import { readFileSync } from "node:fs";
import { compile } from "../../compiler/compile.js";
import type { Ir } from "../../compiler/ir/ir.js";
import { renderText } from "../../compiler/diagnostics/render.js";

export async function compileInterfaces(paths: readonly string[]): Promise<Ir | string> {
  const result = compile(paths, {
    readFile(path) {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
  });
  if (result.ir && !result.diagnostics.some((d) => d.severity === "error")) return result.ir;
  return renderText(result.diagnostics, result.sources, { color: false });
}
