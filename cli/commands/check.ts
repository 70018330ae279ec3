/**
 * `doorkit check [--format text|json] FILE...`: compiles the files and their
 * imports and reports every diagnostic. Exit status 0 when there are no
 * errors (warnings allowed), 1 when there are.
 */
import { type Command, UsageError } from "../command.js";
import { compile } from "../../compiler/compile.js";
import { renderJson, renderText } from "../../compiler/diagnostics/render.js";
import { fsHost } from "../fs-host.js";

const usage = `usage: doorkit check [--format text|json] FILE...

Checks IDL files and everything they import: syntax, names, types, function
numbers and message sizes. Diagnostics go to stderr as text with a code frame,
or to stdout as a JSON array with --format json.

options:
  --format F   text (default) or json
`;

function parseArgs(args: readonly string[]): { json: boolean; files: string[] } {
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--format" || arg.startsWith("--format=")) {
      const value = arg === "--format" ? args[++i] : arg.slice("--format=".length);
      if (value !== "text" && value !== "json")
        throw new UsageError(`--format takes text or json, got '${value ?? ""}'`);
      json = value === "json";
    } else if (arg === "--json") json = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}'`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError("no files given");
  return { json, files };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export const checkCommand: Command = {
  name: "check",
  summary: "check IDL files and report diagnostics",
  usage,
  async run(args, io) {
    const { json, files } = parseArgs(args);
    const result = compile(files, fsHost);
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = result.diagnostics.length - errors;
    if (json) io.stdout(renderJson(result.diagnostics, result.sources));
    else if (result.diagnostics.length > 0) {
      io.stderr(renderText(result.diagnostics, result.sources, { color: io.isTty }));
      io.stderr(`${plural(errors, "error")}, ${plural(warnings, "warning")}\n`);
    }
    return errors > 0 ? 1 : 0;
  },
};
