/**
 * `npx tsx scripts/gen-system.ts`: generates `gen/` (not committed) from the
 * system's IDL, so that the emulator and the examples can import stubs:
 *
 *   idl/*.idl            -> gen/idl/*.ts              (one compilation)
 *   examples/NAME/*.idl  -> gen/examples/NAME/*.ts    (one compilation each)
 *
 * Modules land at their IDL file's path relative to the repository, under
 * gen/, and import the runtime as `doorkit/runtime`. Runs before tests,
 * start, benchmarks and CI's type-check. Exits 1 on any diagnostic error.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../compiler/compile.js";
import { renderText } from "../compiler/diagnostics/render.js";
import { emitTypeScript } from "../compiler/backends/typescript/emit.js";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const out = join(root, "gen");

function idlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".idl"))
    .sort()
    .map((f) => join(dir, f));
}

function groups(): string[][] {
  const list = [idlFiles(join(root, "idl"))];
  const examples = join(root, "examples");
  if (existsSync(examples)) {
    for (const name of readdirSync(examples).sort()) {
      if (statSync(join(examples, name)).isDirectory()) list.push(idlFiles(join(examples, name)));
    }
  }
  return list.filter((g) => g.length > 0);
}

/** The deepest directory holding every path (the root the IR's paths are relative to). */
function commonDirectory(paths: readonly string[]): string {
  const split = paths.map((p) => dirname(p).split("/"));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((s) => s[n] === first[n])) n++;
  return first.slice(0, n).join("/");
}

const host = {
  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
};

let failed = false;
let written = 0;
for (const group of groups()) {
  const result = compile(group, host);
  if (result.diagnostics.length > 0) process.stderr.write(renderText(result.diagnostics, result.sources, { color: false }));
  if (!result.ir) {
    failed = true;
    continue;
  }
  const base = relative(root, commonDirectory([...result.sources.keys()]));
  for (const [path, text] of emitTypeScript(result.ir)) {
    const target = join(out, base, path);
    if (existsSync(target) && readFileSync(target, "utf8") === text) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    written++;
  }
}
console.log(`gen: ${written} module(s) written under ${relative(process.cwd(), out) || "."}`);
process.exitCode = failed ? 1 : 0;
