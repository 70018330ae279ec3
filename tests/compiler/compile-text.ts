/** Test helper: compiles in-memory files through `compile()`. */
import { compile, type CompileResult } from "../../compiler/compile.js";
import { formatCode } from "../../compiler/diagnostics/diagnostic.js";

export function compileText(files: Readonly<Record<string, string>> | string, entry = "main.idl"): CompileResult {
  const map = typeof files === "string" ? { [entry]: files } : files;
  return compile([entry], { readFile: (p) => (Object.hasOwn(map, p) ? map[p] : undefined) });
}

/** `DKnnnn message` of every diagnostic, in report order. */
export function messages(result: CompileResult): string[] {
  return result.diagnostics.map((d) => `${formatCode(d.code)} ${d.message}`);
}
