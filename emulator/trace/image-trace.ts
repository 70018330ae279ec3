/**
 * A trace of a booted image: the kernel's events decoded with the system's
 * interfaces and the image's own, objects told apart by the names they were
 * registered under (manifest `serves`).
 */
import type { Ir } from "../../compiler/ir/ir.js";
import type { Manifest } from "../image/manifest.js";
import { type Kernel, RIGHT_READ, RIGHT_WRITE, type TraceHook } from "../kernel/index.js";
import { systemIr } from "./system-ir.js";
import { type TraceRecord, TraceLog } from "./trace-log.js";

export function imageTrace(
  manifest: Manifest,
  interfaces: Ir | null,
  onRecord: (record: TraceRecord) => void,
): { log: (kernel: Kernel, names: ReadonlyMap<string, number>) => TraceHook; flush: () => void } {
  const served = new Map<string, string>();
  for (const program of manifest.programs) {
    for (const [name, iface] of Object.entries(program.serves)) served.set(name, iface);
  }
  const irs = interfaces ? [systemIr(), interfaces] : [systemIr()];
  let trace: TraceLog | null = null;
  return {
    log(kernel, names) {
      const log = new TraceLog(
        irs,
        {
          read: (pid, va, length) => kernel.debugRead(pid, va, length),
          processName: (pid) => kernel.processInfo(pid)?.name ?? "?",
          describe(pid, desc) {
            const d = kernel.descriptorsOf(pid).find((x) => x.descriptor === desc);
            if (d?.kind === "lease") {
              const access = `${d.rights & RIGHT_READ ? "r" : ""}${d.rights & RIGHT_WRITE ? "w" : ""}`;
              return `lease[#${desc},${access || "-"}]`;
            }
            if (d?.kind === "memory") return `memory#${desc}`;
            return undefined;
          },
          interfaceOf(object) {
            for (const [name, id] of names) if (id === object && served.has(name)) return served.get(name);
            return undefined;
          },
        },
        onRecord,
      );
      trace = log;
      return (event) => log.onEvent(event);
    },
    flush: () => trace?.flush(),
  };
}
