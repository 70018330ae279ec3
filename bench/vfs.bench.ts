/**
 * The VFS example's bulk data: read and write throughput through /sys/vfs
 * for transfers of 64 B to 1 MiB, each of the three ways (inline, lease,
 * shared memory), against a plain `Uint8Array.set` of the same bytes in the
 * same pieces (the copy limit), measured in the same run. Each figure boots
 * the example's server with a throughput client that times its own
 * transfers after a warming pass (examples/vfs/bench/throughput.ts), best of
 * 3 passes in each of RUNS boots, as the machine is shared. The file system
 * alone (the same transfers without IPC) shows what the boundary costs.
 * Goal: leases and shared memory at 1 MiB reach at least half the copy limit.
 */
import { fileURLToPath } from "node:url";
import { buildImage } from "../emulator/image/build.js";
import { compileInterfaces } from "../emulator/image/compile-interfaces.js";
import type { ImageContents } from "../emulator/image/format.js";
import { readImage } from "../emulator/image/read.js";
import { bootImage } from "../emulator/procmgr/boot.js";
import { FileSystem, OpenFiles, OpenFlags } from "../examples/vfs/fs/index.js";
import { fmt, printTable } from "./table.js";

const SIZES = [64, 4096, 64 * 1024, 1024 * 1024];
const WAYS = ["inline", "lease", "shared"] as const;
const RUNS = 2;
/** The file's length, as in the throughput client: transfers wrap around inside it. */
const SPAN = 1 << 20;
const manifest = fileURLToPath(new URL("../examples/vfs/bench/manifest.json", import.meta.url));

/** The fastest sample: the run least disturbed by the machine's other load. */
function best(samples: number[]): number {
  return Math.min(...samples);
}

/** Bytes each row moves: enough calls to time, few enough to stay quick. */
function totalFor(size: number): number {
  return size < 4096 ? size * 16_384 : 16 * 1024 * 1024;
}

function label(size: number): string {
  return size >= 1 << 20 ? `${size >> 20} MiB` : size >= 1024 ? `${size >> 10} KiB` : `${size} B`;
}

/** Microseconds the client took for its transfers, booting the image once per run. */
async function served(image: ImageContents, way: (typeof WAYS)[number], direction: "read" | "write", size: number, total: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const args = [way, direction, String(size), String(total)];
    const programs = image.manifest.programs.map((p) => (p.name === "throughput" ? { ...p, args } : p));
    const result = await bootImage({ ...image, manifest: { ...image.manifest, programs } }, { maxSteps: 10_000_000, memoryBytes: 64 << 20 });
    if (result.outcome.kind !== "exited" || result.outcome.status <= 0) throw new Error(`vfs bench: ${args.join(" ")}: ${JSON.stringify(result.outcome)}`);
    samples.push(result.outcome.status);
  }
  return best(samples);
}

/** Microseconds for `Uint8Array.set` of `total` bytes in pieces of `size`. */
function copyLimit(size: number, total: number): number {
  const src = new Uint8Array(size).fill(0x5a);
  const dest = new Uint8Array(1 << 20);
  const samples: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) {
    const start = performance.now();
    let offset = 0;
    for (let done = 0; done < total; done += size) {
      dest.set(src, offset);
      offset = (offset + size) % dest.length;
    }
    samples.push((performance.now() - start) * 1000);
  }
  return Math.max(best(samples), 1);
}

/** Microseconds for the file system alone (no IPC): pread or pwrite of `total` bytes in pieces of `size`. */
function fsAlone(way: "read" | "write", size: number, total: number): number {
  const fs = new FileSystem({ capacity: 4 << 20 });
  const files = new OpenFiles(fs);
  const h = files.open("/bench", OpenFlags.READ | OpenFlags.WRITE | OpenFlags.CREATE);
  if (!h.ok) throw new Error("vfs bench: cannot open");
  const bytes = new Uint8Array(size).fill(0x5a);
  for (let at = 0; at < SPAN; at += size) files.pwrite(h.value, at, bytes.subarray(0, Math.min(size, SPAN - at)));
  const samples: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) {
    const start = performance.now();
    let offset = 0;
    for (let done = 0; done < total; done += size) {
      if (way === "read") files.pread(h.value, offset, bytes);
      else files.pwrite(h.value, offset, bytes);
      offset = (offset + size) % SPAN;
    }
    samples.push((performance.now() - start) * 1000);
  }
  return Math.max(best(samples), 1);
}

const mbps = (bytes: number, micros: number) => bytes / micros;

export default async function benchVfs(): Promise<void> {
  const read = readImage(await buildImage(manifest, { compileInterfaces }));
  if (!read.ok) throw new Error(read.error.message);
  const rows: string[][] = [];
  for (const size of SIZES) {
    const total = totalFor(size);
    const limit = mbps(total, copyLimit(size, total));
    for (const direction of ["read", "write"] as const) {
      const alone = mbps(total, fsAlone(direction, size, total));
      for (const way of WAYS) {
        const speed = mbps(total, await served(read.image, way, direction, size, total));
        rows.push([`${direction} ${label(size)}`, way, fmt(speed, 1), fmt(alone, 0), fmt(limit, 0), `${fmt((100 * speed) / limit, 2)} %`]);
      }
    }
  }
  printTable(
    "VFS bulk data (MB/s, best of 2 boots × 3 passes; fs alone = the file system without IPC; copy limit = Uint8Array.set of the same bytes in the same pieces)",
    ["transfer", "way", "MB/s", "fs alone", "copy MB/s", "of limit"],
    rows,
  );
}
