/**
 * The IR of the system's own interfaces (idl/kernel.idl, idl/procmgr.idl),
 * which every trace decodes with, compiled from the files beside the
 * emulator once per process.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "../../compiler/compile.js";
import type { Ir } from "../../compiler/ir/ir.js";

let cached: Ir | null = null;

export function systemIr(): Ir {
  if (cached) return cached;
  const dir = fileURLToPath(new URL("../../idl/", import.meta.url));
  const result = compile([`${dir}kernel.idl`, `${dir}procmgr.idl`], {
    readFile(path) {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
  });
  if (!result.ir) {
    throw new Error(`the system IDL does not compile: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  }
  cached = result.ir;
  return cached;
}
