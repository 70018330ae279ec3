/**
 * The compiler host of the command line: reads files from disk. Anything that
 * cannot be read (missing, a directory, no permission) is `undefined`, which
 * the compiler reports as a diagnostic.
 */
import { readFileSync } from "node:fs";
import type { CompilerHost } from "../compiler/compile.js";

export const fsHost: CompilerHost = {
  readFile(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
};
