/**
 * `doorkit ir [--out F] FILE...`: the IR of the files and their imports as
 * JSON (docs/ir.md), on stdout or into F.
 */
import { writeFileSync } from "node:fs";
import { type Command, UsageError } from "../command.js";
import { compileOrReport } from "./compile-or-report.js";

const usage = `usage: doorkit ir [--out F] FILE...

Compiles IDL files and prints their IR, the JSON that back ends read
(docs/ir.md).

options:
  --out F   write the IR to F instead of stdout
`;

function parseArgs(args: readonly string[]): { out: string | null; files: string[] } {
  let out: string | null = null;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--out") {
      out = args[++i] ?? null;
      if (out === null) throw new UsageError("--out takes a file name");
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}'`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError("no files given");
  return { out, files };
}

export const irCommand: Command = {
  name: "ir",
  summary: "print the JSON IR of IDL files (the input of back ends)",
  usage,
  async run(args, io) {
    const { out, files } = parseArgs(args);
    const ir = compileOrReport(files, io);
    if (!ir) return 1;
    const text = `${JSON.stringify(ir, null, 2)}\n`;
    if (out === null) {
      io.stdout(text);
      return 0;
    }
    try {
      writeFileSync(out, text);
    } catch (error) {
      io.stderr(`doorkit ir: cannot write ${out}: ${(error as Error).message}\n`);
      return 1;
    }
    return 0;
  },
};
