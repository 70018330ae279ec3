/**
 * The dispatcher robustness property, shared by properties.test.ts (small
 * counts) and fuzz/dispatch.fuzz.ts (long campaigns): random messages given
 * to a generated dispatcher never crash it, and reach the implementation only
 * as a request that re-encodes with the generated encoder and decodes back to
 * the same value.
 */
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import * as rt from "../../../runtime/index.js";
import { type Answer, memoryBuffer, ScriptedTrap } from "../../support/scripted-trap.js";
import * as k from "./golden/kernel/kernel.js";
import * as s from "./golden/all-types/all-types.js";
import * as e from "./golden/echo/echo.js";
import * as p from "./golden/procmgr/procmgr.js";

const REACHED = new Error("reached the implementation");

export interface DispatcherCase {
  readonly name: string;
  readonly module: Record<string, unknown>;
  readonly make: (impl: never) => rt.Dispatcher;
  readonly fns: readonly number[];
}

export const dispatchers: readonly DispatcherCase[] = [
  { name: "Shapes", module: s, make: (impl: s.ShapesServer) => new s.ShapesDispatcher(impl), fns: Object.values(s.ShapesFn) },
  { name: "Extra", module: s, make: (impl: s.ExtraServer) => new s.ExtraDispatcher(impl), fns: Object.values(s.ExtraFn) },
  { name: "Kernel", module: k, make: (impl: k.KernelServer) => new k.KernelDispatcher(impl), fns: Object.values(k.KernelFn) },
  { name: "Procmgr", module: p, make: (impl: p.ProcmgrServer) => new p.ProcmgrDispatcher(impl), fns: Object.values(p.ProcmgrFn) },
  {
    name: "ProcmgrEvents",
    module: p,
    make: (impl: p.ProcmgrEventsServer) => new p.ProcmgrEventsDispatcher(impl),
    fns: Object.values(p.ProcmgrEventsFn),
  },
  { name: "Echo", module: e, make: (impl: e.EchoServer) => new e.EchoDispatcher(impl), fns: Object.values(e.EchoFn) },
  { name: "Tricky", module: s, make: (impl: s.TrickyServer) => new s.TrickyDispatcher(impl), fns: Object.values(s.TrickyFn) },
];

/** An implementation whose every method records the request and throws REACHED. */
function recorder(seen: { method: string; request: unknown }[]): never {
  return new Proxy(
    {},
    {
      get: (_t, method) => (request: unknown) => {
        seen.push({ method: String(method), request });
        throw REACHED;
      },
    },
  ) as never;
}

/** Whether a request the implementation saw re-encodes and decodes back to itself. */
function reencodes(d: DispatcherCase, implMethod: string, request: Record<string, unknown>): boolean {
  const method = implMethod === "constructor_" ? "constructor" : implMethod;
  const pascal = method
    .split("_")
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
  const encode = d.module[`encode${d.name}${pascal}Request`] as (f: rt.Frame, ...args: unknown[]) => number;
  const decode = d.module[`decode${d.name}${pascal}Request`] as (f: rt.Frame, size: number, descs: number) => unknown;
  const sizes = d.module[`${d.name}Sizes`] as Record<string, { request: { descriptors: number } }>;
  const f = new rt.Frame(memoryBuffer(4095));
  const size = encode(f, ...Object.values(request));
  return isDeepStrictEqual(decode(f, size, sizes[method]!.request.descriptors), request);
}

/** DESC_INFO always answers "a door with every right", so descriptor kinds pass. */
const doorInfo: Answer = (_a, b) => {
  b.view.setUint32(8, rt.KIND_DOOR, true);
  b.view.setUint32(12, 0x3f, true);
  return [0, 0, 0, 24 << 8];
};

export type DispatchResult = "rejected" | "reached";

/** Runs one random message; returns what happened, or throws if the property fails. */
export async function dispatchOnce(
  d: DispatcherCase,
  fn: number,
  data: Uint8Array,
  dataSize: number,
  descCount: number,
): Promise<DispatchResult> {
  const buffer = memoryBuffer(512);
  const call = new rt.Call(new ScriptedTrap(buffer, Array.from({ length: 8 }, () => doorInfo)), new rt.Frame(buffer));
  buffer.bytes.set(data);
  call.fn = fn;
  call.dataSize = dataSize;
  call.descCount = descCount;
  const seen: { method: string; request: unknown }[] = [];
  let outcome: rt.Outcome;
  try {
    outcome = await d.make(recorder(seen)).dispatch(call);
  } catch (error) {
    if (error !== REACHED) throw new Error(`${d.name}: dispatch threw ${String(error)}`);
    const { method, request } = seen[0]!;
    if (seen.length !== 1 || !reencodes(d, method, request as Record<string, unknown>)) {
      throw new Error(`${d.name}.${method}: the implementation got a request that does not re-encode`);
    }
    return "reached";
  }
  if (outcome.kind !== "reject" || seen.length !== 0) throw new Error(`${d.name}: ${outcome.kind} without the implementation`);
  return "rejected";
}

/**
 * Random messages: half aimed at one of the interface's methods with its own
 * fixed size and descriptor count (so that valid requests occur), half wild.
 */
export function messages(d: DispatcherCase): fc.Arbitrary<[number, Uint8Array, number, number]> {
  const fns = d.module[`${d.name}Fn`] as Record<string, number>;
  const sizes = d.module[`${d.name}Sizes`] as Record<string, { request: { fixed: number; descriptors: number } }>;
  const methods = Object.keys(sizes).map((name) => ({ fn: fns[name]!, ...sizes[name]!.request }));
  const size = fc.integer({ min: 0, max: 200 });
  const descs = fc.integer({ min: 0, max: 3 });
  const aimed = fc
    .constantFrom(...methods)
    .chain((m) =>
      fc.tuple(
        fc.constant(m.fn),
        fc.uint8Array({ maxLength: 200 }),
        fc.oneof(fc.constant(m.fixed), size),
        fc.oneof(fc.constant(m.descriptors), descs),
      ),
    );
  const wild = fc.tuple(
    fc.oneof(fc.constantFrom(...d.fns), fc.integer({ min: -1, max: 0x9100 })),
    fc.uint8Array({ maxLength: 200 }),
    size,
    descs,
  );
  return fc.oneof(aimed, wild);
}
