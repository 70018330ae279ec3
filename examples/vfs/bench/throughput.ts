/**
 * Throughput client for bench/vfs.bench.ts: moves `total` bytes to or from a
 * file in transfers of `size` bytes through the client library (inline:
 * IO_MAX bytes per message), and exits with the microseconds the transfers
 * took (setup excluded), or a negative status when something failed.
 *
 *   args: "read" | "write", size, total
 */
import type { Sys } from "../../../emulator/program/program.js";
import { OpenFlags, connect } from "../client.js";

/** The file's length: writes and reads wrap around inside it. */
const SPAN = 1 << 20;

export default async function throughput(sys: Sys, args: readonly string[]): Promise<number> {
  const [way, sizeArg, totalArg] = args;
  const size = Number(sizeArg);
  const total = Number(totalArg);
  if ((way !== "read" && way !== "write") || !(size > 0) || !(total >= size)) return -1;
  const vfs = await connect(sys);
  const fd = await vfs.open("/bench", OpenFlags.READ | OpenFlags.WRITE | OpenFlags.CREATE);
  const bytes = new Uint8Array(size).fill(0x5a);
  for (let at = 0; at < SPAN; at += bytes.length) await vfs.pwrite(fd, bytes.subarray(0, Math.min(size, SPAN - at)), at);

  const start = performance.now();
  let offset = 0;
  for (let done = 0; done < total; done += size) {
    const n = way === "read" ? await vfs.pread(fd, bytes, offset) : await vfs.pwrite(fd, bytes, offset);
    if (n !== size) return -2;
    offset = (offset + size) % SPAN;
  }
  return Math.round((performance.now() - start) * 1000);
}
