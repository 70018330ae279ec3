/**
 * `doorkit gen FILE... --out DIR [--format] [--runtime SPEC]`: TypeScript
 * client and server stubs, one module per IDL file of the compilation
 * (imports included), written under DIR at the file's path relative to the
 * compilation root (docs/typescript.md).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as prettier from "prettier";
import { type Command, type Io, UsageError } from "../command.js";
import { EmitError, emitTypeScript } from "../../compiler/backends/typescript/emit.js";
import { compileOrReport } from "./compile-or-report.js";

const usage = `usage: doorkit gen FILE... --out DIR [--format] [--runtime SPEC]

Generates TypeScript stubs (constants, types, client classes, server
interfaces and dispatchers) for IDL files and the files they import.

options:
  --out DIR        directory to write the modules into (created if needed)
  --runtime SPEC   import specifier of the runtime (default: doorkit/runtime)
  --format         run Prettier on the output (it is already in its style)
`;

export interface GenOptions {
  readonly files: readonly string[];
  readonly out: string;
  readonly runtime?: string;
  readonly format?: boolean;
}

function parseArgs(args: readonly string[]): GenOptions {
  let out: string | null = null;
  let runtime: string | undefined;
  let format = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--out") {
      out = args[++i] ?? null;
      if (out === null) throw new UsageError("--out takes a directory");
    } else if (arg === "--runtime") {
      runtime = args[++i];
      if (runtime === undefined || runtime === "") throw new UsageError("--runtime takes an import specifier");
    } else if (arg === "--format") format = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}'`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError("no files given");
  if (out === null) throw new UsageError("missing --out DIR");
  return { files, out, runtime, format };
}

/** Compiles, emits and writes; reports every problem on `io`; returns the exit status. */
export async function generate(options: GenOptions, io: Io): Promise<number> {
  const ir = compileOrReport(options.files, io);
  if (!ir) return 1;
  let modules: Map<string, string>;
  try {
    modules = emitTypeScript(ir, { runtime: options.runtime });
  } catch (error) {
    if (!(error instanceof EmitError)) throw error;
    io.stderr(`doorkit gen: ${error.message}\n`);
    return 1;
  }
  for (const [path, text] of modules) {
    const target = join(options.out, path);
    const output = options.format ? await prettier.format(text, { parser: "typescript" }) : text;
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, output);
    } catch (error) {
      io.stderr(`doorkit gen: cannot write ${target}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  return 0;
}

export const genCommand: Command = {
  name: "gen",
  summary: "generate TypeScript client and server stubs from IDL files",
  usage,
  async run(args, io: Io) {
    return generate(parseArgs(args), io);
  },
};
