import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeImage } from "../../../emulator/image/encode.js";
import { readImage } from "../../../emulator/image/read.js";
import { mutationProperty, reseal, sampleContents } from "./image-mutation.js";

const contents = sampleContents;

function errorOf(image: Uint8Array): string {
  const result = readImage(image);
  if (result.ok) throw new Error("expected the image to be refused");
  return result.error.message;
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

describe("image format", () => {
  it("reads back exactly what was encoded", () => {
    const original = contents();
    const image = encodeImage(original);
    const result = readImage(image);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.image).toEqual(original);
    expect(image.length % 4).toBe(0);
    expect(new TextDecoder().decode(image.subarray(0, 8))).toBe("DOORKIMG");
  });

  it("encodes the same contents to the same bytes", () => {
    expect(encodeImage(contents())).toEqual(encodeImage(contents()));
  });

  it("round-trips random program code and file contents", () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 5 }), (code, one, empty) => {
        const original = { ...contents(), programs: [code, "x"], files: [one, empty], interfaces: null };
        const result = readImage(encodeImage(original));
        expect(result.ok && result.image).toEqual(original);
      }),
      { numRuns: 100 },
    );
  });

  const image = encodeImage(contents());
  const cases: [string, () => Uint8Array, RegExp][] = [
    ["an empty file", () => new Uint8Array(0), /^truncated: 0 bytes is shorter than the 32-byte header$/],
    ["a truncated image", () => image.subarray(0, image.length - 4), /^truncated: the header says \d+ bytes, the file has \d+$/],
    ["trailing bytes", () => new Uint8Array([...image, 0, 0, 0, 0]), /^4 unexpected bytes after the end of the image/],
    ["a wrong magic", () => reseal(Object.assign(image.slice(), { 0: 0x58 })), /^not a doorkit image \(bad magic number\)$/],
    ["a newer version", () => { const b = image.slice(); view(b).setUint16(8, 2, true); return b; }, /^image format version 2 is not supported \(this doorkit reads version 1\)$/],
    ["a bad header size", () => { const b = image.slice(); view(b).setUint16(10, 64, true); return b; }, /^bad header size 64/],
    ["a damaged byte", () => { const b = image.slice(); b[b.length - 20] ^= 0xff; return b; }, /^checksum mismatch/],
    ["a huge section count", () => { const b = image.slice(); view(b).setUint32(12, 0xffffffff, true); return reseal(b); }, /^section table of 4294967295 entries does not fit/],
    ["an overflowing length", () => { const b = image.slice(); view(b).setUint32(32 + 12, 0xfffffff0, true); return reseal(b); }, /^section 0 \(4294967280 bytes at \d+\) runs past the end/],
    ["an offset past the end", () => { const b = image.slice(); view(b).setUint32(32 + 8, 0xfffffffc, true); return reseal(b); }, /^section 0 .* runs past the end/],
    ["an offset into the table", () => { const b = image.slice(); view(b).setUint32(32 + 8, 32, true); return reseal(b); }, /^section 0 starts at 32, inside the header/],
    ["an unknown section kind", () => { const b = image.slice(); view(b).setUint32(32 + 16, 9, true); return reseal(b); }, /^section 1 has unknown kind 9$/],
    ["overlapping sections", () => { const b = image.slice(); view(b).setUint32(32 + 16 + 8, view(b).getUint32(32 + 8, true), true); return reseal(b); }, /^sections overlap/],
    ["a duplicate program section", () => { const b = image.slice(); view(b).setUint32(32 + 32 + 4, 0, true); return reseal(b); }, /^two sections for program 'a'$/],
    ["a missing program", () => { const b = image.slice(); view(b).setUint32(12, 1, true); return reseal(b); }, /^program 'a' is missing from the image$/],
    ["a program index out of range", () => { const b = image.slice(); view(b).setUint32(32 + 32 + 4, 7, true); return reseal(b); }, /^program section with index 7, but the manifest lists only 2$/],
    ["no manifest", () => { const b = image.slice(); view(b).setUint32(32, 3, true); view(b).setUint32(32 + 4, 5, true); return reseal(b); }, /^an image has exactly one manifest section, this one has 0$/],
    ["reserved bytes set", () => { const b = image.slice(); b[30] = 1; return b; }, /^reserved header bytes are not zero$/],
  ];
  it.each(cases)("refuses %s with a clear error", (_name, make, message) => {
    expect(errorOf(make())).toMatch(message);
  });

  it("refuses a manifest that is not valid JSON or not a valid manifest", () => {
    const withManifest = (text: string) => {
      const c = contents();
      const good = encodeImage(c);
      const offset = view(good).getUint32(32 + 8, true);
      const length = view(good).getUint32(32 + 12, true);
      const b = good.slice();
      b.set(new TextEncoder().encode(text.padEnd(length, " ")), offset);
      return reseal(b);
    };
    const original = JSON.stringify(contents().manifest);
    expect(errorOf(withManifest(original.slice(0, 20)))).toMatch(/^the manifest is not valid JSON/);
    expect(errorOf(withManifest(original.replace('"init":"a"', '"init":"z"')))).toBe(
      "the image's manifest is invalid:\n$.init: init program 'z' is not among the programs",
    );
  });

  it("refuses program code that is not UTF-8", () => {
    const b = image.slice();
    const offset = view(b).getUint32(32 + 16 + 8, true);
    b[offset] = 0xff;
    expect(errorOf(reseal(b))).toBe("the code of program 'a' is not valid UTF-8");
  });

  it("never throws on random byte mutations of a valid image", () => {
    fc.assert(mutationProperty(image), { numRuns: 400 });
  });
});
