/**
 * `doorkit layout [--json] FILE...`: the layout of every struct and of every
 * method's request and reply buffer, as box diagrams with offsets or as JSON.
 */
import { type Command, UsageError } from "../command.js";
import { layoutJson, layoutText } from "../../compiler/ir/layout-view.js";
import { compileOrReport } from "./compile-or-report.js";

const usage = `usage: doorkit layout [--json] FILE...

Prints the i386 layout of every struct (size, alignment, field offsets) and of
every method's request and reply message (fixed size, maximum data size,
descriptors, total buffer size), as box diagrams or, with --json, as JSON.

options:
  --json   JSON instead of diagrams
`;

export const layoutCommand: Command = {
  name: "layout",
  summary: "show struct and message layouts (box diagrams, or --json)",
  usage,
  async run(args, io) {
    const json = args.includes("--json");
    const unknown = args.find((a) => a.startsWith("-") && a !== "--json");
    if (unknown) throw new UsageError(`unknown option '${unknown}'`);
    const files = args.filter((a) => a !== "--json");
    if (files.length === 0) throw new UsageError("no files given");
    const ir = compileOrReport(files, io);
    if (!ir) return 1;
    io.stdout(json ? `${JSON.stringify(layoutJson(ir), null, 2)}\n` : layoutText(ir));
    return 0;
  },
};
