/** DoorClient.send: the registers of DESIGN 1.2 and the three outcomes. */
import { describe, expect, it } from "vitest";
import * as rt from "../../runtime/index.js";
import { memoryBuffer, ScriptedTrap } from "../support/scripted-trap.js";

class Probe extends rt.DoorClient {
  async call(fn: number, total: number, data: number, descN: number): Promise<number> {
    await this.send(fn, total, data, descN);
    return this.answer();
  }
}

describe("DoorClient works as documented", () => {
  it("sends arg0 = fn, arg1 = target, arg2 = msgPtr, arg3 = total|data|descN", async () => {
    const buffer = memoryBuffer(256, 0x7000);
    const trap = new ScriptedTrap(buffer, [() => [5, 0, 0, (12 << 8) | 1]]);
    const reply = await new Probe(trap, buffer, 3, 100, "P").call(0x8001, 80, 61, 1);
    expect(trap.seen).toEqual([[0x8001, 3, 0x7000, (80 << 20) | (61 << 8) | 1]]);
    expect([rt.dataSizeOf(reply), rt.descCountOf(reply)]).toEqual([12, 1]);
  });

  it("rejects with origin kernel when arg2 = 1 and origin server when arg2 = 2", async () => {
    const buffer = memoryBuffer();
    const trap = new ScriptedTrap(buffer, [() => [-1, rt.EBADF, 1, 0], () => [-1, rt.EPROTO, 2, 0]]);
    const p = new Probe(trap, buffer, 1, 8, "P");
    await expect(p.call(0x8000, 8, 0, 0)).rejects.toMatchObject({ errno: rt.EBADF, origin: "kernel" });
    await expect(p.call(0x8000, 8, 0, 0)).rejects.toMatchObject({ errno: rt.EPROTO, origin: "server" });
  });

  it("refuses a buffer smaller than the interface needs, or a target beyond 16 bits", () => {
    const trap = new ScriptedTrap(memoryBuffer(), []);
    expect(() => new Probe(trap, memoryBuffer(64), 1, 65, "P")).toThrow(rt.DoorError);
    expect(() => new Probe(trap, memoryBuffer(), 0x10000, 8, "P")).toThrow(/not a descriptor/);
    expect(() => new Probe(trap, memoryBuffer(), -1, 8, "P")).toThrow(rt.DoorError);
  });
});
