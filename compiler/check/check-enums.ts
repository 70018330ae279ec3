/**
 * Checks `enum` and `bits` declarations: the base is an integer type (u32 when
 * omitted), member names are unique, every value fits the base, and no two
 * members share a value.
 */
import type * as ast from "../syntax/ast.js";
import { type Reporter, withNote } from "../diagnostics/diagnostic.js";
import {
  ErrDuplicateEnumValue,
  ErrDuplicateMember,
  ErrEnumBaseNotInteger,
  ErrEnumValueDoesNotFit,
} from "../diagnostics/catalog-check.js";
import { type Enum, type EnumMember, type IntName, intRange, isIntName } from "./model.js";
import type { ConstEvaluator } from "./const-eval.js";
import { typeText } from "./const-eval.js";
import { checkAttributes } from "./check-attributes.js";
import { docLines, locate } from "./resolve-step.js";

export function checkEnum(decl: ast.EnumDecl, file: ast.File, consts: ConstEvaluator, reporter: Reporter): Enum | null {
  checkAttributes(decl.attributes, file, "declaration", reporter);
  let base: IntName = "u32";
  let ok = true;
  if (decl.base) {
    if (decl.base.args.length === 0 && isIntName(decl.base.name.text)) base = decl.base.name.text;
    else {
      reporter.report(ErrEnumBaseNotInteger(locate(file, decl.base), typeText(decl.base)));
      ok = false;
    }
  }
  const { min, max } = intRange(base);
  const members: EnumMember[] = [];
  const byName = new Map<string, ast.EnumMember>();
  const byValue = new Map<bigint, ast.EnumMember>();
  for (const m of decl.members) {
    checkAttributes(m.attributes, file, "member", reporter);
    const name = m.name.text;
    const earlier = byName.get(name);
    if (earlier) {
      reporter.report(
        withNote(
          ErrDuplicateMember(locate(file, m.name), "enum member", name),
          "first declared here",
          locate(file, earlier.name),
        ),
      );
      ok = false;
      continue;
    }
    byName.set(name, m);
    const value = consts.member(decl, m, file);
    if (value === null) {
      ok = false;
      continue;
    }
    if (value < min || value > max) {
      reporter.report(ErrEnumValueDoesNotFit(locate(file, m.value), name, String(value), base));
      ok = false;
      continue;
    }
    const same = byValue.get(value);
    if (same) {
      reporter.report(
        withNote(
          ErrDuplicateEnumValue(locate(file, m.value), name, String(value), same.name.text),
          `'${same.name.text}' is declared here`,
          locate(file, same.name),
        ),
      );
      ok = false;
      continue;
    }
    byValue.set(value, m);
    members.push({ name, doc: docLines(m.doc), location: locate(file, m.name), value });
  }
  if (!ok) return null;
  return {
    kind: "enum",
    name: decl.name.text,
    doc: docLines(decl.doc),
    location: locate(file, decl.name),
    base,
    flags: decl.flags,
    members,
  };
}
