/**
 * Compile speed: `doorkit gen` (compile + TypeScript emit, in process) of a
 * generated IDL of 200 interfaces x 10 methods, as one file and split into
 * 20 files, then at smaller sizes to check linear growth; against protobufjs'
 * `pbjs -t static-module` + `pbts` on the equivalent .proto. pbjs and pbts
 * are slow (pbts takes minutes at full size), so they run at 5 x 10 methods
 * and the table compares per-method times. Goal: 2,000 methods under 1 s.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../compiler/compile.js";
import { emitTypeScript } from "../compiler/backends/typescript/emit.js";
import { fmt, printTable } from "./table.js";

const METHODS = 10;

function idlInterface(i: number): string {
  const methods = Array.from(
    { length: METHODS },
    (_, m) => `    call${m}(a: u32, name: string<32>, p: Point, data: vector<u16, 8>) -> (r: u32, q: Point, note: string<16>);`,
  );
  return `interface Service${i} : user {\n${methods.join("\n")}\n}\n`;
}

const shared = "struct Point {\n    x: i32;\n    y: i32;\n}\n";

/** `interfaces` interfaces in `files` files (the first also holds Point; the others import it). */
function idlSources(interfaces: number, files: number): Map<string, string> {
  const out = new Map<string, string>();
  const per = Math.ceil(interfaces / files);
  for (let f = 0; f < files; f++) {
    const body = Array.from({ length: Math.min(per, interfaces - f * per) }, (_, k) => idlInterface(f * per + k)).join("\n");
    out.set(`/bench/f${f}.idl`, f === 0 ? `${shared}\n${body}` : `import "f0.idl";\n\n${body}`);
  }
  return out;
}

function doorkitGen(sources: Map<string, string>): { ms: number; bytes: number } {
  const start = performance.now();
  const result = compile([...sources.keys()], { readFile: (p) => sources.get(p) });
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  let bytes = 0;
  for (const text of emitTypeScript(result.ir).values()) bytes += text.length;
  return { ms: performance.now() - start, bytes };
}

function best(fn: () => { ms: number; bytes: number }, runs = 5): { ms: number; bytes: number } {
  let b = fn();
  for (let i = 1; i < runs; i++) {
    const r = fn();
    if (r.ms < b.ms) b = r;
  }
  return b;
}

function proto(interfaces: number): string {
  const lines = ['syntax = "proto3";', "message Point { int32 x = 1; int32 y = 2; }"];
  for (let i = 0; i < interfaces; i++) {
    const rpcs: string[] = [];
    for (let m = 0; m < METHODS; m++) {
      lines.push(`message S${i}Call${m}Request { uint32 a = 1; string name = 2; Point p = 3; repeated uint32 data = 4; }`);
      lines.push(`message S${i}Call${m}Reply { int32 retval = 1; int32 errno = 2; uint32 r = 3; Point q = 4; string note = 5; }`);
      rpcs.push(`  rpc Call${m} (S${i}Call${m}Request) returns (S${i}Call${m}Reply);`);
    }
    lines.push(`service Service${i} {`, ...rpcs, "}");
  }
  return `${lines.join("\n")}\n`;
}

function protobufjs(interfaces: number): { pbjs: number; pbts: number } {
  const bin = fileURLToPath(new URL("../node_modules/.bin/", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "doorkit-bench-"));
  try {
    writeFileSync(join(dir, "bench.proto"), proto(interfaces));
    let start = performance.now();
    execFileSync(join(bin, "pbjs"), ["-t", "static-module", "-w", "es6", "-o", join(dir, "bench.js"), join(dir, "bench.proto")]);
    const pbjs = performance.now() - start;
    start = performance.now();
    execFileSync(join(bin, "pbts"), ["-o", join(dir, "bench.d.ts"), join(dir, "bench.js")]);
    return { pbjs, pbts: performance.now() - start };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default function genBench(): void {
  mkdirSync(tmpdir(), { recursive: true });
  doorkitGen(idlSources(20, 1));
  const rows: string[][] = [];
  const perMethod: number[] = [];
  for (const n of [25, 50, 100, 200]) {
    const r = best(() => doorkitGen(idlSources(n, 1)));
    perMethod.push(r.ms / (n * METHODS));
    rows.push([`doorkit gen, 1 file`, `${n} x ${METHODS}`, fmt(r.ms, 1), fmt((r.ms * 1000) / (n * METHODS), 1), fmt(r.bytes / 1024)]);
  }
  const split = best(() => doorkitGen(idlSources(200, 20)));
  rows.push(["doorkit gen, 20 files", `200 x ${METHODS}`, fmt(split.ms, 1), fmt((split.ms * 1000) / 2000, 1), fmt(split.bytes / 1024)]);
  const small = 5;
  const pb = protobufjs(small);
  const methods = small * METHODS;
  rows.push(["pbjs -t static-module", `${small} x ${METHODS}`, fmt(pb.pbjs, 1), fmt((pb.pbjs * 1000) / methods, 1), ""]);
  rows.push(["pbts", `${small} x ${METHODS}`, fmt(pb.pbts, 1), fmt((pb.pbts * 1000) / methods, 1), ""]);
  printTable("gen: compile + emit typed TypeScript", ["tool", "interfaces x methods", "ms", "us/method", "output KiB"], rows);
  const full = perMethod[3]! * 2000;
  const growth = perMethod[3]! / perMethod[0]!;
  const pbPer = (pb.pbjs + pb.pbts) / methods;
  console.log(
    `2,000 methods: ${fmt(full, 0)} ms (goal < 1,000 ms: ${full < 1000 ? "met" : "missed"}); ` +
      `per-method time at 200 vs 25 interfaces: ${fmt(growth, 2)}x (1.00x = linear); ` +
      `pbjs + pbts per method: ${fmt(pbPer / perMethod[3]!, 0)}x doorkit's`,
  );
}
