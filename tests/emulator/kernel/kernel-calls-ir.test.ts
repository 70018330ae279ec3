/**
 * The kernel's table of kernel calls against the compiled IR of
 * idl/kernel.idl: same function numbers, names, request and reply sizes and
 * descriptor counts, so the kernel decodes exactly what generated stubs send.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/compile.js";
import { KERNEL_CALLS } from "../../../emulator/kernel/index.js";

function kernelInterface() {
  const r = compile(["idl/kernel.idl"], {
    readFile: (p: string) => {
      try {
        return readFileSync(p, "utf8");
      } catch {
        return undefined;
      }
    },
  });
  const iface = r.ir?.files.flatMap((f) => f.interfaces).find((i) => i.name === "Kernel");
  if (iface === undefined) throw new Error("idl/kernel.idl does not compile to an interface Kernel");
  return iface;
}

describe("kernel calls match idl/kernel.idl", () => {
  const iface = kernelInterface();
  const messageCalls = iface.methods.filter((m) => !m.trap);

  it("has an entry for every message call and none other", () => {
    expect([...KERNEL_CALLS.keys()].sort((a, b) => a - b)).toEqual(messageCalls.map((m) => m.fn).sort((a, b) => a - b));
  });

  it.each(messageCalls.map((m) => [m.name, m] as const))("%s: same name, sizes and descriptor counts", (_n, m) => {
    const spec = KERNEL_CALLS.get(m.fn)!;
    expect({
      name: spec.name,
      requestData: spec.requestData,
      variable: spec.variable ?? false,
      requestDescs: spec.requestDescs,
      replyData: spec.replyData,
      replyDescs: spec.replyDescs,
    }).toEqual({
      name: m.name,
      requestData: m.request.fixedSize,
      variable: m.request.maxDataSize > m.request.fixedSize,
      requestDescs: m.request.descriptors,
      replyData: m.reply.fixedSize,
      replyDescs: m.reply.descriptors,
    });
  });
});
