/**
 * System images: encoding and reading a large image (64 MiB of RAM-disk
 * files) against copying the same bytes and checksumming them (the least
 * either can cost), and booting the echo example end to end.
 */
import { crc32 } from "node:zlib";
import { fileURLToPath } from "node:url";
import { buildImage } from "../emulator/image/build.js";
import { compileInterfaces } from "../emulator/image/compile-interfaces.js";
import { encodeImage } from "../emulator/image/encode.js";
import { readImage } from "../emulator/image/read.js";
import { validateManifest } from "../emulator/image/validate-manifest.js";
import { bootImage } from "../emulator/procmgr/boot.js";
import { fmt, printTable } from "./table.js";

const FILES = 64;
const FILE_SIZE = 1024 * 1024;
const RUNS = 5;

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function timeAsync(fn: () => Promise<void>, runs = RUNS): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export default async function benchImage(): Promise<void> {
  const checked = validateManifest({
    manifestVersion: 1,
    name: "big",
    init: "a",
    programs: [{ name: "a", source: "a.ts", domain: "d" }],
    policy: { types: [], domains: { d: {} } },
    files: Array.from({ length: FILES }, (_, i) => ({ path: `/data/f${i}`, source: `f${i}` })),
  });
  if (!checked.ok) throw new Error("bench manifest is invalid");
  const files = Array.from({ length: FILES }, (_, i) => new Uint8Array(FILE_SIZE).fill(i));
  const contents = { manifest: checked.manifest, programs: ["export default async () => 0;"], files, interfaces: null };
  const mib = (FILES * FILE_SIZE) / (1024 * 1024);

  let image: Uint8Array = new Uint8Array(0);
  const encode = time(() => void (image = encodeImage(contents)));
  const copy = time(() => void Buffer.concat(files));
  const read = time(() => {
    if (!readImage(image).ok) throw new Error("bench image does not read back");
  });
  const checksum = time(() => void crc32(image));
  printTable(
    `Image of ${FILES} files x 1 MiB (${fmt(image.length / (1024 * 1024), 1)} MiB), median of ${RUNS}`,
    ["operation", "ms", "MiB/s", "ratio to baseline"],
    [
      ["encodeImage", fmt(encode, 1), fmt(mib / (encode / 1000)), `${fmt(encode / copy, 2)}x`],
      ["  baseline: Buffer.concat of the files", fmt(copy, 1), fmt(mib / (copy / 1000)), "1.00x"],
      ["readImage (checks, CRC, copies files)", fmt(read, 1), fmt(mib / (read / 1000)), `${fmt(read / checksum, 2)}x`],
      ["  baseline: crc32 of the image", fmt(checksum, 1), fmt(mib / (checksum / 1000)), "1.00x"],
    ],
  );

  const manifest = fileURLToPath(new URL("../examples/echo/manifest.json", import.meta.url));
  let bytes: Uint8Array = new Uint8Array(0);
  const build = await timeAsync(async () => void (bytes = await buildImage(manifest, { compileInterfaces })), 3);
  const loaded = readImage(bytes);
  if (!loaded.ok) throw new Error(loaded.error.message);
  let steps = 0;
  const boot = await timeAsync(async () => {
    const r = await bootImage(loaded.image);
    if (r.outcome.kind !== "exited" || r.outcome.status !== 0) throw new Error("echo did not run");
    steps = r.steps;
  });
  printTable(
    "examples/echo",
    ["operation", "ms"],
    [
      ["image build (bundle 2 programs, compile echo.idl)", fmt(build, 1)],
      [`boot and run to init's exit (${steps} kernel entries)`, fmt(boot, 1)],
    ],
  );
}
