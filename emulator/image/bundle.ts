/**
 * Bundles one program's source (TypeScript or JavaScript, with everything it
 * imports: generated stubs, the runtime) into a single ES module, so that an
 * image is self-contained and each program runs as its own module instance.
 */
import { build, type Message } from "esbuild";

export type BundleResult =
  { readonly ok: true; readonly code: string } | { readonly ok: false; readonly message: string };

export async function bundleProgram(entry: string): Promise<BundleResult> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      // Programs run on the emulated machine, not on Node: no built-in modules.
      platform: "neutral",
      target: "es2022",
      write: false,
      logLevel: "silent",
      legalComments: "none",
    });
    return { ok: true, code: result.outputFiles[0].text };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors)) throw error;
    return { ok: false, message: errors.map(formatMessage).join("\n") };
  }
}

function formatMessage(m: Message): string {
  const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : "";
  return `${where}${m.text}`;
}
