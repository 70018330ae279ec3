/**
 * The process manager's ramdisk_open, exit and identify in a running image
 * (fixtures/services): RAM-disk files mapped as read-only memory objects,
 * refused without `ramDisk`, their frames returned after the reader exits
 * and re-read under swap pressure; a process ended by `exit` with its
 * status; servers learning each client's uid from the cookie the manager
 * stamped, which no client can change, and no manager left holding a
 * stamped reference when a lookup's reply cannot be delivered.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { collectImage } from "../../../emulator/image/build.js";
import type { ImageContents } from "../../../emulator/image/format.js";
import { type BootOptions, type BootResult, bootImage } from "../../../emulator/procmgr/boot.js";

const manifestPath = fileURLToPath(new URL("./fixtures/services/manifest.json", import.meta.url));
let image: ImageContents;

beforeAll(async () => {
  image = await collectImage(manifestPath);
});

function statuses(r: BootResult): Record<string, number | "live"> {
  return Object.fromEntries(
    r.kernel.listProcesses().map((p) => [p.name, p.state === "exited" ? p.exitStatus : "live"] as const),
  );
}

/** The image with one program's arguments replaced, and optionally the RAM disk's one file. */
function variant(program: string, args: string[], file?: Uint8Array): ImageContents {
  const programs = image.manifest.programs.map((p) => (p.name === program ? { ...p, args } : p));
  return { ...image, manifest: { ...image.manifest, programs }, files: file ? [file] : image.files };
}

const boot = (i: ImageContents, options: BootOptions = {}) => bootImage(i, { maxSteps: 400_000, ...options });

describe("the process manager's services", () => {
  it.each([0, 3, 17])("gives every check the expected outcome (seed %i)", async (seed) => {
    const r = await boot(image, { seed });
    expect(r.faults).toEqual([]);
    expect(r.outcome).toEqual({ kind: "exited", status: 0 });
    expect(statuses(r)).toEqual({
      procmgr: "live",
      "id-server": "live",
      alice: 0,
      bob: 0,
      nobody: 0,
      reader: 0,
      snoop: 0,
      hostile: 0,
      init: 0,
      quitter: 23,
    });
  });

  it("gives the frames of a mapped RAM-disk file back when its reader exits", async () => {
    const read = await boot(image);
    const skipped = await boot(variant("reader", ["skip"]));
    expect(statuses(read).reader).toBe(0);
    expect(read.kernel.usedFrames).toBe(skipped.kernel.usedFrames);
  });

  it("re-reads RAM-disk pages dropped under swap pressure", async () => {
    const file = new Uint8Array(300 * 1024 + 123).map((_, i) => (i * 7 + (i >>> 12)) & 0xff);
    const options = { memoryBytes: 1 << 20, swapBytes: 8 << 20 };
    const r = await boot(variant("reader", ["read", "/data/blob.txt", "1024"], file), options);
    expect(r.faults).toEqual([]);
    expect(statuses(r).reader).toBe(0);
    expect(r.kernel.pager.pageOuts).toBeGreaterThan(0);
    expect(r.kernel.usedSwapSlots).toBe(0);
  });

  it("keeps no stamped reference of a lookup whose reply cannot be delivered, and keeps serving", async () => {
    const hostile = await boot(image);
    const quiet = await boot(variant("hostile", ["skip"]));
    expect(statuses(hostile)).toMatchObject({ procmgr: "live", hostile: 0, init: 0 });
    expect(hostile.kernel.descriptorsOf(1)).toHaveLength(quiet.kernel.descriptorsOf(1).length);
  });

  it("lists the RAM disk's files with their sizes, in pages of 8 following the cursor", async () => {
    const one = await boot(variant("reader", ["list", "1"]));
    expect(statuses(one).reader).toBe(0);
    const files = Array.from({ length: 19 }, (_, i) => ({ path: `/f/${"n".repeat(i * 3)}${i}`, source: "x" }));
    const bytes = files.map((_, i) => new Uint8Array(i * 100));
    const many: ImageContents = {
      ...image,
      manifest: {
        ...image.manifest,
        files,
        programs: image.manifest.programs.map((p) => (p.name === "reader" ? { ...p, args: ["list", "3"] } : p)),
      },
      files: bytes,
    };
    expect(statuses(await boot(many)).reader).toBe(0);
  });

  it("refuses ramdisk_open with EACCES to a program without ramDisk, whatever it asks for", async () => {
    const r = await boot(variant("snoop", ["noread", "/no/such/file"]));
    expect(statuses(r).snoop).toBe(0);
  });
});
