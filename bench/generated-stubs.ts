/**
 * Generates stubs for a benchmark's IDL into gen/bench/ (not committed) and
 * imports them, so that benchmarks measure the code `doorkit gen` writes.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compile } from "../compiler/compile.js";
import { emitTypeScript } from "../compiler/backends/typescript/emit.js";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function generatedStubs<T>(idl: string): Promise<T> {
  const result = compile([join(root, idl)], { readFile: (p) => readFileSync(p, "utf8") });
  if (!result.ir) throw new Error(`${idl}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  let main = "";
  for (const [path, text] of emitTypeScript(result.ir)) {
    const target = join(root, "gen", "bench", path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    if (main === "") main = target;
  }
  return (await import(pathToFileURL(main).href)) as T;
}
