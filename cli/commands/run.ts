/**
 * `doorkit run FILE`: boots a system image on the emulator and exits with
 * the init program's status; `--trace` prints one line per IPC call, decoded
 * through the IR of the interfaces in the image.
 */
import { openSync, writeSync, closeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type Command, type Io, UsageError } from "../command.js";
import { readImage } from "../../emulator/image/read.js";
import type { ImageContents } from "../../emulator/image/format.js";
import { bootImage } from "../../emulator/procmgr/boot.js";
import { imageTrace } from "../../emulator/trace/image-trace.js";
import { type TraceRecord, formatRecord } from "../../emulator/trace/trace-log.js";

const usage = `usage: doorkit run FILE [--seed N] [--memory SIZE] [--steps N] [--trace] [--no-kernel-calls]
                   [--trace-json FILE]

Boots a system image (from doorkit image build): the kernel starts the
process manager, which starts the image's programs. Exits with the init
program's status (its low 8 bits).

options:
  --seed N          scheduler seed: 0 (default) runs ready threads in FIFO
                    order; any other seed picks among them, reproducibly
  --memory SIZE     physical memory, e.g. 16M (default), 64M, 1G, 8192K
  --steps N         stop after N kernel entries
  --trace           print one line per IPC call, kernel call and exit
  --no-kernel-calls with --trace, print only calls between processes and
                    exits, and how many kernel calls were left out
  --trace-json FILE write the same as JSON lines to FILE
`;

export interface RunOptions {
  readonly file: string;
  readonly seed: number;
  readonly memoryBytes: number | undefined;
  readonly maxSteps: number | undefined;
  readonly trace: boolean;
  readonly traceJson: string | null;
  /** Whether `--trace` prints kernel calls (default true); the JSON trace always has them. */
  readonly kernelCalls?: boolean;
}

const MIB = 1024 * 1024;

export function parseRunArgs(args: readonly string[]): RunOptions {
  let file: string | undefined;
  let seed = 0;
  let memoryBytes: number | undefined;
  let maxSteps: number | undefined;
  let trace = false;
  let traceJson: string | null = null;
  let kernelCalls = true;
  const value = (i: number, flag: string): string => {
    const v = args[i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--seed") seed = wholeNumber(value(++i, arg), arg, 0xffff_ffff);
    else if (arg === "--memory") memoryBytes = parseMemory(value(++i, arg));
    else if (arg === "--steps") maxSteps = wholeNumber(value(++i, arg), arg, Number.MAX_SAFE_INTEGER, 1);
    else if (arg === "--trace") trace = true;
    else if (arg === "--trace-json") traceJson = value(++i, arg);
    else if (arg === "--no-kernel-calls") kernelCalls = false;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}'`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`unexpected argument '${arg}'`);
  }
  if (file === undefined) throw new UsageError("missing image FILE");
  return { file, seed, memoryBytes, maxSteps, trace, traceJson, kernelCalls };
}

function wholeNumber(text: string, flag: string, max: number, min = 0): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not '${text}'`);
  }
  return n;
}

/** `16M`, `1G`, `8192K` or bytes; a whole number of pages from 1 MiB to 1 GiB. */
export function parseMemory(text: string): number {
  const m = /^(\d+)([KMG]i?B?)?$/i.exec(text);
  const unit = m?.[2]?.[0]?.toUpperCase();
  const bytes = m ? Number(m[1]) * (unit === "K" ? 1024 : unit === "M" ? MIB : unit === "G" ? 1024 * MIB : 1) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < MIB || bytes > 1024 * MIB || bytes % 4096 !== 0) {
    throw new UsageError(`--memory takes a size from 1M to 1G in whole 4 KiB pages (like 16M), not '${text}'`);
  }
  return bytes;
}

export const runCommand: Command = {
  name: "run",
  summary: "boot a system image on the emulator",
  usage,
  async run(args, io) {
    const options = parseRunArgs(args);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(options.file));
    } catch (error) {
      io.stderr(
        `doorkit run: cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`,
      );
      return 1;
    }
    const read = readImage(bytes);
    if (!read.ok) {
      io.stderr(`doorkit run: ${options.file}: ${read.error.message}\n`);
      return 1;
    }
    return runImage(read.image, options, io);
  },
};

/** Boots a read image with the options of `doorkit run`; returns the exit status. */
export async function runImage(image: ImageContents, options: Omit<RunOptions, "file">, io: Io): Promise<number> {
  let json: number | null = null;
  if (options.traceJson !== null) {
    try {
      json = openSync(options.traceJson, "w");
    } catch (error) {
      io.stderr(
        `doorkit run: cannot write ${options.traceJson}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`,
      );
      return 1;
    }
  }
  const tracing = options.trace || json !== null;
  let hiddenKernelCalls = 0;
  const onRecord = (r: TraceRecord): void => {
    if (options.trace && r.kind === "kernel-call" && options.kernelCalls === false) hiddenKernelCalls++;
    else if (options.trace) io.stdout(`${formatRecord(r)}\n`);
    if (json !== null) writeSync(json, `${JSON.stringify(r)}\n`);
  };
  const trace = tracing ? imageTrace(image.manifest, image.interfaces, onRecord) : null;
  try {
    const result = await bootImage(image, {
      seed: options.seed,
      memoryBytes: options.memoryBytes,
      maxSteps: options.maxSteps,
      trace: trace?.log,
    });
    trace?.flush();
    for (const f of result.faults) {
      io.stderr(`doorkit run: program '${f.name}' (pid ${f.pid}) was killed: ${f.fault}\n`);
    }
    const outcome = result.outcome;
    switch (outcome.kind) {
      case "exited":
        if (options.trace) {
          const hidden = hiddenKernelCalls > 0 ? ` (${hiddenKernelCalls} kernel calls not shown)` : "";
          io.stdout(`${image.manifest.init} exited with status ${outcome.status} after ${result.steps} steps${hidden}\n`);
        }
        return outcome.status & 0xff;
      case "stuck": {
        const why =
          outcome.end === "step-limit" ? `the step limit (${options.maxSteps}) was reached` : "every thread is blocked";
        io.stderr(`doorkit run: init program '${image.manifest.init}' did not finish: ${why}\n`);
        return 124;
      }
      case "failed":
        io.stderr(`doorkit run: ${outcome.message}\n`);
        return 1;
      default:
        return assertNever(outcome);
    }
  } finally {
    if (json !== null) closeSync(json);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected boot outcome ${JSON.stringify(value)}`);
}
