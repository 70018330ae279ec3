/**
 * Builds an image file from a manifest on disk: validates the manifest,
 * bundles every program, reads the RAM-disk files, compiles the interfaces
 * for the trace, and encodes it all. The only part of `image/` that reads
 * the host's files.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Ir } from "../../compiler/ir/ir.js";
import { bundleProgram } from "./bundle.js";
import { encodeImage } from "./encode.js";
import type { ImageContents } from "./format.js";
import { formatProblems, validateManifest } from "./validate-manifest.js";

/** A mistake in the manifest or its sources, told to the user as is. */
export class BuildError extends Error {}

export interface BuildProgress {
  readonly step: "bundle" | "file" | "interfaces" | "encode";
  /** Steps done so far, including this one, out of `total`. */
  readonly done: number;
  readonly total: number;
  /** The program, file or manifest path the step is about. */
  readonly subject: string;
}

export interface BuildOptions {
  readonly onProgress?: (progress: BuildProgress) => void;
  /** Compiles IDL files (absolute paths) into one IR; a string is an error report. */
  readonly compileInterfaces?: (paths: readonly string[]) => Promise<Ir | string>;
}

export async function buildImage(manifestPath: string, options: BuildOptions = {}): Promise<Uint8Array> {
  const contents = await collectImage(manifestPath, options);
  options.onProgress?.({ step: "encode", done: stepsOf(contents), total: stepsOf(contents), subject: manifestPath });
  try {
    return encodeImage(contents);
  } catch (error) {
    if (error instanceof RangeError) throw new BuildError(error.message);
    throw error;
  }
}

function stepsOf(c: ImageContents): number {
  return c.programs.length + c.files.length + (c.interfaces ? 1 : 0) + 1;
}

export async function collectImage(manifestPath: string, options: BuildOptions = {}): Promise<ImageContents> {
  const text = await readHostFile(manifestPath, "manifest");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(text));
  } catch (error) {
    throw new BuildError(`${manifestPath}: not valid JSON: ${(error as Error).message}`);
  }
  const checked = validateManifest(parsed);
  if (!checked.ok) throw new BuildError(`${manifestPath}: invalid manifest:\n${formatProblems(checked.problems)}`);
  const manifest = checked.manifest;
  const base = dirname(resolve(manifestPath));
  const total = manifest.programs.length + manifest.files.length + (manifest.interfaces.length > 0 ? 1 : 0) + 1;
  let done = 0;
  const report = (step: BuildProgress["step"], subject: string): void =>
    options.onProgress?.({ step, done: ++done, total, subject });

  const programs: string[] = [];
  for (const [i, program] of manifest.programs.entries()) {
    const bundled = await bundleProgram(resolve(base, program.source));
    if (!bundled.ok) {
      throw new BuildError(`$.programs[${i}] (${program.name}): cannot bundle ${program.source}:\n${bundled.message}`);
    }
    programs.push(bundled.code);
    report("bundle", program.name);
  }
  const files: Uint8Array[] = [];
  for (const [i, file] of manifest.files.entries()) {
    files.push(await readHostFile(resolve(base, file.source), `$.files[${i}].source`));
    report("file", file.path);
  }
  let interfaces: Ir | null = null;
  if (manifest.interfaces.length > 0) {
    if (!options.compileInterfaces) {
      throw new BuildError("$.interfaces: this build has no IDL compiler to compile them with");
    }
    const compiled = await options.compileInterfaces(manifest.interfaces.map((p) => resolve(base, p)));
    if (typeof compiled === "string") throw new BuildError(`$.interfaces: cannot compile:\n${compiled.trimEnd()}`);
    interfaces = compiled;
    report("interfaces", manifest.interfaces.join(", "));
  }
  checkServedInterfaces(manifest.programs, interfaces);
  return { manifest, programs, files, interfaces };
}

/** Every interface a program says it serves must be one of the compiled interfaces. */
function checkServedInterfaces(programs: ImageContents["manifest"]["programs"], ir: Ir | null): void {
  const known = new Set(ir?.files.flatMap((f) => f.interfaces.map((i) => i.name)) ?? []);
  for (const [i, program] of programs.entries()) {
    for (const [name, iface] of Object.entries(program.serves)) {
      if (!known.has(iface)) {
        const listed = known.size > 0 ? [...known].join(", ") : "none: add its IDL file to $.interfaces";
        throw new BuildError(
          `$.programs[${i}].serves["${name}"]: unknown interface '${iface}' (compiled interfaces: ${listed})`,
        );
      }
    }
  }
}

async function readHostFile(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (code ?? String(error));
    throw new BuildError(`${what}: cannot read ${path}: ${reason}`);
  }
}
