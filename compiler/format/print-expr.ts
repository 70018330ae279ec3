/**
 * One-line forms of the small nodes: constant expressions, types, attributes,
 * doc comments. Literals keep their spelling (`0x1004` stays hex); spacing is
 * canonical (`a | b`, `array<u8, 16>`).
 */
import type * as ast from "../syntax/ast.js";

export function printExpr(e: ast.ConstExpr): string {
  switch (e.kind) {
    case "NumberLiteral":
    case "StringLiteral":
      return e.raw;
    case "BoolLiteral":
      return e.value ? "true" : "false";
    case "NameRef":
      return e.parts.map((p) => p.text).join(".");
    case "BinaryExpr":
      return `${printExpr(e.left)} ${e.operator} ${printExpr(e.right)}`;
    case "ParenExpr":
      return `(${printExpr(e.inner)})`;
    default:
      return assertNever(e);
  }
}

export function printType(t: ast.TypeRef): string {
  if (t.args.length === 0) return t.name.text;
  const args = t.args.map((a) => (a.kind === "TypeRef" ? printType(a) : printExpr(a))).join(", ");
  // `>>` is the shift operator, so nested closing brackets keep a space.
  return `${t.name.text}<${args}${args.endsWith(">") ? " " : ""}>`;
}

export function printAttribute(a: ast.Attribute): string {
  return a.value === null ? `@${a.name.text}` : `@${a.name.text}(${printExpr(a.value)})`;
}

export function printDocLines(doc: ast.DocComment | null): string[] {
  return doc === null ? [] : doc.lines.map((l) => (l === "" ? "///" : `/// ${l}`));
}

/** `name: Type`, with inline attributes: the form of a parameter. */
export function printParam(p: ast.Field): string {
  const attributes = p.attributes.map((a) => `${printAttribute(a)} `).join("");
  return `${attributes}${p.name.text}: ${printType(p.type)}`;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`);
}
