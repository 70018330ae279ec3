/**
 * The layout phase: consumes a checked model and produces a `Layout`, a side
 * table of every struct's and every method's layout, and refuses (DK5xxx)
 * types and messages that cannot fit: a type over 65535 bytes, a method whose
 * buffer exceeds 4095 bytes, a message with more than 255 descriptors.
 */
import type { Reporter } from "../diagnostics/diagnostic.js";
import { ErrMessageTooLarge, ErrTooManyDescriptors, ErrTypeTooLarge } from "../diagnostics/catalog-check.js";
import { isDataType, type Method, type Model } from "../check/model.js";
import { layoutMethod, MAX_BUFFER, MAX_DESCRIPTORS, type MethodLayout } from "./message-layout.js";
import { type StructLayout, TypeLayouter } from "./type-layout.js";

export interface Layout {
  readonly types: TypeLayouter;
  readonly structs: ReadonlyMap<string, StructLayout>;
  /** Keyed by the model's method objects; a composed method has one entry. */
  readonly methods: ReadonlyMap<Method, MethodLayout>;
}

const MAX_TYPE_SIZE = 0xffff;

/** Sizes of absurd nestings exceed exact doubles; say so rather than print an approximation. */
function sizeText(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : `more than ${Number.MAX_SAFE_INTEGER}`;
}

export function layoutModel(model: Model, reporter: Reporter): Layout {
  const types = new TypeLayouter(model);
  const structs = new Map<string, StructLayout>();
  const methods = new Map<Method, MethodLayout>();
  for (const decl of model.declarations.values()) {
    if (decl.kind === "struct") {
      const layout = types.struct(decl.name);
      structs.set(decl.name, layout);
      if (layout.size > MAX_TYPE_SIZE)
        reporter.report(ErrTypeTooLarge(decl.location, decl.name, sizeText(layout.size)));
    }
  }
  for (const decl of model.declarations.values()) {
    if (decl.kind !== "interface") continue;
    for (const method of decl.methods) {
      const layout = layoutMethod(method.request, method.reply, types);
      methods.set(method, layout);
      if (method.trap) continue;
      let paramTooLarge = false;
      for (const p of [...method.request, ...method.reply]) {
        if (!isDataType(p.type) || p.type.kind === "struct") continue;
        const size = types.extent(p.type).size;
        if (size > MAX_TYPE_SIZE) {
          reporter.report(ErrTypeTooLarge(p.location, p.name, sizeText(size)));
          paramTooLarge = true;
        }
      }
      if (!paramTooLarge && layout.bufferSize > MAX_BUFFER) {
        reporter.report(
          ErrMessageTooLarge(method.location, decl.name, method.name, layout.request.totalSize, layout.reply.totalSize),
        );
      }
      for (const [which, message] of [
        ["request", layout.request],
        ["reply", layout.reply],
      ] as const) {
        if (message.descriptors > MAX_DESCRIPTORS) {
          reporter.report(ErrTooManyDescriptors(method.location, decl.name, method.name, which, message.descriptors));
        }
      }
    }
  }
  return { types, structs, methods };
}
