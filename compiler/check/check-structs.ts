/**
 * Checks `struct` declarations: at least one field, unique field names, every
 * field type valid as data; then, across all structs, that none contains
 * itself by value (through fields, arrays or vectors) and that every struct
 * used as an array or vector element is of fixed size.
 */
import type * as ast from "../syntax/ast.js";
import { type Reporter, withNote } from "../diagnostics/diagnostic.js";
import {
  ErrDuplicateMember,
  ErrEmptyStruct,
  ErrRecursiveStruct,
  ErrVariableSizeElement,
} from "../diagnostics/catalog-check.js";
import type { DataType, Field, Struct } from "./model.js";
import type { StructElement, TypeResolver } from "./resolve-type.js";
import { checkAttributes } from "./check-attributes.js";
import { docLines, locate } from "./resolve-step.js";

/** The struct with the fields that resolved; `ok` is false if any did not. */
export function checkStruct(
  decl: ast.StructDecl,
  file: ast.File,
  types: TypeResolver,
  reporter: Reporter,
): { struct: Struct; ok: boolean } {
  checkAttributes(decl.attributes, file, "declaration", reporter);
  let ok = true;
  if (decl.fields.length === 0) {
    reporter.report(ErrEmptyStruct(locate(file, decl.name), decl.name.text));
    ok = false;
  }
  const fields: Field<DataType>[] = [];
  const seen = new Map<string, ast.Field>();
  for (const f of decl.fields) {
    checkAttributes(f.attributes, file, "member", reporter);
    const earlier = seen.get(f.name.text);
    if (earlier) {
      reporter.report(
        withNote(ErrDuplicateMember(locate(file, f.name), "field", f.name.text), "first declared here", locate(file, earlier.name)),
      );
      ok = false;
      continue;
    }
    seen.set(f.name.text, f);
    const type = types.data(f.type, file);
    if (type === null) {
      ok = false;
      continue;
    }
    fields.push({ name: f.name.text, doc: docLines(f.doc), location: locate(file, f.name), type });
  }
  const struct: Struct = { kind: "struct", name: decl.name.text, doc: docLines(decl.doc), location: locate(file, decl.name), fields };
  return { struct, ok };
}

function structsIn(type: DataType): string[] {
  switch (type.kind) {
    case "struct":
      return [type.name];
    case "array":
    case "vector":
      return structsIn(type.element);
    default:
      return [];
  }
}

/** Reports every cycle of by-value containment once; returns the names on cycles. */
export function checkRecursion(structs: ReadonlyMap<string, Struct>, reporter: Reporter): ReadonlySet<string> {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const onCycle = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, "active");
    stack.push(name);
    for (const field of structs.get(name)?.fields ?? []) {
      for (const next of structsIn(field.type)) {
        if (!structs.has(next)) continue;
        if (state.get(next) === "active") {
          const cycle = stack.slice(stack.indexOf(next));
          if (cycle.some((n) => onCycle.has(n))) continue;
          for (const n of cycle) onCycle.add(n);
          reporter.report(ErrRecursiveStruct(field.location, [...cycle, next].join(" -> ")));
        } else if (!state.has(next)) visit(next);
      }
    }
    stack.pop();
    state.set(name, "done");
  };
  for (const name of structs.keys()) if (!state.has(name)) visit(name);
  return onCycle;
}

/** Reports struct elements of arrays and vectors that have variable-size fields. */
export function checkStructElements(
  structs: ReadonlyMap<string, Struct>,
  elements: readonly StructElement[],
  reporter: Reporter,
): void {
  const memo = new Map<string, boolean>();
  const variable = (name: string): boolean => {
    if (memo.has(name)) return memo.get(name)!;
    memo.set(name, false);
    const isVar = (t: DataType): boolean =>
      t.kind === "string" || t.kind === "bytes" || t.kind === "vector" || (t.kind === "struct" && variable(t.name));
    const result = (structs.get(name)?.fields ?? []).some((f) => isVar(f.type));
    memo.set(name, result);
    return result;
  };
  for (const e of elements) {
    if (variable(e.struct)) {
      reporter.report(
        withNote(
          ErrVariableSizeElement(e.location, e.container),
          `'${e.struct}' has variable-size fields`,
          structs.get(e.struct)?.location ?? null,
        ),
      );
    }
  }
}
