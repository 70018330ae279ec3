/**
 * Attributes (`@name` or `@name(value)`). The language knows one, `@trap` on
 * a method; an unknown attribute is a warning and is ignored, a known one in
 * the wrong place or with a value is an error.
 */
import type * as ast from "../syntax/ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { ErrAttributeMisplaced, ErrAttributeTakesNoValue, WarnUnknownAttribute } from "../diagnostics/catalog-check.js";
import { locate } from "./resolve-step.js";

/** Where each known attribute may appear. */
const KNOWN: Readonly<Record<string, { readonly on: "method"; readonly description: string }>> = {
  trap: { on: "method", description: "methods" },
};

export type AttributeSite = "declaration" | "member" | "method" | "parameter";

/** Reports misuse and returns the names of the valid known attributes present. */
export function checkAttributes(
  attributes: readonly ast.Attribute[],
  file: ast.File,
  site: AttributeSite,
  reporter: Reporter,
): ReadonlySet<string> {
  const present = new Set<string>();
  for (const attr of attributes) {
    const name = attr.name.text;
    const known = Object.hasOwn(KNOWN, name) ? KNOWN[name] : undefined;
    if (!known) {
      reporter.report(WarnUnknownAttribute(locate(file, attr), name));
      continue;
    }
    if (known.on !== site) {
      reporter.report(ErrAttributeMisplaced(locate(file, attr), name, known.description));
      continue;
    }
    if (attr.value !== null) {
      reporter.report(ErrAttributeTakesNoValue(locate(file, attr.value), name));
      continue;
    }
    present.add(name);
  }
  return present;
}
