/**
 * Checks `interface` declarations: the range class, method names and
 * parameters, `@trap` methods, `reserved` numbers and function numbering
 * (all explicit or none; assigned from the class base in declaration order,
 * skipping reserved numbers; each within the class range, none repeated).
 * `compose` targets are validated by check-compose.ts, which this step uses.
 */
import type * as ast from "../syntax/ast.js";
import { type Reporter, withNote } from "../diagnostics/diagnostic.js";
import {
  ErrDuplicateMember,
  ErrDuplicateNumber,
  ErrDuplicateReserved,
  ErrMixedNumbering,
  ErrNumberingExhausted,
  ErrNumberOutOfRange,
  ErrReservedNumberUsed,
  ErrReservedOutOfRange,
  ErrTrapOutsideKernel,
  ErrTrapWithParameters,
  ErrUnknownRangeClass,
} from "../diagnostics/catalog-check.js";
import { type Field, type Interface, type Method, RANGES, type RangeClass } from "./model.js";
import type { ConstEvaluator } from "./const-eval.js";
import type { TypeResolver } from "./resolve-type.js";
import { checkAttributes } from "./check-attributes.js";
import { docLines, locate } from "./resolve-step.js";
import { withSuggestion } from "./suggest.js";

export interface InterfaceContext {
  readonly consts: ConstEvaluator;
  readonly types: TypeResolver;
  readonly reporter: Reporter;
}

/** `0x1004`, as function numbers are written. */
export function formatFn(n: bigint | number): string {
  const v = BigInt(n);
  return `${v < 0n ? "-" : ""}0x${(v < 0n ? -v : v).toString(16).toUpperCase().padStart(4, "0")}`;
}

export function formatRange(cls: RangeClass): string {
  return `${formatFn(RANGES[cls].first)}-${formatFn(RANGES[cls].last)}`;
}

export function rangeClassOf(decl: ast.InterfaceDecl): RangeClass | null {
  const text = decl.rangeClass.text;
  return Object.hasOwn(RANGES, text) ? (text as RangeClass) : null;
}

interface DraftMethod {
  readonly decl: ast.Method;
  readonly trap: boolean;
  readonly request: readonly Field[];
  readonly reply: readonly Field[];
}

export function checkInterface(
  decl: ast.InterfaceDecl,
  file: ast.File,
  composes: readonly string[],
  ctx: InterfaceContext,
): { iface: Interface; ok: boolean } {
  const { reporter } = ctx;
  const before = reporter.checkpoint();
  checkAttributes(decl.attributes, file, "declaration", reporter);
  const rangeClass = rangeClassOf(decl);
  if (rangeClass === null) {
    const d = ErrUnknownRangeClass(locate(file, decl.rangeClass), decl.rangeClass.text);
    reporter.report(withSuggestion(d, decl.rangeClass.text, Object.keys(RANGES)));
  }
  const reserved = checkReserved(decl, file, rangeClass, ctx);
  const drafts = checkMethods(decl, file, rangeClass, ctx);
  const numbers = rangeClass === null ? null : numberMethods(decl, file, rangeClass, drafts, reserved, ctx);
  const methods: Method[] = drafts.map((d, i) => ({
    name: d.decl.name.text,
    doc: docLines(d.decl.doc),
    location: locate(file, d.decl.name),
    fn: numbers?.[i] ?? 0,
    trap: d.trap,
    request: d.request,
    reply: d.reply,
  }));
  const iface: Interface = {
    kind: "interface",
    name: decl.name.text,
    doc: docLines(decl.doc),
    location: locate(file, decl.name),
    rangeClass: rangeClass ?? "user",
    methods,
    reserved: [...reserved.keys()],
    composes,
  };
  return { iface, ok: before.noNewErrors() };
}

function members<K extends ast.InterfaceMember["kind"]>(
  decl: ast.InterfaceDecl,
  kind: K,
): Extract<ast.InterfaceMember, { kind: K }>[] {
  return decl.members.filter((m): m is Extract<ast.InterfaceMember, { kind: K }> => m.kind === kind);
}

/** Reserved numbers, each with where it was written. */
function checkReserved(
  decl: ast.InterfaceDecl,
  file: ast.File,
  rangeClass: RangeClass | null,
  { consts, reporter }: InterfaceContext,
): Map<number, ast.ConstExpr> {
  const reserved = new Map<number, ast.ConstExpr>();
  for (const r of members(decl, "Reserved")) {
    for (const expr of r.numbers) {
      const v = consts.integer(expr, file);
      if (v === null) continue;
      const at = locate(file, expr);
      if (rangeClass !== null && (v < RANGES[rangeClass].first || v > RANGES[rangeClass].last)) {
        reporter.report(ErrReservedOutOfRange(at, formatFn(v), rangeClass, formatRange(rangeClass)));
        continue;
      }
      const n = Number(v);
      if (reserved.has(n)) {
        reporter.report(
          withNote(ErrDuplicateReserved(at, formatFn(v)), "first reserved here", locate(file, reserved.get(n)!)),
        );
        continue;
      }
      reserved.set(n, expr);
    }
  }
  return reserved;
}

function checkMethods(
  decl: ast.InterfaceDecl,
  file: ast.File,
  rangeClass: RangeClass | null,
  ctx: InterfaceContext,
): DraftMethod[] {
  const { reporter, types } = ctx;
  const seen = new Map<string, ast.Method>();
  const out: DraftMethod[] = [];
  for (const m of members(decl, "Method")) {
    const earlier = seen.get(m.name.text);
    if (earlier) {
      reporter.report(
        withNote(
          ErrDuplicateMember(locate(file, m.name), "method", m.name.text),
          "first declared here",
          locate(file, earlier.name),
        ),
      );
      continue;
    }
    seen.set(m.name.text, m);
    const trap = checkAttributes(m.attributes, file, "method", reporter).has("trap");
    if (trap && rangeClass !== null && rangeClass !== "kernel") {
      reporter.report(ErrTrapOutsideKernel(locate(file, m.name), m.name.text));
    }
    if (trap && (m.request.length > 0 || (m.reply?.length ?? 0) > 0)) {
      reporter.report(ErrTrapWithParameters(locate(file, m.name), m.name.text));
    }
    const params = (list: readonly ast.Field[], position: "request" | "reply"): Field[] => {
      const names = new Map<string, ast.Field>();
      const fields: Field[] = [];
      for (const p of list) {
        checkAttributes(p.attributes, file, "parameter", reporter);
        const first = names.get(p.name.text);
        if (first) {
          reporter.report(
            withNote(
              ErrDuplicateMember(locate(file, p.name), "parameter", p.name.text),
              "first declared here",
              locate(file, first.name),
            ),
          );
          continue;
        }
        names.set(p.name.text, p);
        const type = types.param(p, file, position);
        if (type !== null)
          fields.push({ name: p.name.text, doc: docLines(p.doc), location: locate(file, p.name), type });
      }
      return fields;
    };
    const request = params(m.request, "request");
    const reply = params(m.reply ?? [], "reply");
    out.push({ decl: m, trap, request, reply });
  }
  return out;
}

/** Function numbers of the methods, in order; explicit or assigned from the class base. */
function numberMethods(
  decl: ast.InterfaceDecl,
  file: ast.File,
  rangeClass: RangeClass,
  drafts: readonly DraftMethod[],
  reserved: ReadonlyMap<number, ast.ConstExpr>,
  { consts, reporter }: InterfaceContext,
): (number | null)[] {
  const range = RANGES[rangeClass];
  const explicit = drafts.filter((d) => d.decl.ordinal !== null);
  if (explicit.length > 0 && explicit.length < drafts.length) {
    const missing = drafts.find((d) => d.decl.ordinal === null)!;
    reporter.report(
      withNote(
        ErrMixedNumbering(locate(file, decl.name), decl.name.text),
        `'${missing.decl.name.text}' has no number`,
        locate(file, missing.decl.name),
      ),
    );
    return drafts.map(() => null);
  }
  const used = new Map<number, ast.Method>();
  let next = range.first;
  return drafts.map((d) => {
    const name = d.decl.name.text;
    let fn: number;
    if (d.decl.ordinal !== null) {
      const v = consts.integer(d.decl.ordinal, file);
      if (v === null) return null;
      const at = locate(file, d.decl.ordinal);
      if (v < range.first || v > range.last) {
        reporter.report(ErrNumberOutOfRange(at, name, formatFn(v), rangeClass, formatRange(rangeClass)));
        return null;
      }
      fn = Number(v);
      if (reserved.has(fn)) {
        reporter.report(
          withNote(ErrReservedNumberUsed(at, name, formatFn(fn)), "reserved here", locate(file, reserved.get(fn)!)),
        );
        return null;
      }
    } else {
      while (reserved.has(next)) next++;
      if (next > range.last) {
        reporter.report(ErrNumberingExhausted(locate(file, d.decl.name), name, rangeClass, formatRange(rangeClass)));
        return null;
      }
      fn = next++;
    }
    const other = used.get(fn);
    if (other) {
      reporter.report(
        withNote(
          ErrDuplicateNumber(locate(file, d.decl.ordinal ?? d.decl.name), name, formatFn(fn), other.name.text),
          `'${other.name.text}' is declared here`,
          locate(file, other.name),
        ),
      );
      return null;
    }
    used.set(fn, d.decl);
    return fn;
  });
}
