/**
 * Loads the import closure of the entry files through the compiler host and
 * parses each file once. Import paths are relative to the importing file and
 * name `.idl` files; a missing file is an error at its import, and so is an
 * import that closes a cycle. Produces the files in dependency order (each
 * after the files it imports), which is the order the check phase needs.
 */
import { posix } from "node:path";
import type * as ast from "../syntax/ast.js";
import { parseFile } from "../syntax/index.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import {
  ErrDefinitionsTooDeep,
  ErrFileNotFound,
  ErrImportCycle,
  ErrImportPathInvalid,
  WarnDuplicateImport,
} from "../diagnostics/catalog-check.js";
import { locate } from "./resolve-step.js";
import { NESTING_LIMIT } from "./model.js";

/** Everything the compiler needs from its surroundings; the core touches no files. */
export interface CompilerHost {
  /** The file's text, or undefined if it cannot be read. */
  readFile(path: string): string | undefined;
  /** The path of `spec` imported from `from`; by default joined to `from`'s directory. */
  resolve?(from: string, spec: string): string;
}

export interface LoadedFiles {
  readonly files: readonly ast.File[];
  readonly imports: ReadonlyMap<string, readonly string[]>;
  readonly sources: Map<string, string>;
}

export function defaultResolve(from: string, spec: string): string {
  return posix.normalize(posix.join(posix.dirname(from), spec));
}

export function loadFiles(entryPaths: readonly string[], host: CompilerHost, reporter: Reporter): LoadedFiles {
  const resolve = host.resolve?.bind(host) ?? defaultResolve;
  const sources = new Map<string, string>();
  const parsed = new Map<string, ast.File | null>();
  const imports = new Map<string, string[]>();
  const order: ast.File[] = [];
  const stack: string[] = [];
  let reportedTooDeep = false;

  const parse = (path: string): ast.File | null => {
    if (parsed.has(path)) return parsed.get(path)!;
    const text = host.readFile(path);
    if (text === undefined) {
      parsed.set(path, null);
      return null;
    }
    sources.set(path, text);
    const result = parseFile(path, text);
    for (const d of result.diagnostics) reporter.report(d);
    parsed.set(path, result.file);
    return result.file;
  };

  const visit = (file: ast.File): void => {
    stack.push(file.path);
    const direct: string[] = [];
    for (const imp of file.imports) {
      const spec = imp.path.value;
      const at = locate(file, imp.path);
      if (!spec.endsWith(".idl") || spec.startsWith("/")) {
        reporter.report(ErrImportPathInvalid(at, spec));
        continue;
      }
      const path = resolve(file.path, spec);
      if (direct.includes(path)) {
        reporter.report(WarnDuplicateImport(at, spec));
        continue;
      }
      direct.push(path);
      if (stack.includes(path)) {
        reporter.report(ErrImportCycle(at, [...stack.slice(stack.indexOf(path)), path].join(" -> ")));
        continue;
      }
      if (stack.length >= NESTING_LIMIT && !parsed.has(path)) {
        if (!reportedTooDeep) reporter.report(ErrDefinitionsTooDeep(at, "imports", NESTING_LIMIT));
        reportedTooDeep = true;
        continue;
      }
      const known = parsed.has(path);
      const target = parse(path);
      if (target === null) reporter.report(ErrFileNotFound(at, spec));
      else if (!known) visit(target);
    }
    imports.set(file.path, direct);
    stack.pop();
    order.push(file);
  };

  for (const given of entryPaths) {
    // `./a.idl` and `a.idl` are one file, as imports are after resolution.
    const entry = posix.normalize(given);
    const known = parsed.has(entry);
    const file = parse(entry);
    if (file === null) reporter.report(ErrFileNotFound(null, entry));
    else if (!known) visit(file);
  }
  return { files: order, imports, sources };
}
