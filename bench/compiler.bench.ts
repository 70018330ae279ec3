/**
 * The compiler's speed: parse + check + layout (+ IR emission) of a generated
 * IDL file of 1,000 interfaces × 10 methods, in methods per second, each phase
 * timed on its own; and the CLI's start time (`--version`, and `check` of a
 * small file), against a bare `node -e 0` measured in the same run.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseFile } from "../compiler/syntax/index.js";
import { Reporter } from "../compiler/diagnostics/diagnostic.js";
import { checkFiles } from "../compiler/check/check.js";
import { layoutModel } from "../compiler/layout/layout-step.js";
import { emitIr } from "../compiler/ir/emit-ir.js";
import { compile } from "../compiler/compile.js";
import { fmt, printTable } from "./table.js";

const INTERFACES = 1000;
const METHODS = 10;
const RUNS = 5;

export function generateIdl(interfaces: number, methods: number): string {
  const lines = [
    "const NAME_MAX: u32 = 64;",
    "enum Mode : u8 { READ = 1, WRITE = 2 }",
    "struct Stat { size: u64; mode: Mode; tag: array<u8, 16>; name: string<NAME_MAX>; }",
  ];
  for (let i = 0; i < interfaces; i++) {
    lines.push(`/// Interface ${i}.`, `interface Service${i} : user {`, "    reserved 0x8003;");
    for (let m = 0; m < methods; m++) {
      lines.push(
        m % 2 === 0
          ? `    call${m}(path: string<NAME_MAX>, mode: Mode, target: desc<door, send>) -> (st: Stat, count: u32);`
          : `    op${m}(offset: u64, data: vector<u32, 16>, buf: lease<write>) -> (written: u32);`,
      );
    }
    lines.push("}");
  }
  return `${lines.join("\n")}\n`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeIt(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function phases(text: string) {
  const times = {
    parse: [] as number[],
    check: [] as number[],
    layout: [] as number[],
    ir: [] as number[],
    compile: [] as number[],
  };
  for (let r = 0; r < RUNS; r++) {
    let parsed!: ReturnType<typeof parseFile>;
    times.parse.push(timeIt(() => (parsed = parseFile("bench.idl", text))));
    const reporter = new Reporter();
    let model!: ReturnType<typeof checkFiles>;
    times.check.push(timeIt(() => (model = checkFiles([parsed.file], new Map(), reporter))));
    let layout!: ReturnType<typeof layoutModel>;
    times.layout.push(timeIt(() => (layout = layoutModel(model, reporter))));
    times.ir.push(timeIt(() => emitIr(model, layout, new Map([["bench.idl", text]]))));
    if (reporter.errorCount > 0) throw new Error("the generated IDL has errors");
    times.compile.push(timeIt(() => compile(["bench.idl"], { readFile: () => text })));
  }
  return times;
}

function startTimes(): { node: number; version: number; check: number } {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const run = (args: string[]) =>
    median(
      Array.from({ length: RUNS }, () => {
        const t = performance.now();
        const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
        return performance.now() - t;
      }),
    );
  return {
    node: run(["-e", "0"]),
    version: run(["bin/doorkit.mjs", "--version"]),
    check: run(["bin/doorkit.mjs", "check", "idl/kernel.idl"]),
  };
}

export default function bench(): void {
  const text = generateIdl(INTERFACES, METHODS);
  const methods = INTERFACES * METHODS;
  const t = phases(text);
  const total = median(t.parse) + median(t.check) + median(t.layout);
  const rows = (["parse", "check", "layout", "ir", "compile"] as const).map((phase) => {
    const ms = median(t[phase]);
    return [
      phase === "compile" ? "compile() end to end" : phase,
      fmt(ms, 1),
      fmt((methods * 1000) / ms),
      `${fmt((ms / total) * 100, 0)}%`,
    ];
  });
  rows.push(["parse + check + layout", fmt(total, 1), fmt((methods * 1000) / total), "100%"]);
  printTable(
    `compiler: ${fmt(INTERFACES)} interfaces x ${METHODS} methods (${fmt(text.length / 1024, 0)} KiB), median of ${RUNS}`,
    ["phase", "ms", "methods/s", "vs p+c+l"],
    rows,
  );
  const s = startTimes();
  printTable(
    `CLI start, median of ${RUNS}`,
    ["command", "ms", "vs node -e 0"],
    [
      ["node -e 0 (baseline)", fmt(s.node, 0), "1.0x"],
      ["doorkit --version", fmt(s.version, 0), `${fmt(s.version / s.node, 1)}x`],
      ["doorkit check idl/kernel.idl", fmt(s.check, 0), `${fmt(s.check / s.node, 1)}x`],
    ],
  );
}
