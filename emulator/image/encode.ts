/**
 * Lays out an image's contents in the format of `format.ts`. Pure: the
 * caller has already read, bundled and validated everything.
 */
import { crc32 } from "node:zlib";
import {
  type ImageContents,
  HEADER_SIZE,
  IMAGE_FORMAT_VERSION,
  IMAGE_MAGIC,
  SECTION_ENTRY_SIZE,
  SectionKind,
  align4,
} from "./format.js";

interface Section {
  readonly kind: SectionKind;
  readonly index: number;
  readonly bytes: Uint8Array;
}

const MAX_IMAGE_SIZE = 0xffff_ffff;

export function encodeImage(contents: ImageContents): Uint8Array {
  if (contents.programs.length !== contents.manifest.programs.length) {
    throw new Error("encodeImage: one code module per manifest program expected");
  }
  if (contents.files.length !== contents.manifest.files.length) {
    throw new Error("encodeImage: one byte array per manifest file expected");
  }
  const utf8 = new TextEncoder();
  const sections: Section[] = [
    { kind: SectionKind.MANIFEST, index: 0, bytes: utf8.encode(JSON.stringify(contents.manifest)) },
  ];
  contents.programs.forEach((code, index) =>
    sections.push({ kind: SectionKind.PROGRAM, index, bytes: utf8.encode(code) }),
  );
  contents.files.forEach((bytes, index) => sections.push({ kind: SectionKind.FILE, index, bytes }));
  if (contents.interfaces) {
    sections.push({ kind: SectionKind.INTERFACES, index: 0, bytes: utf8.encode(JSON.stringify(contents.interfaces)) });
  }

  let size = HEADER_SIZE + SECTION_ENTRY_SIZE * sections.length;
  const offsets = sections.map((s) => {
    const at = align4(size);
    size = at + s.bytes.length;
    return at;
  });
  size = align4(size);
  if (size > MAX_IMAGE_SIZE) throw new RangeError(`image too large: ${size} bytes (the format holds at most 4 GiB)`);

  const image = new Uint8Array(size);
  const view = new DataView(image.buffer);
  image.set(utf8.encode(IMAGE_MAGIC), 0);
  view.setUint16(8, IMAGE_FORMAT_VERSION, true);
  view.setUint16(10, HEADER_SIZE, true);
  view.setUint32(12, sections.length, true);
  view.setUint32(16, size, true);
  sections.forEach((s, i) => {
    const entry = HEADER_SIZE + i * SECTION_ENTRY_SIZE;
    view.setUint32(entry, s.kind, true);
    view.setUint32(entry + 4, s.index, true);
    view.setUint32(entry + 8, offsets[i], true);
    view.setUint32(entry + 12, s.bytes.length, true);
    image.set(s.bytes, offsets[i]);
  });
  view.setUint32(20, crc32(image.subarray(HEADER_SIZE)), true);
  return image;
}
