/**
 * `doorkit fmt [--check] FILE|DIR...`: rewrites IDL files in the canonical style
 * (docs/idl.md, "Formatting"). With `--check` nothing is written: the files
 * that are not formatted are listed and the status is 1. A file with syntax
 * errors is never rewritten; its diagnostics are printed and the status is 1.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, type Io, UsageError } from "../command.js";
import { formatText } from "../../compiler/format/format.js";
import { renderText } from "../../compiler/diagnostics/render.js";

const usage = `usage: doorkit fmt [--check] FILE|DIR...

Rewrites each IDL FILE (and every .idl file under each DIR) in the one
canonical style: 4-space indent, a blank line between declarations, comments
and doc comments kept in place.

options:
  --check   write nothing; list the files that are not formatted, exit 1 if any
`;

function parseArgs(args: readonly string[]): { check: boolean; files: string[] } {
  let check = false;
  const files: string[] = [];
  let optionsDone = false;
  for (const arg of args) {
    if (!optionsDone && arg === "--") optionsDone = true;
    else if (!optionsDone && arg === "--check") check = true;
    else if (!optionsDone && arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option '${arg}'`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError("no files given");
  return { check, files };
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}

/** Formats one file; returns whether it is fine (formatted, or written). */
function formatOne(path: string, check: boolean, io: Io): boolean {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    io.stderr(`doorkit fmt: cannot read ${path}: ${errorText(error)}\n`);
    return false;
  }
  const result = formatText(path, text);
  switch (result.kind) {
    case "syntax-errors":
      io.stderr(renderText(result.diagnostics, new Map([[path, text]]), { color: io.isTty }));
      return false;
    case "formatted":
      if (result.text === text) return true;
      if (check) {
        io.stdout(`${path}\n`);
        return false;
      }
      try {
        writeFileSync(path, result.text);
      } catch (error) {
        io.stderr(`doorkit fmt: cannot write ${path}: ${errorText(error)}\n`);
        return false;
      }
      return true;
  }
}

/** A directory stands for every `.idl` file under it, in name order; anything else for itself. */
function expand(path: string): string[] {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    return [path];
  }
  if (!isDirectory) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : expand(child);
      return entry.name.endsWith(".idl") ? [child] : [];
    });
}

export const fmtCommand: Command = {
  name: "fmt",
  summary: "rewrite IDL files in the canonical style (--check: only list unformatted ones)",
  usage,
  async run(args, io) {
    const { check, files } = parseArgs(args);
    let ok = true;
    for (const file of files.flatMap(expand)) ok = formatOne(file, check, io) && ok;
    return ok ? 0 : 1;
  },
};
