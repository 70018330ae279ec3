/**
 * `doorkit image build MANIFEST --out FILE` and `doorkit image show FILE`.
 */
import { readFile, writeFile } from "node:fs/promises";
import { type Command, type Io, UsageError } from "../command.js";
import { BuildError, type BuildProgress, buildImage, readImage } from "../../emulator/image/index.js";
import { compileInterfaces } from "../../emulator/image/compile-interfaces.js";

const usage = `usage: doorkit image build MANIFEST --out FILE [--progress]
       doorkit image show FILE

build   validates the manifest, bundles every program, and writes one
        self-contained image file (format: emulator/image/README.md)
show    checks an image and lists what it holds

options:
  --out FILE     where to write the image
  --progress     report each step (on by default when output is a terminal)
`;

export const imageCommand: Command = {
  name: "image",
  summary: "build a system image from a manifest, or show one",
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    switch (sub) {
      case "build":
        return runBuild(rest, io);
      case "show":
        return runShow(rest, io);
      default:
        throw new UsageError(sub === undefined ? "missing subcommand" : `unknown subcommand '${sub}'`);
    }
  },
};

async function runBuild(args: readonly string[], io: Io): Promise<number> {
  let manifest: string | undefined;
  let out: string | undefined;
  let progress = io.isTty;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--out") {
      out = args[++i];
      if (out === undefined) throw new UsageError("--out needs a file name");
    } else if (arg === "--progress") {
      progress = true;
    } else if (arg.startsWith("-")) {
      throw new UsageError(`unknown option '${arg}'`);
    } else if (manifest === undefined) {
      manifest = arg;
    } else {
      throw new UsageError(`unexpected argument '${arg}'`);
    }
  }
  if (manifest === undefined) throw new UsageError("missing MANIFEST");
  if (out === undefined) throw new UsageError("missing --out FILE");
  const onProgress = progress
    ? (p: BuildProgress) => io.stderr(`[${p.done}/${p.total}] ${p.step} ${p.subject}\n`)
    : undefined;
  let image: Uint8Array;
  try {
    image = await buildImage(manifest, { onProgress, compileInterfaces });
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    io.stderr(`doorkit image: ${error.message}\n`);
    return 1;
  }
  try {
    await writeFile(out, image);
  } catch (error) {
    io.stderr(`doorkit image: cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return 1;
  }
  io.stdout(`wrote ${out} (${image.length} bytes)\n`);
  return 0;
}

async function runShow(args: readonly string[], io: Io): Promise<number> {
  if (args.length !== 1 || args[0].startsWith("-")) throw new UsageError("show takes one image FILE");
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(args[0]));
  } catch (error) {
    io.stderr(`doorkit image: cannot read ${args[0]}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return 1;
  }
  const result = readImage(bytes);
  if (!result.ok) {
    io.stderr(`doorkit image: ${args[0]}: ${result.error.message}\n`);
    return 1;
  }
  const { manifest, programs, files, interfaces } = result.image;
  const lines = [`image ${manifest.name} (${bytes.length} bytes), init ${manifest.init}`, "programs:"];
  manifest.programs.forEach((p, i) => {
    const flags = (p.autostart ? "" : " (on request)") + (p.ramDisk ? " (ram disk)" : "");
    lines.push(
      `  ${p.name.padEnd(16)} domain ${p.domain.padEnd(12)} ${String(programs[i].length).padStart(8)} bytes${flags}`,
    );
  });
  if (files.length > 0) lines.push("files:");
  manifest.files.forEach((f, i) => lines.push(`  ${f.path.padEnd(32)} ${String(files[i].length).padStart(8)} bytes`));
  if (interfaces) {
    const names = interfaces.files.flatMap((f) => f.interfaces.map((x) => x.name));
    lines.push(`interfaces: ${names.join(", ")}`);
  }
  lines.push(`domains: ${Object.keys(manifest.policy.domains).join(", ")}`);
  io.stdout(`${lines.join("\n")}\n`);
  return 0;
}
