/**
 * Reads an image file (bytes from anywhere) into its contents. It trusts
 * nothing: every header field, length and offset is checked, overflow
 * included, before anything is sliced or decoded, and every failure leaves
 * through the one `fail` path as an `ImageError` naming what is wrong.
 *
 * NOTE: these checks are what stands between a damaged or hostile file and
 * the emulator. Think carefully before loosening any of them.
 */
import { crc32 } from "node:zlib";
import { IR_VERSION, type Ir } from "../../compiler/ir/ir.js";
import {
  type ImageContents,
  HEADER_SIZE,
  IMAGE_FORMAT_VERSION,
  IMAGE_MAGIC,
  SECTION_ENTRY_SIZE,
  SectionKind,
} from "./format.js";
import { checkIrShape } from "./check-ir.js";
import { formatProblems, validateManifest } from "./validate-manifest.js";

export interface ImageError {
  readonly message: string;
}

export type ReadResult =
  { readonly ok: true; readonly image: ImageContents } | { readonly ok: false; readonly error: ImageError };

/** Thrown only inside this module and caught by `readImage`. */
class ImageFailure extends Error {}

function fail(message: string): never {
  throw new ImageFailure(message);
}

interface SectionEntry {
  readonly kind: number;
  readonly index: number;
  readonly offset: number;
  readonly length: number;
}

const sectionNames: Record<number, string> = {
  [SectionKind.MANIFEST]: "manifest",
  [SectionKind.PROGRAM]: "program",
  [SectionKind.FILE]: "file",
  [SectionKind.INTERFACES]: "interfaces",
};

export function readImage(bytes: Uint8Array): ReadResult {
  try {
    return { ok: true, image: decode(bytes) };
  } catch (error) {
    if (error instanceof ImageFailure) return { ok: false, error: { message: error.message } };
    throw error;
  }
}

function decode(bytes: Uint8Array): ImageContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table = readHeader(bytes, view);
  const sections = readSectionTable(view, table);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const text = (s: SectionEntry, what: string): string => {
    try {
      return utf8.decode(bytes.subarray(s.offset, s.offset + s.length));
    } catch {
      return fail(`${what} is not valid UTF-8`);
    }
  };
  const json = (s: SectionEntry, what: string): unknown => {
    try {
      return JSON.parse(text(s, what));
    } catch (error) {
      if (error instanceof ImageFailure) throw error;
      return fail(`${what} is not valid JSON: ${(error as Error).message}`);
    }
  };

  const manifests = sections.filter((s) => s.kind === SectionKind.MANIFEST);
  if (manifests.length !== 1) fail(`an image has exactly one manifest section, this one has ${manifests.length}`);
  const checked = validateManifest(json(manifests[0], "the manifest"));
  if (!checked.ok) fail(`the image's manifest is invalid:\n${formatProblems(checked.problems)}`);
  const manifest = checked.manifest;

  const programs = collect(
    sections,
    SectionKind.PROGRAM,
    manifest.programs.length,
    (i) => `program '${manifest.programs[i].name}'`,
  );
  const files = collect(sections, SectionKind.FILE, manifest.files.length, (i) => `file '${manifest.files[i].path}'`);
  const irSections = sections.filter((s) => s.kind === SectionKind.INTERFACES);
  if (irSections.length > 1) fail("an image has at most one interfaces section");
  const interfaces = irSections.length === 1 ? checkIr(json(irSections[0], "the interfaces section")) : null;
  if (manifest.interfaces.length > 0 && interfaces === null) {
    fail("the manifest names interfaces but the image has no interfaces section");
  }

  return {
    manifest,
    programs: programs.map((s, i) => text(s, `the code of program '${manifest.programs[i].name}'`)),
    files: files.map((s) => bytes.slice(s.offset, s.offset + s.length)),
    interfaces,
  };
}

/** Checks the fixed header; returns the section count. */
function readHeader(bytes: Uint8Array, view: DataView): number {
  if (bytes.length < HEADER_SIZE) {
    fail(`truncated: ${bytes.length} bytes is shorter than the ${HEADER_SIZE}-byte header`);
  }
  for (let i = 0; i < IMAGE_MAGIC.length; i++) {
    if (bytes[i] !== IMAGE_MAGIC.charCodeAt(i)) fail("not a doorkit image (bad magic number)");
  }
  const version = view.getUint16(8, true);
  if (version !== IMAGE_FORMAT_VERSION) {
    fail(`image format version ${version} is not supported (this doorkit reads version ${IMAGE_FORMAT_VERSION})`);
  }
  const headerSize = view.getUint16(10, true);
  if (headerSize !== HEADER_SIZE) fail(`bad header size ${headerSize} (expected ${HEADER_SIZE})`);
  const size = view.getUint32(16, true);
  if (size > bytes.length) fail(`truncated: the header says ${size} bytes, the file has ${bytes.length}`);
  if (size < bytes.length) fail(`${bytes.length - size} unexpected bytes after the end of the image (${size} bytes)`);
  if (view.getUint32(24, true) !== 0 || view.getUint32(28, true) !== 0) fail("reserved header bytes are not zero");
  const count = view.getUint32(12, true);
  // Division, not multiplication: the table's end must not overflow.
  if (count > Math.floor((size - HEADER_SIZE) / SECTION_ENTRY_SIZE)) {
    fail(`section table of ${count} entries does not fit in the image`);
  }
  const stored = view.getUint32(20, true);
  if (crc32(bytes.subarray(HEADER_SIZE, size)) !== stored) fail("checksum mismatch: the image is damaged");
  return count;
}

function readSectionTable(view: DataView, count: number): SectionEntry[] {
  const tableEnd = HEADER_SIZE + count * SECTION_ENTRY_SIZE;
  const size = view.byteLength;
  const sections: SectionEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER_SIZE + i * SECTION_ENTRY_SIZE;
    const entry = {
      kind: view.getUint32(at, true),
      index: view.getUint32(at + 4, true),
      offset: view.getUint32(at + 8, true),
      length: view.getUint32(at + 12, true),
    };
    const where = `section ${i}`;
    if (!(entry.kind in sectionNames)) fail(`${where} has unknown kind ${entry.kind}`);
    if (entry.offset < tableEnd) fail(`${where} starts at ${entry.offset}, inside the header or section table`);
    if (entry.offset % 4 !== 0) fail(`${where} starts at ${entry.offset}, not 4-aligned`);
    // `offset + length` is exact in doubles, but compare without adding anyway.
    if (entry.length > size - entry.offset) {
      fail(`${where} (${entry.length} bytes at ${entry.offset}) runs past the end of the image (${size} bytes)`);
    }
    if ((entry.kind === SectionKind.MANIFEST || entry.kind === SectionKind.INTERFACES) && entry.index !== 0) {
      fail(`${where} (${sectionNames[entry.kind]}) has index ${entry.index}, expected 0`);
    }
    sections.push(entry);
  }
  const byOffset = [...sections].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1];
    if (byOffset[i].offset < prev.offset + prev.length) fail(`sections overlap at offset ${byOffset[i].offset}`);
  }
  return sections;
}

/** The sections of one kind, one for each index below `expected`, in index order. */
function collect(
  sections: readonly SectionEntry[],
  kind: SectionKind,
  expected: number,
  name: (i: number) => string,
): SectionEntry[] {
  const found: (SectionEntry | undefined)[] = new Array(expected).fill(undefined);
  for (const s of sections) {
    if (s.kind !== kind) continue;
    if (s.index >= expected) {
      fail(`${sectionNames[kind]} section with index ${s.index}, but the manifest lists only ${expected}`);
    }
    if (found[s.index]) fail(`two sections for ${name(s.index)}`);
    found[s.index] = s;
  }
  return found.map((s, i) => s ?? fail(`${name(i)} is missing from the image`));
}

/** The IR, with every part the trace decoder reads checked (check-ir.ts). */
function checkIr(value: unknown): Ir {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("the interfaces section is not an IR object");
  }
  const ir = value as { irVersion?: unknown };
  if (ir.irVersion !== IR_VERSION) {
    fail(`the interfaces section has IR version ${String(ir.irVersion)}, expected ${IR_VERSION}`);
  }
  const problem = checkIrShape(value);
  if (problem !== null) fail(`the interfaces section is not a valid IR: ${problem}`);
  return value as Ir;
}
