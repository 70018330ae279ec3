/**
 * Determinism: the same programs and seed give the same trace, event for
 * event; the seed really changes the order of ready threads.
 */
import { describe, expect, it } from "vitest";
import { Kernel, snapshot } from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { adder, pack, trap } from "../support/harness.js";

async function traceOf(seed: number): Promise<string[]> {
  const kernel = new Kernel({ memoryBytes: 1 << 20, seed });
  const events: string[] = [];
  kernel.traceHook = (e) => {
    const s = snapshot(e);
    events.push(`${s.step} ${s.kind} ${s.pid}.${s.tid}->${s.peerPid}.${s.peerTid} fn=${s.fn} ${s.dataSize}/${s.descCount} ${s.errno}`);
  };
  kernel.spawn({
    privileged: true,
    program: async (sys) => {
      const door = await sys.kernel.ipcCreate(2, 0);
      for (let i = 0; i < 4; i++) {
        kernel.spawn({
          descriptors: [{ pid: sys.pid, descriptor: door }],
          program: async (c: Sys) => {
            for (let j = 0; j < 3; j++) {
              c.stack.view.setInt32(0, i * 10 + j, true);
              await trap(c, 0x8000 + i, 1, c.stack.address, pack(64, 4, 0));
              await c.kernel.threadYield();
            }
            return i;
          },
        });
      }
      return adder(sys, door);
    },
  });
  const end = await kernel.run();
  events.push(end.end);
  return events;
}

describe("scheduler", () => {
  it("gives the same trace for the same seed", async () => {
    for (const seed of [0, 1, 12345]) expect(await traceOf(seed)).toEqual(await traceOf(seed));
  });

  it("serves FIFO with seed 0, and the seed changes the interleaving", async () => {
    const fifo = await traceOf(0);
    const requests = fifo.filter((l) => l.includes(" request ")).map((l) => l.split(" ")[2]!.split("->")[0]);
    expect(requests.slice(0, 4)).toEqual(["2.2", "3.3", "4.4", "5.5"]);
    const others = await Promise.all([1, 2, 3, 4, 5].map(traceOf));
    expect(others.some((t) => t.join("\n") !== fifo.join("\n"))).toBe(true);
    for (const t of [fifo, ...others]) expect(t.at(-1)).toBe("idle");
  });

  it("reports the request, the reply and the exit in the trace", async () => {
    const t = await traceOf(0);
    expect(t.find((l) => l.includes(" request "))).toMatch(/ request 2\.2->1\.1 fn=32768 4\/0 0$/);
    expect(t.find((l) => l.includes(" reply "))).toMatch(/ reply 1\.1->2\.2 fn=32768 8\/0 7$/);
    expect(t.filter((l) => l.includes(" exit ")).length).toBe(4);
  });
});

describe("emulator failures", () => {
  it("stop the machine and reject run(), instead of passing for a program's fault", async () => {
    const kernel = new Kernel({ memoryBytes: 1 << 20 });
    let after = false;
    kernel.spawn({
      program: async (sys) => {
        await sys.kernel.threadYield();
        after = true;
        return 0;
      },
    });
    kernel.traceHook = () => {
      throw new Error("broken tracer");
    };
    await expect(kernel.run()).rejects.toThrow("broken tracer");
    await expect(kernel.run()).rejects.toThrow("broken tracer");
    expect(after).toBe(false);
  });
});
