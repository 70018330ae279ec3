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
  ErrDefinitionsTooDeep,
  ErrRecursiveStruct,
  ErrVariableSizeElement,
} from "../diagnostics/catalog-check.js";
import type { DataType, Field, Struct } from "./model.js";
import type { StructElement, TypeResolver } from "./resolve-type.js";
import { checkAttributes } from "./check-attributes.js";
import { depthFirst } from "./graph.js";
import { NESTING_LIMIT } from "./model.js";
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
        withNote(
          ErrDuplicateMember(locate(file, f.name), "field", f.name.text),
          "first declared here",
          locate(file, earlier.name),
        ),
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
  const struct: Struct = {
    kind: "struct",
    name: decl.name.text,
    doc: docLines(decl.doc),
    location: locate(file, decl.name),
    fields,
  };
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

/** What the containment graph of the structs says, from one traversal. */
export interface StructGraph {
  /** Structs on a cycle of by-value containment (reported). */
  readonly onCycle: ReadonlySet<string>;
  /** Structs that nest other structs more than NESTING_LIMIT deep (reported once). */
  readonly tooDeep: ReadonlySet<string>;
  /** Whether each struct has variable-size fields at any depth. */
  readonly variable: ReadonlyMap<string, boolean>;
}

/**
 * Reports every cycle of by-value containment once, and the first struct that
 * nests structs more than NESTING_LIMIT deep (later phases recurse on
 * nesting).
 */
export function checkStructGraph(structs: ReadonlyMap<string, Struct>, reporter: Reporter): StructGraph {
  const onCycle = new Set<string>();
  const tooDeep = new Set<string>();
  const depth = new Map<string, number>();
  const variable = new Map<string, boolean>();
  type Edge = { readonly field: Field<DataType>; readonly to: string };
  const edges = (name: string): Edge[] =>
    (structs.get(name)?.fields ?? []).flatMap((field) =>
      structsIn(field.type)
        .filter((to) => structs.has(to))
        .map((to) => ({ field, to })),
    );
  depthFirst(structs.keys(), edges, (e) => e.to, {
    backEdge: (_from, edge, path) => {
      const cycle = path.slice(path.indexOf(edge.to));
      if (cycle.some((n) => onCycle.has(n))) return;
      for (const n of cycle) onCycle.add(n);
      reporter.report(ErrRecursiveStruct(edge.field.location, [...cycle, edge.to].join(" -> ")));
    },
    finish: (name) => {
      const fields = structs.get(name)?.fields ?? [];
      const children = edges(name).map((e) => e.to);
      depth.set(name, 1 + Math.max(0, ...children.map((c) => depth.get(c) ?? 0)));
      variable.set(name, fields.some((f) => isVariableLeaf(f.type)) || children.some((c) => variable.get(c) === true));
      if (depth.get(name)! > NESTING_LIMIT) {
        if (tooDeep.size === 0)
          reporter.report(ErrDefinitionsTooDeep(structs.get(name)!.location, "structs", NESTING_LIMIT));
        tooDeep.add(name);
      }
    },
  });
  return { onCycle, tooDeep, variable };
}

function isVariableLeaf(t: DataType): boolean {
  return t.kind === "string" || t.kind === "bytes" || t.kind === "vector";
}

/** Reports struct elements of arrays and vectors that have variable-size fields. */
export function checkStructElements(
  structs: ReadonlyMap<string, Struct>,
  graph: StructGraph,
  elements: readonly StructElement[],
  reporter: Reporter,
): void {
  for (const e of elements) {
    if (graph.variable.get(e.struct) === true) {
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
