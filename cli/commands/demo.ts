/**
 * `doorkit demo` (what `npm start` runs): builds the demo image from
 * examples/demo/manifest.json and boots it with the trace on, so that one
 * command shows the whole system at work.
 */
import { fileURLToPath } from "node:url";
import { type Command, UsageError } from "../command.js";
import { BuildError, buildImage, readImage } from "../../emulator/image/index.js";
import { compileInterfaces } from "../../emulator/image/compile-interfaces.js";
import { runImage } from "./run.js";

export const DEMO_MANIFEST = fileURLToPath(new URL("../../examples/demo/manifest.json", import.meta.url));

const usage = `usage: doorkit demo [--seed N] [--kernel-calls]

Builds the demo image (examples/demo/manifest.json) and runs it with the
trace on: the kernel starts the process manager, which starts the programs;
each line is one IPC call between processes, decoded through the interfaces'
IDL. --kernel-calls also shows each call to the kernel.
`;

export const demoCommand: Command = {
  name: "demo",
  summary: "build the demo image and run it with the trace on",
  usage,
  async run(args, io) {
    let seed = 0;
    let kernelCalls = false;
    const rest = args.filter((a) => a !== "--kernel-calls");
    if (rest.length < args.length) kernelCalls = true;
    if (rest.length === 2 && rest[0] === "--seed" && /^\d+$/.test(rest[1]!)) seed = Number(rest[1]);
    else if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(" ")}`);
    let bytes: Uint8Array;
    try {
      bytes = await buildImage(DEMO_MANIFEST, { compileInterfaces });
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
      io.stderr(`doorkit demo: ${error.message}\n`);
      return 1;
    }
    const read = readImage(bytes);
    if (!read.ok) throw new Error(`the demo image does not read back: ${read.error.message}`);
    const { manifest } = read.image;
    io.stdout(
      `doorkit demo: image '${manifest.name}', ${bytes.length} bytes, programs ${manifest.programs.map((p) => p.name).join(", ")}\n` +
        "step   caller -> server  Interface.method(request) -> reply\n",
    );
    return runImage(
      read.image,
      { seed, memoryBytes: undefined, maxSteps: 1_000_000, trace: true, traceJson: null, kernelCalls },
      io,
    );
  },
};
