/**
 * Boots the noise image (fixtures/noise): a program sends the process
 * manager `count` random requests from `seed`, then checks it still answers.
 * Shared by procmgr-robustness.test.ts and `npm run fuzz -- procmgr`.
 */
import { fileURLToPath } from "node:url";
import { collectImage } from "../../../emulator/image/build.js";
import type { ImageContents } from "../../../emulator/image/format.js";
import { type BootResult, bootImage } from "../../../emulator/procmgr/boot.js";

const manifestPath = fileURLToPath(new URL("./fixtures/noise/manifest.json", import.meta.url));
let image: Promise<ImageContents> | null = null;

export async function runNoise(seed: number, count: number): Promise<BootResult> {
  image ??= collectImage(manifestPath);
  const base = await image;
  const programs = base.manifest.programs.map((p) => (p.name === "noise" ? { ...p, args: [String(seed), String(count), "/user/noise"] } : p));
  return bootImage({ ...base, manifest: { ...base.manifest, programs } }, { maxSteps: 100 * count + 10_000, seed });
}

/** Null when the run went as it must: the noise program saw a correct answer at the end, the manager alive. */
export function noiseProblem(result: BootResult): string | null {
  if (result.outcome.kind !== "exited" || result.outcome.status !== 0) return `outcome ${JSON.stringify(result.outcome)}`;
  const procmgr = result.kernel.processInfo(1);
  if (!procmgr || procmgr.state !== "live" || procmgr.fault !== null) return `process manager ${JSON.stringify(procmgr)}`;
  return null;
}
