import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Io } from "../../../cli/command.js";
import { runImage } from "../../../cli/commands/run.js";
import { buildImage } from "../../../emulator/image/build.js";
import { compileInterfaces } from "../../../emulator/image/compile-interfaces.js";
import { readImage } from "../../../emulator/image/read.js";

const manifest = fileURLToPath(new URL("./fixtures/lease/manifest.json", import.meta.url));

describe("the trace of a call that lends a buffer", () => {
  it("shows the lease with its access, decoded through the image's interface", async () => {
    const read = readImage(await buildImage(manifest, { compileInterfaces }));
    if (!read.ok) throw new Error(read.error.message);
    const io: Io & { out: string } = { out: "", isTty: false, stdout: (t) => void (io.out += t), stderr: () => {} };
    const options = { seed: 0, memoryBytes: undefined, maxSteps: 10_000, trace: true, traceJson: null };
    expect(await runImage(read.image, options, io)).toBe(0);
    expect(io.out.split("\n")).toContainEqual(
      expect.stringMatching(/^#\d+ +client\(3\) -> fill-server\(2\) Fill\.fill\(value=7, buffer=lease\[#\d+,w\]\) -> count=0$/),
    );
  });
});
