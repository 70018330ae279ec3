/**
 * The image reader's robustness property, shared by the suite
 * (image-format.test.ts, at a small count) and `npm run fuzz -- image`: a
 * valid image with random bytes changed, cut short, and with or without its
 * checksum fixed, is either read or refused with a message, never thrown on.
 */
import { crc32 } from "node:zlib";
import fc from "fast-check";
import { encodeImage } from "../../../emulator/image/encode.js";
import type { ImageContents } from "../../../emulator/image/format.js";
import { readImage } from "../../../emulator/image/read.js";
import { validateManifest } from "../../../emulator/image/validate-manifest.js";

export function sampleContents(): ImageContents {
  const result = validateManifest({
    manifestVersion: 1,
    name: "t",
    init: "a",
    programs: [
      { name: "a", source: "a.ts", domain: "d", serves: { "/user/a": "A" } },
      { name: "b", source: "b.ts", domain: "d", autostart: false },
    ],
    policy: { types: ["t_t"], domains: { d: { createIpc: true, names: ["/user"], reach: ["t_t"], objectType: "t_t" }, bare: {} } },
    files: [
      { path: "/etc/one", source: "one" },
      { path: "/etc/empty", source: "empty" },
    ],
  });
  if (!result.ok) throw new Error("sample manifest is invalid");
  return {
    manifest: result.manifest,
    programs: ["export default async () => 0;\n", "export default async () => 'ü'.length;\n"],
    files: [new Uint8Array([1, 2, 3, 255, 0]), new Uint8Array(0)],
    interfaces: { irVersion: 1, files: [] },
  };
}

/** Rewrites the checksum so that a deliberately changed image reaches the deeper checks. */
export function reseal(image: Uint8Array): Uint8Array {
  const copy = image.slice();
  if (copy.length >= 32) new DataView(copy.buffer).setUint32(20, crc32(copy.subarray(32)), true);
  return copy;
}

export function mutationProperty(image: Uint8Array) {
  return fc.property(
    fc.array(fc.tuple(fc.nat(image.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    fc.boolean(),
    fc.option(fc.nat(image.length), { nil: undefined }),
    (edits, fixChecksum, cut) => {
      let b: Uint8Array = image.slice(0, cut ?? image.length);
      for (const [at, value] of edits) if (at < b.length) b[at] = value;
      if (fixChecksum) b = reseal(b);
      const result = readImage(b);
      if (!result.ok && result.error.message.length === 0) throw new Error("refused without a message");
    },
  );
}

export function sampleImage(): Uint8Array {
  return encodeImage(sampleContents());
}
