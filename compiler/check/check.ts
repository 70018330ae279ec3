/**
 * The check phase: consumes the ASTs of an import closure (each file after
 * the files it imports) and produces the model. Each step reports through the
 * Reporter and goes on after errors, so one run reports everything; the model
 * holds only the declarations that checked clean, so callers must not use it
 * when errors were reported.
 */
import type * as ast from "../syntax/ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import type { Declaration, Interface, Model, Struct } from "./model.js";
import { resolveSymbols } from "./resolve-step.js";
import { ConstEvaluator } from "./const-eval.js";
import { TypeResolver } from "./resolve-type.js";
import { checkAttributes } from "./check-attributes.js";
import { checkEnum } from "./check-enums.js";
import { checkStruct, checkStructElements, checkStructGraph } from "./check-structs.js";
import { checkInterface } from "./check-interfaces.js";
import { checkCollisions, checkComposeTargets } from "./check-compose.js";

export function checkFiles(
  files: readonly ast.File[],
  imports: ReadonlyMap<string, readonly string[]>,
  reporter: Reporter,
): Model {
  const symbols = resolveSymbols(files, reporter);
  const consts = new ConstEvaluator(symbols, reporter);
  const types = new TypeResolver(symbols, consts, reporter);
  const declarations = new Map<string, Declaration>();
  const owned = [...symbols.values()];

  for (const { decl, file } of owned) {
    if (decl.kind !== "ConstDecl") continue;
    checkAttributes(decl.attributes, file, "declaration", reporter);
    const c = consts.constant(decl.name.text);
    if (c) declarations.set(c.name, c);
  }
  for (const { decl, file } of owned) {
    if (decl.kind !== "EnumDecl") continue;
    const e = checkEnum(decl, file, consts, reporter);
    if (e) declarations.set(e.name, e);
  }

  const structs = new Map<string, Struct>();
  for (const { decl, file } of owned) {
    if (decl.kind !== "StructDecl") continue;
    const { struct, ok } = checkStruct(decl, file, types, reporter);
    structs.set(struct.name, struct);
    if (ok) declarations.set(struct.name, struct);
  }
  const graph = checkStructGraph(structs, reporter);
  for (const name of [...graph.onCycle, ...graph.tooDeep]) declarations.delete(name);

  const interfaceDecls = owned.flatMap(({ decl, file }) => (decl.kind === "InterfaceDecl" ? [{ decl, file }] : []));
  const { sites: composeSites, tooDeep } = checkComposeTargets(interfaceDecls, symbols, reporter);
  const interfaces: Interface[] = [];
  for (const { decl, file } of interfaceDecls) {
    const sites = composeSites.get(decl.name.text) ?? [];
    const { iface, ok } = checkInterface(
      decl,
      file,
      sites.map((s) => s.target),
      { consts, types, reporter },
    );
    interfaces.push(iface);
    if (ok && !tooDeep.has(iface.name)) declarations.set(iface.name, iface);
  }
  checkStructElements(structs, graph, types.structElements, reporter);
  const checked: Model = { files: [], declarations };
  for (const iface of interfaces) {
    if (declarations.has(iface.name)) checkCollisions(checked, iface, composeSites.get(iface.name) ?? [], reporter);
  }

  return {
    files: files.map((f) => ({
      path: f.path,
      imports: imports.get(f.path) ?? [],
      declarations: f.declarations
        .map((d) => d.name.text)
        .filter((n) => symbols.get(n)?.file === f && declarations.has(n)),
    })),
    declarations,
  };
}
