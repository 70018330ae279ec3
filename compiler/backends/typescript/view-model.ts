/**
 * IR -> the data the templates print, one ModuleView per IDL file. All the
 * decisions live here (names, types, codec statements, line breaking); the
 * templates only lay the pieces out. Consumes the IR only.
 */
import type { Ir, IrConst, IrEnum, IrFile, IrStruct } from "../../ir/ir.js";
import { decodeValue, encodeLines, isWideInt, Locals, paddingLines, type Scope, tsType } from "./codec-gen.js";
import { EmitError } from "./emit-error.js";
import { docLines, fitList, functionLines, hex, quote, wrapLine } from "./format.js";
import { interfaceView, type InterfaceView } from "./view-model-interface.js";
import { modulePath, relativeSpecifier } from "./names.js";

export interface EmitOptions {
  /** Import specifier of the runtime; default "doorkit/runtime". */
  readonly runtime?: string;
}

export interface ModuleView {
  readonly path: string;
  readonly source: string;
  /** The runtime import, or null when the module needs none. */
  readonly runtimeImport: string | null;
  readonly imports: readonly string[];
  readonly consts: readonly Block[];
  readonly enums: readonly EnumView[];
  readonly structs: readonly StructView[];
  readonly interfaces: readonly InterfaceView[];
}

/** A piece of code: its doc comment lines and its code lines, printed in order. */
export interface Block {
  readonly doc: readonly string[];
  readonly code: readonly string[];
}

export interface EnumView {
  readonly doc: readonly string[];
  readonly name: string;
  readonly members: readonly Block[];
  readonly typeLine: string;
  readonly check: readonly string[];
}

export interface StructView {
  readonly doc: readonly string[];
  readonly name: string;
  readonly fields: readonly Block[];
  readonly encode: readonly string[];
  readonly decode: readonly string[];
}

/** Where each declared type lives, and which names a module imports. */
class ModuleScope implements Scope {
  readonly imported = new Map<string, Set<string>>();

  constructor(
    private readonly here: string,
    private readonly homes: ReadonlyMap<string, string>,
    private readonly structs: ReadonlySet<string>,
  ) {}

  /** Returns `name`, recording `specifier` as an import when `decl` lives in another module. */
  private use(decl: string, name: string, specifier = name): string {
    const home = this.homes.get(decl);
    if (home === undefined) throw new EmitError(`type '${decl}' is not declared in the IR`);
    if (home !== this.here) {
      let names = this.imported.get(home);
      if (!names) this.imported.set(home, (names = new Set()));
      names.add(specifier);
    }
    return name;
  }

  /** Structs are types only (`import { type S }`); an enum is a type and a value of one name. */
  typeName(name: string): string {
    return this.use(name, name, this.structs.has(name) ? `type ${name}` : name);
  }

  helper(name: string, what: "encode" | "decode" | "check"): string {
    return this.use(name, `${what}${name}`);
  }
}

export function moduleViews(ir: Ir, options: EmitOptions = {}): ModuleView[] {
  const homes = new Map<string, string>();
  const structs = new Set<string>();
  for (const file of ir.files) {
    for (const d of [...file.enums, ...file.structs]) homes.set(d.name, modulePath(file.path));
    for (const d of file.structs) structs.add(d.name);
  }
  return ir.files.map((file) => moduleView(file, homes, structs, options.runtime ?? "doorkit/runtime"));
}

function moduleView(file: IrFile, homes: ReadonlyMap<string, string>, structs: ReadonlySet<string>, runtime: string): ModuleView {
  const path = modulePath(file.path);
  const scope = new ModuleScope(path, homes, structs);
  const enums = file.enums.map((e) => enumView(e));
  const structViews = file.structs.map((s) => structView(s, scope));
  const interfaces = file.interfaces.map((i) => interfaceView(i, scope));
  const imports = [...scope.imported]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([home, names]) =>
      fitList("", "import ", [...names].sort(byName), ` from ${quote(relativeSpecifier(path, home))};`, {
        open: "{",
        close: "}",
        pad: true,
      }),
    );
  return {
    path,
    source: file.path,
    runtimeImport:
      enums.length + structViews.length + file.interfaces.length > 0 ? `import * as rt from ${quote(runtime)};` : null,
    imports,
    consts: file.consts.map(constBlock),
    enums,
    structs: structViews,
    interfaces,
  };
}

function byName(a: string, b: string): number {
  const x = a.replace(/^type /, "");
  const y = b.replace(/^type /, "");
  return x < y ? -1 : x > y ? 1 : 0;
}

function constBlock(c: IrConst): Block {
  let value: string;
  let type: string;
  if (c.type.kind === "string") {
    value = quote(String(c.value));
    type = "string";
  } else if (c.type.name === "bool") {
    value = String(c.value);
    type = "boolean";
  } else if (c.type.name === "u64" || c.type.name === "i64") {
    value = `${String(c.value)}n`;
    type = "bigint";
  } else {
    value = String(c.value);
    type = "number";
  }
  return { doc: docLines(c.doc, ""), code: wrapLine(`export const ${c.name}: ${type} = ${value};`) };
}

function enumLiteral(value: number | string, wide: boolean, flags: boolean): string {
  if (wide) return `${String(value)}n`;
  const n = Number(value);
  return flags && n >= 0 ? hex(n) : String(n);
}

function enumView(e: IrEnum): EnumView {
  const wide = isWideInt(e.base);
  const members = e.members.map((m) => ({
    doc: docLines(m.doc, "  "),
    code: [`  ${m.name}: ${enumLiteral(m.value, wide, e.flags)},`],
  }));
  const valueType = wide ? "bigint" : "number";
  const check = [
    `/** Returns \`v\` when it is a valid ${e.name}; throws rt.CodecError otherwise. */`,
    ...fitList("", `export function check${e.name}`, [`v: ${valueType}`, "label: string"], `: ${e.name} {`),
  ];
  if (e.flags) {
    const mask = wide
      ? `${e.members.reduce((m, x) => m | BigInt(x.value), 0n).toString()}n`
      : hex(e.members.reduce((m, x) => m | Number(x.value), 0) >>> 0);
    const zero = wide ? "0n" : "0";
    check.push(
      ...wrapLine(`  if ((rt.${e.base}(v, label) & ~${mask}) !== ${zero}) {`),
      `    return rt.malformed(\`\${label}: \${v} has bits outside ${e.name}\`);`,
      "  }",
      "  return v;",
      "}",
    );
  } else {
    const seen = new Set<string>();
    const cases = e.members
      .map((m) => enumLiteral(m.value, wide, false))
      .filter((v) => (seen.has(v) ? false : (seen.add(v), true)))
      .map((v) => `    case ${v}:`);
    check.push(
      "  switch (v) {",
      ...cases,
      "      return v;",
      "    default:",
      `      return rt.malformed(\`\${label}: \${v} is not a ${e.name}\`);`,
      "  }",
      "}",
    );
  }
  return {
    doc: docLines(e.doc, ""),
    name: e.name,
    members,
    typeLine: e.flags ? `export type ${e.name} = ${valueType};` : `export type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];`,
    check,
  };
}

function structView(s: IrStruct, scope: Scope): StructView {
  const fields = s.fields.map((f) => ({
    doc: docLines(f.doc, "  "),
    code: [`  ${f.name}: ${tsType(f.type, scope)};`],
  }));
  const enc = new Locals();
  const encodeBody = [
    ...s.fields.flatMap((f) => encodeLines(f.type, plusAt(f.offset), `v.${f.name}`, `${s.name}.${f.name}`, scope, enc)),
    ...paddingLines("at", s.size, s.fields.map((f) => ({ offset: f.offset, size: f.type.size }))),
  ];
  const dec = new Locals();
  const decoded = s.fields.map((f) => ({ f, d: decodeValue(f.type, plusAt(f.offset), `${s.name}.${f.name}`, scope, dec) }));
  const decodeBody = [
    ...decoded.flatMap(({ d }) => d.lines),
    "return {",
    ...decoded.map(({ f, d }) => `  ${f.name}: ${d.expr},`),
    "};",
  ];
  return {
    doc: docLines(s.doc, ""),
    name: s.name,
    fields,
    encode: functionLines(
      [`/** Writes \`v\` at byte \`at\`: ${s.size} bytes, align ${s.align}, contents at the frame's end. */`],
      `export function encode${s.name}`,
      ["f: rt.Frame", "at: number", `v: ${s.name}`],
      "void",
      encodeBody,
    ),
    decode: functionLines(
      [`/** Reads and validates the ${s.name} at byte \`at\`. */`],
      `export function decode${s.name}`,
      ["f: rt.Frame", "at: number"],
      s.name,
      decodeBody,
    ),
  };
}

function plusAt(offset: number): string {
  return offset === 0 ? "at" : `at + ${offset}`;
}

