import type { Command } from "../command.js";

/**
 * A subcommand as `doorkit help` lists it. The command's module is loaded
 * only when it runs, so that `doorkit fmt` does not pay for the emulator and
 * `doorkit --version` pays for nothing.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/** Every subcommand of `doorkit`, in the order `doorkit help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: "check",
    summary: "check IDL files and report diagnostics",
    load: async () => (await import("./check.js")).checkCommand,
  },
  {
    name: "layout",
    summary: "show struct and message layouts (box diagrams, or --json)",
    load: async () => (await import("./layout.js")).layoutCommand,
  },
  {
    name: "ir",
    summary: "print the JSON IR of IDL files (the input of back ends)",
    load: async () => (await import("./ir.js")).irCommand,
  },
  {
    name: "gen",
    summary: "generate TypeScript client and server stubs from IDL files",
    load: async () => (await import("./gen.js")).genCommand,
  },
  {
    name: "image",
    summary: "build a system image from a manifest, or show one",
    load: async () => (await import("./image.js")).imageCommand,
  },
  {
    name: "run",
    summary: "boot a system image on the emulator",
    load: async () => (await import("./run.js")).runCommand,
  },
  {
    name: "demo",
    summary: "build the demo image and run it with the trace on",
    load: async () => (await import("./demo.js")).demoCommand,
  },
  {
    name: "fmt",
    summary: "rewrite IDL files in the canonical style (--check: only list unformatted ones)",
    load: async () => (await import("./fmt.js")).fmtCommand,
  },
];
