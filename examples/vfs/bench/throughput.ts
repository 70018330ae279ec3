/**
 * Throughput client for bench/vfs.bench.ts: moves `total` bytes to or from a
 * file in transfers of `size` bytes one of three ways, and exits with the
 * microseconds the fastest of ROUNDS passes took (setup and a first,
 * warming pass excluded), or a negative status
 * when something failed.
 *
 *   inline  pread/pwrite of a JavaScript buffer, IO_MAX bytes per message
 *   lease   preadAt/pwriteAt of a range of this process's memory (one copy)
 *   shared  preadShared/pwriteShared of a shared object mapped once (the bytes
 *           are used where they are: no copy across the boundary)
 *
 *   args: "inline" | "lease" | "shared", "read" | "write", size, total
 */
import type { Sys } from "../../../emulator/program/program.js";
import { LEASE_MAX, OpenFlags, type Vfs, connect } from "../client.js";

/** The file's length: writes and reads wrap around inside it. */
const SPAN = 1 << 20;
/** Timed passes; the fastest is the figure (the machine is shared). */
const ROUNDS = 3;

type Way = "inline" | "lease" | "shared";

/** One transfer of `size` bytes at `offset`, the chosen way; the count moved. */
async function transferer(sys: Sys, vfs: Vfs, fd: number, way: Way, read: boolean, size: number) {
  if (way === "inline") {
    vfs.transfer = "inline";
    const bytes = new Uint8Array(size).fill(0x5a);
    return (offset: number) => (read ? vfs.pread(fd, bytes, offset) : vfs.pwrite(fd, bytes, offset));
  }
  if (way === "lease") {
    const address = await sys.kernel.memAlloc(0, size, 3);
    if (address < 0) throw new Error("no memory");
    sys.memory.writeBytes(address, new Uint8Array(size).fill(0x5a));
    const range = { address, length: size };
    return (offset: number) => (read ? vfs.preadAt(fd, range, offset) : vfs.pwriteAt(fd, range, offset));
  }
  const shared = await vfs.mapShared(Math.min(size, LEASE_MAX));
  sys.memory.writeBytes(shared.address, new Uint8Array(shared.length).fill(0x5a));
  return (offset: number) => (read ? vfs.preadShared(fd, offset, 0, size) : vfs.pwriteShared(fd, offset, 0, size));
}

export default async function throughput(sys: Sys, args: readonly string[]): Promise<number> {
  const [way, direction, sizeArg, totalArg] = args;
  const size = Number(sizeArg);
  const total = Number(totalArg);
  const ways: readonly string[] = ["inline", "lease", "shared"];
  if (!ways.includes(way ?? "") || (direction !== "read" && direction !== "write") || !(size > 0 && size <= SPAN) || !(total >= size)) return -1;
  const vfs = await connect(sys);
  const fd = await vfs.open("/bench", OpenFlags.READ | OpenFlags.WRITE | OpenFlags.CREATE);
  await vfs.pwrite(fd, new Uint8Array(SPAN).fill(0x5a), 0);
  const move = await transferer(sys, vfs, fd, way as Way, direction === "read", size);
  const pass = async (): Promise<boolean> => {
    let offset = 0;
    for (let done = 0; done < total; done += size) {
      if ((await move(offset)) !== size) return false;
      offset = (offset + size) % SPAN;
    }
    return true;
  };
  // An untimed pass first: the program's code is fresh in each boot, and cold code would dominate.
  if (!(await pass())) return -2;
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    if (!(await pass())) return -2;
    best = Math.min(best, performance.now() - start);
  }
  return Math.max(1, Math.round(best * 1000));
}
