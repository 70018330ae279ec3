/**
 * Random requests to the process manager are answered with an errno or a
 * normal reply; the manager neither crashes nor stops serving correctly.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { collectImage } from "../../../emulator/image/build.js";
import { bootImage } from "../../../emulator/procmgr/boot.js";

const manifestPath = fileURLToPath(new URL("./fixtures/noise/manifest.json", import.meta.url));

describe("the process manager under random requests", () => {
  it.each([1, 2, 3])("keeps serving with seed %i", async (seed) => {
    const image = await collectImage(manifestPath);
    const programs = image.manifest.programs.map((p) => (p.name === "noise" ? { ...p, args: [String(seed), "300", "/user/noise"] } : p));
    const result = await bootImage({ ...image, manifest: { ...image.manifest, programs } }, { maxSteps: 200_000, seed });
    expect(result.outcome).toEqual({ kind: "exited", status: 0 });
    const procmgr = result.kernel.processInfo(1);
    expect(procmgr).toMatchObject({ name: "procmgr", state: "live", fault: null });
  });
});
