/**
 * Compiles an IDL file and writes its TypeScript stubs under gen/ (never
 * committed), importing the runtime by relative path; returns the URL of the
 * module for `file`, for a dynamic import. Tests and benchmarks use it to run
 * generated clients and servers on the emulator.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compile } from "../../../compiler/compile.js";
import { emitTypeScript } from "../../../compiler/backends/typescript/emit.js";

const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

export function generateStubs(idlPath: string, outName: string): string {
  const result = compile([idlPath], {
    readFile(path: string): string | undefined {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
  });
  if (result.ir === null) {
    throw new Error(`${idlPath} does not compile: ${result.diagnostics.map((d) => JSON.stringify(d)).join("\n")}`);
  }
  const out = join(root, "gen", outName);
  const runtime = relative(out, join(root, "runtime", "index.js")).split("\\").join("/");
  let main = "";
  for (const [path, text] of emitTypeScript(result.ir, { runtime })) {
    const target = join(out, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    if (basename(path, ".ts") === basename(idlPath, ".idl")) main = target;
  }
  return pathToFileURL(main).href;
}
