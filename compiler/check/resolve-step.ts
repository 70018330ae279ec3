/**
 * Builds the global symbol table of a compilation: every declaration of every
 * file in the import closure, by name. Names are global across the closure, so
 * a second declaration of a name anywhere is an error with a note at the
 * first; built-in type names cannot be declared.
 */
import type * as ast from "../syntax/ast.js";
import { type Location, type Reporter, withNote } from "../diagnostics/diagnostic.js";
import { ErrDuplicateDeclaration, ErrNameIsBuiltin } from "../diagnostics/catalog-check.js";
import { GENERIC_NAMES, PRIMITIVE_NAMES } from "./model.js";

export interface Symbol {
  readonly decl: ast.Declaration;
  readonly file: ast.File;
}

export type SymbolTable = ReadonlyMap<string, Symbol>;

const BUILTIN_NAMES: ReadonlySet<string> = new Set<string>([...PRIMITIVE_NAMES, ...GENERIC_NAMES]);

export function locate(file: ast.File, node: { readonly span: ast.Span }): Location {
  return { file: file.path, span: node.span };
}

/** Files in dependency order; the first declaration of a name wins. */
export function resolveSymbols(files: readonly ast.File[], reporter: Reporter): SymbolTable {
  const symbols = new Map<string, Symbol>();
  for (const file of files) {
    for (const decl of file.declarations) {
      const name = decl.name.text;
      if (BUILTIN_NAMES.has(name)) {
        reporter.report(ErrNameIsBuiltin(locate(file, decl.name), name));
        continue;
      }
      const first = symbols.get(name);
      if (first) {
        reporter.report(
          withNote(
            ErrDuplicateDeclaration(locate(file, decl.name), name),
            `'${name}' is first declared here`,
            locate(first.file, first.decl.name),
          ),
        );
        continue;
      }
      symbols.set(name, { decl, file });
    }
  }
  return symbols;
}

/** How a declaration is named in messages: "a constant", "an interface", ... */
export function describeDecl(decl: ast.Declaration): string {
  switch (decl.kind) {
    case "ConstDecl":
      return "a constant";
    case "EnumDecl":
      return decl.flags ? "a bits type" : "an enum";
    case "StructDecl":
      return "a struct";
    case "InterfaceDecl":
      return "an interface";
  }
}

export function docLines(doc: ast.DocComment | null): readonly string[] {
  return doc ? doc.lines : [];
}

/** Names of the declarations of the given kinds. */
export function namesOf(symbols: SymbolTable, kinds: readonly ast.Declaration["kind"][]): string[] {
  return [...symbols].filter(([, s]) => kinds.includes(s.decl.kind)).map(([name]) => name);
}
