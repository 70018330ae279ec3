/**
 * The helpers generated encoders and decoders call: value checks, variable-size
 * slots, UTF-8, descriptors. Fixed fields are read and written by the
 * generated code itself at constant offsets; only what needs a loop, a
 * bounds check or a cursor lives here.
 *
 * A variable-size value keeps a 4-byte slot `{ u16 offset; u16 count; }` in the
 * fixed part; its contents go after the fixed part, in slot order, each aligned
 * to its element's alignment, and `offset` counts from the start of the data
 * (docs/abi.md, "Payload").
 */
import { malformed } from "./errors.js";
import { align4 } from "./registers.js";
import type { MessageBuffer } from "./trap.js";

/**
 * A message buffer with the state of one encode or decode. Each client and
 * server allocates one and reuses it for every message.
 */
export class Frame {
  readonly view: DataView;
  readonly bytes: Uint8Array;
  /** Encoding: the first byte after the contents written so far. */
  end = 0;
  /** Decoding: where contents may start (the fixed size) and the data size. */
  start = 0;
  limit = 0;

  constructor(readonly buffer: MessageBuffer) {
    this.view = buffer.view;
    this.bytes = buffer.bytes;
  }
}

// ---- value checks for encoding: return the value to write, or throw ------------

// Comparisons, not BigInt.asUintN: they allocate nothing. The bounds are
// literals, which optimized code compares without a runtime call.

export function u8(v: number, label: string): number {
  return (v & 0xff) === v ? v : malformed(`${label}: ${String(v)} is not a u8`);
}
export function i8(v: number, label: string): number {
  return (v << 24) >> 24 === v ? v : malformed(`${label}: ${String(v)} is not an i8`);
}
export function u16(v: number, label: string): number {
  return (v & 0xffff) === v ? v : malformed(`${label}: ${String(v)} is not a u16`);
}
export function i16(v: number, label: string): number {
  return (v << 16) >> 16 === v ? v : malformed(`${label}: ${String(v)} is not an i16`);
}
export function u32(v: number, label: string): number {
  return v >>> 0 === v ? v : malformed(`${label}: ${String(v)} is not a u32`);
}
export function i32(v: number, label: string): number {
  return (v | 0) === v ? v : malformed(`${label}: ${String(v)} is not an i32`);
}
export function u64(v: bigint, label: string): bigint {
  return typeof v === "bigint" && v >= 0n && v <= 0xffff_ffff_ffff_ffffn ? v : malformed(`${label}: ${String(v)} is not a u64`);
}
export function i64(v: bigint, label: string): bigint {
  return typeof v === "bigint" && v >= -0x8000_0000_0000_0000n && v <= 0x7fff_ffff_ffff_ffffn ? v : malformed(`${label}: ${String(v)} is not an i64`);
}
export function f64(v: number, label: string): number {
  return typeof v === "number" ? v : malformed(`${label}: ${String(v)} is not a number`);
}
/** bool travels as one byte, 0 or 1. */
export function flag(v: boolean, label: string): number {
  return v === true ? 1 : v === false ? 0 : malformed(`${label}: ${String(v)} is not a boolean`);
}
/** An array<T, N> must have exactly N elements. */
export function exactly<T extends { readonly length: number }>(v: T, length: number, label: string): T {
  return v != null && v.length === length ? v : malformed(`${label}: expected ${length} elements`);
}

/** Decoding a bool: 0 or 1 only. */
export function readBool(byte: number, label: string): boolean {
  return byte === 1 ? true : byte === 0 ? false : malformed(`${label}: bool byte ${byte} is not 0 or 1`);
}

// ---- encoding contents ----------------------------------------------------------

/** Moves the cursor to a multiple of `align`, zeroing the gap. */
function alignEnd(f: Frame, align: number): number {
  let end = f.end;
  while ((end & (align - 1)) !== 0) f.bytes[end++] = 0;
  f.end = end;
  return end;
}

function writeSlot(f: Frame, slotAt: number, offset: number, count: number): void {
  f.view.setUint16(slotAt, offset, true);
  f.view.setUint16(slotAt + 2, count, true);
}

/** Writes a string<max>'s UTF-8 at the cursor and its slot at `slotAt`. */
export function writeString(f: Frame, slotAt: number, v: string, max: number, label: string): void {
  if (typeof v !== "string") malformed(`${label}: not a string`);
  if (v.length > max) malformed(`${label}: longer than ${max} bytes`);
  const start = f.end;
  const { read, written } = utf8Encoder.encodeInto(v, f.bytes.subarray(start, start + max));
  if (read < v.length) malformed(`${label}: longer than ${max} bytes`);
  // Only a string with non-ASCII characters can hold a lone surrogate.
  if (written !== v.length && !isWellFormed(v)) malformed(`${label}: not valid Unicode (lone surrogate)`);
  const view = f.view;
  view.setUint16(slotAt, start, true);
  view.setUint16(slotAt + 2, written, true);
  f.end = start + written;
}

/** Writes bytes<max> (or vector<u8, max>) at the cursor and its slot at `slotAt`. */
export function writeBytes(f: Frame, slotAt: number, v: Uint8Array, max: number, label: string): void {
  if (!(v instanceof Uint8Array)) malformed(`${label}: not a Uint8Array`);
  if (v.length > max) malformed(`${label}: longer than ${max} bytes`);
  f.bytes.set(v, f.end);
  writeSlot(f, slotAt, f.end, v.length);
  f.end += v.length;
}

/**
 * Reserves the contents of a vector<T, max> of `count` elements at the cursor,
 * writes its slot, and returns where element 0 goes.
 */
export function openVector(
  f: Frame,
  slotAt: number,
  count: number,
  max: number,
  size: number,
  align: number,
  label: string,
): number {
  if (!(count <= max)) malformed(`${label}: more than ${max} elements`);
  const start = alignEnd(f, align);
  writeSlot(f, slotAt, start, count);
  f.end = start + count * size;
  return start;
}

/** Ends the data: zeroes the padding up to the descriptor area; returns msgDataSize. */
export function finishData(f: Frame): number {
  const size = f.end;
  const bytes = f.bytes;
  const end = align4(size);
  for (let i = size; i < end; i++) bytes[i] = 0;
  return size;
}

/** Writes descriptor `index` after data of `dataSize` bytes. 0 ("none") is refused. */
export function writeDescriptor(f: Frame, dataSize: number, index: number, v: number, label: string): void {
  if (!(v >>> 0 === v && v !== 0)) malformed(`${label}: ${String(v)} is not a descriptor`);
  f.view.setUint32(align4(dataSize) + 4 * index, v, true);
}

// ---- decoding -------------------------------------------------------------------

/**
 * Checks a message's sizes against its method (fixed <= data <= max, exact
 * descriptor count) and sets the frame's contents bounds for the slots.
 */
export function beginDecode(
  f: Frame,
  dataSize: number,
  descN: number,
  fixed: number,
  max: number,
  descriptors: number,
  label: string,
): void {
  if (dataSize < fixed || dataSize > max) malformed(`${label}: data size ${dataSize} outside ${fixed}..${max}`);
  if (descN !== descriptors) malformed(`${label}: ${descN} descriptors, expected ${descriptors}`);
  if (align4(dataSize) + 4 * descN > f.bytes.length) malformed(`${label}: message larger than the buffer`);
  f.start = fixed;
  f.limit = dataSize;
}

/** Checks a slot and returns its contents' offset; `count` units of `unit` bytes; `align` is 1, 2 or 4. */
function readSlot(f: Frame, slotAt: number, max: number, unit: number, align: number, label: string): number {
  const offset = f.view.getUint16(slotAt, true);
  const count = f.view.getUint16(slotAt + 2, true);
  if (count > max) malformed(`${label}: count ${count} exceeds ${max}`);
  if (offset < f.start || (offset & (align - 1)) !== 0 || offset + count * unit > f.limit) {
    malformed(`${label}: contents at ${offset} (count ${count}) outside the message`);
  }
  return offset;
}

/** Decodes a string<max>; invalid UTF-8 is malformed. */
export function readString(f: Frame, slotAt: number, max: number, label: string): string {
  const view = f.view;
  const offset = view.getUint16(slotAt, true);
  const count = view.getUint16(slotAt + 2, true);
  // readSlot's checks for 1-byte units, inline; readSlot throws with the reason.
  if (count > max || offset < f.start || offset + count > f.limit) readSlot(f, slotAt, max, 1, 1, label);
  const text = decodeUtf8(f.bytes.subarray(offset, offset + count));
  return text !== null ? text : malformed(`${label}: invalid UTF-8`);
}

/** Strict UTF-8 decoding; null for invalid input (kept apart so readString has no try block). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Decodes bytes<max> (or vector<u8, max>) into a copy. */
export function readBytes(f: Frame, slotAt: number, max: number, label: string): Uint8Array {
  const offset = readSlot(f, slotAt, max, 1, 1, label);
  return f.bytes.slice(offset, offset + f.view.getUint16(slotAt + 2, true));
}

/** Checks a vector<T, max>'s slot; returns where element 0 is. The count is at slotAt + 2. */
export function vectorAt(
  f: Frame,
  slotAt: number,
  max: number,
  size: number,
  align: number,
  label: string,
): number {
  return readSlot(f, slotAt, max, size, align, label);
}

/** Reads descriptor `index` of the message being decoded; 0 ("none") is malformed. */
export function readDescriptor(f: Frame, index: number, label: string): number {
  const v = f.view.getUint32(align4(f.limit) + 4 * index, true);
  return v !== 0 ? v : malformed(`${label}: no descriptor`);
}

/** The encoder of writeString, for generated code that writes a string inline. */
export const utf8Encoder = new TextEncoder();
/** String.prototype.isWellFormed (Node 20), missing from the ES2022 typings. */
export function isWellFormed(v: string): boolean {
  return (v as unknown as { isWellFormed(): boolean }).isWellFormed();
}
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
