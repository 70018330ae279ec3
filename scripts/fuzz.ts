/**
 * `npm run fuzz [-- NAME...] [--runs N]`: long fuzz and soak campaigns, kept out
 * of the test suite. Every `fuzz/*.fuzz.ts` (or those whose name contains a
 * NAME) runs in name order; each module's default export takes the number of
 * cases to run (its own default when none is given) and prints its figures.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const dir = fileURLToPath(new URL("../fuzz/", import.meta.url));
const argv = process.argv.slice(2);
const runsAt = argv.indexOf("--runs");
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : undefined;
if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) {
  console.error("--runs takes a positive whole number");
  process.exit(2);
}
const wanted = argv.filter((_, i) => runsAt < 0 || (i !== runsAt && i !== runsAt + 1));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".fuzz.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

if (files.length === 0) console.log("no fuzz campaigns match");
let failed = false;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as {
    default: (runs?: number) => Promise<boolean> | boolean;
  };
  const ok = await mod.default(runs);
  if (!ok) failed = true;
}
process.exitCode = failed ? 1 : 0;
