/**
 * The VFS example's bulk data: read and write throughput through /sys/vfs
 * for transfers of 64 B to 1 MiB, against a plain `Uint8Array.set` of the
 * same bytes in the same pieces (the copy limit), measured in the same run.
 * Each row boots the example's server with a throughput client that times
 * its own transfers (examples/vfs/bench/throughput.ts); the median of RUNS.
 * The file system alone (the same transfers without IPC) shows what the
 * messages cost.
 * Leases and shared memory need the kernel's memory objects and leases:
 * their rows say so until they exist.
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
const RUNS = 3;
/** The file's length, as in the throughput client: transfers wrap around inside it. */
const SPAN = 1 << 20;
const manifest = fileURLToPath(new URL("../examples/vfs/bench/manifest.json", import.meta.url));

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Bytes each row moves: enough calls to time, few enough to stay quick. */
function totalFor(size: number): number {
  return size < 4096 ? size * 16_384 : 4 * 1024 * 1024;
}

function label(size: number): string {
  return size >= 1 << 20 ? `${size >> 20} MiB` : size >= 1024 ? `${size >> 10} KiB` : `${size} B`;
}

/** Microseconds the client took for its transfers, booting the image once per run. */
async function inline(image: ImageContents, way: "read" | "write", size: number, total: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const programs = image.manifest.programs.map((p) => (p.name === "throughput" ? { ...p, args: [way, String(size), String(total)] } : p));
    const result = await bootImage({ ...image, manifest: { ...image.manifest, programs } }, { maxSteps: 10_000_000, memoryBytes: 64 << 20 });
    if (result.outcome.kind !== "exited" || result.outcome.status <= 0) throw new Error(`vfs bench: ${way} ${size}: ${JSON.stringify(result.outcome)}`);
    samples.push(result.outcome.status);
  }
  return median(samples);
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
  return Math.max(median(samples), 1);
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
  return Math.max(median(samples), 1);
}

const mbps = (bytes: number, micros: number) => bytes / micros;

export default async function benchVfs(): Promise<void> {
  const read = readImage(await buildImage(manifest, { compileInterfaces }));
  if (!read.ok) throw new Error(read.error.message);
  const rows: string[][] = [];
  for (const size of SIZES) {
    const total = totalFor(size);
    const limit = mbps(total, copyLimit(size, total));
    for (const way of ["read", "write"] as const) {
      const speed = mbps(total, await inline(read.image, way, size, total));
      const alone = mbps(total, fsAlone(way, size, total));
      rows.push([`${way} ${label(size)}`, "inline", fmt(speed, 1), fmt(alone, 0), fmt(limit, 0), `${fmt((100 * speed) / limit, 2)} %`]);
    }
    for (const way of ["lease", "shared memory"]) rows.push([`read/write ${label(size)}`, way, "pending kernel leases", "", fmt(limit, 0), "-"]);
  }
  printTable(
    "VFS bulk data (MB/s; fs alone = the file system without IPC; copy limit = Uint8Array.set of the same bytes in the same pieces)",
    ["transfer", "way", "MB/s", "fs alone", "copy MB/s", "of limit"],
    rows,
  );
}
