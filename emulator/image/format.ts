/**
 * The image file format, version 1. All integers little-endian.
 *
 *   offset  size  field
 *   0       8     magic "DOORKIMG"
 *   8       2     format version (1)
 *   10      2     header size (32)
 *   12      4     section count N
 *   16      4     image size: the whole file, in bytes
 *   20      4     CRC-32 (zlib's) of bytes [32, image size)
 *   24      8     reserved, zero
 *   32      16*N  section table, one entry per section:
 *                   kind u32, index u32, offset u32, length u32
 *   ...           section payloads, each starting 4-aligned, zero padding
 *
 * Section kinds: MANIFEST (index 0, UTF-8 JSON, exactly one), PROGRAM (index =
 * position in manifest.programs, UTF-8 JavaScript module), FILE (index =
 * position in manifest.files, raw bytes), INTERFACES (index 0, UTF-8 JSON of
 * the IR of the manifest's interfaces, at most one).
 */
import type { Ir } from "../../compiler/ir/ir.js";
import type { FileEntry, Manifest, ProgramEntry } from "./manifest.js";

export const IMAGE_MAGIC = "DOORKIMG";
export const IMAGE_FORMAT_VERSION = 1;
export const HEADER_SIZE = 32;
export const SECTION_ENTRY_SIZE = 16;

export const SectionKind = {
  MANIFEST: 1,
  PROGRAM: 2,
  FILE: 3,
  INTERFACES: 4,
} as const;
export type SectionKind = (typeof SectionKind)[keyof typeof SectionKind];

/** What an image holds, as `encodeImage` takes it and `readImage` gives it back. */
export interface ImageContents {
  readonly manifest: Manifest;
  /** Bundled module code, one per `manifest.programs` entry, same order. */
  readonly programs: readonly string[];
  /** RAM-disk file contents, one per `manifest.files` entry, same order. */
  readonly files: readonly Uint8Array[];
  /** The IR of `manifest.interfaces`, or null when it names none. */
  readonly interfaces: Ir | null;
}

/** A program of a loaded image. */
export interface ImageProgram {
  readonly entry: ProgramEntry;
  readonly code: string;
}

export interface ImageFile {
  readonly entry: FileEntry;
  readonly bytes: Uint8Array;
}

export function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
