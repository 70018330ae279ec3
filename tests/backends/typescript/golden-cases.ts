/**
 * The golden cases of the TypeScript back end: IDL entry files, compiled and
 * emitted with the default runtime specifier (`doorkit/runtime`, which
 * package.json maps to runtime/index.ts), so that the goldens are importable
 * modules for the other tests.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "../../../compiler/index.js";
import { emitTypeScript } from "../../../compiler/backends/typescript/emit.js";

export const root = fileURLToPath(new URL("../../../", import.meta.url));
export const goldenDir = fileURLToPath(new URL("./golden/", import.meta.url));

export const cases: Readonly<Record<string, readonly string[]>> = {
  kernel: ["idl/kernel.idl"],
  procmgr: ["idl/procmgr.idl"],
  echo: ["examples/echo/echo.idl"],
  nested: ["tests/backends/typescript/fixtures/nested/app/draw.idl"],
  "all-types": ["tests/backends/typescript/fixtures/all-types.idl"],
};


export function generate(entries: readonly string[]): Map<string, string> {
  const result = compile(
    entries.map((e) => root + e),
    {
      readFile: (p) => {
        try {
          return readFileSync(p, "utf8");
        } catch {
          return undefined;
        }
      },
    },
  );
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return emitTypeScript(result.ir);
}
