/**
 * `npm run bench [-- NAME...]`: runs every `bench/*.bench.ts` (or those whose
 * file name contains one of the NAMEs) in name order. Each module's default
 * export runs its measurements and prints its own table, with baselines
 * measured in the same run.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

if (files.length === 0) console.log("no benchmarks match");
for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: () => Promise<void> | void };
  await mod.default();
}
