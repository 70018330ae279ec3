/**
 * The TypeScript back end: IR -> one module per IDL file, keyed by its path
 * relative to the output directory (`idl/kernel.idl` -> `idl/kernel.ts`).
 * Pure: no file system access besides loading its templates once.
 */
import type { Ir } from "../../ir/ir.js";
import { EmitError } from "./emit-error.js";
import { renderModule } from "./templates.js";
import { type EmitOptions, moduleViews } from "./view-model.js";

export type { EmitOptions } from "./view-model.js";
export { EmitError } from "./emit-error.js";

export function emitTypeScript(ir: Ir, options: EmitOptions = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const view of moduleViews(ir, options)) {
    const text = renderModule(view);
    checkNames(view.source, text);
    out.set(view.path, text);
  }
  return out;
}

/**
 * Derived names can clash where IDL names do not (`a_b` and `aB` both give
 * `AB`; a struct named `EchoClient` beside interface `Echo`): refuse the
 * module rather than emit code that does not compile.
 */
function checkNames(source: string, text: string): void {
  const values = new Set<string>();
  const types = new Set<string>();
  const add = (set: Set<string>, name: string) => {
    if (set.has(name)) throw new EmitError(`${source}: generated name '${name}' is declared twice; rename one of its sources`);
    set.add(name);
  };
  for (const m of text.matchAll(/^(?:export )?(?:async )?(const|function|class|interface|type) ([A-Za-z_$][\w$]*)/gm)) {
    const [, kind, name] = m as unknown as [string, string, string];
    if (kind === "const" || kind === "function" || kind === "class") add(values, name);
    if (kind === "interface" || kind === "type" || kind === "class") add(types, name);
  }
  for (const m of text.matchAll(/^import \{([^}]*)\} from/gm)) {
    for (const item of m[1]!.split(",")) {
      const name = item.trim().replace(/^type /, "");
      if (name === "") continue;
      if (item.trim().startsWith("type ")) add(types, name);
      else {
        add(values, name);
        if (/^[A-Z]/.test(name) && !name.startsWith("check")) add(types, name);
      }
    }
  }
}
