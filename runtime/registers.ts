/**
 * Packing of arg3 (docs/abi.md 1.2):
 *
 *    31          20 19          8 7        0
 *   +--------------+-------------+----------+
 *   | msgTotalSize | msgDataSize | msgDescN |
 *   +--------------+-------------+----------+
 *
 * RECEIVE passes only msgTotalSize; the return to a sender after REPLY carries
 * only msgDataSize and msgDescN. Register values are signed 32-bit (Int32Array),
 * so a total size of 2048 or more makes arg3 negative; unpacking masks that.
 */
import { MAX_MESSAGE_SIZE } from "./abi.js";

/** arg3 for SEND, REPLY and REPLY_RECEIVE. Callers pass checked sizes. */
export function packMessage(totalSize: number, dataSize: number, descN: number): number {
  return (totalSize << 20) | (dataSize << 8) | descN;
}

/** arg3 for RECEIVE: the size of the buffer to receive in. */
export function packReceive(totalSize: number): number {
  return totalSize << 20;
}

export function totalSizeOf(arg3: number): number {
  return (arg3 >>> 20) & 0xfff;
}

export function dataSizeOf(arg3: number): number {
  return (arg3 >>> 8) & 0xfff;
}

export function descCountOf(arg3: number): number {
  return arg3 & 0xff;
}

/** `align4(msgDataSize)`: where the descriptor area starts. */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Whether the sizes obey `align4(data) + 4 * descN <= total <= 4095` (section 1.3). */
export function fitsMessage(totalSize: number, dataSize: number, descN: number): boolean {
  return (
    totalSize >= 0 &&
    totalSize <= MAX_MESSAGE_SIZE &&
    dataSize >= 0 &&
    descN >= 0 &&
    descN <= 0xff &&
    align4(dataSize) + 4 * descN <= totalSize
  );
}
