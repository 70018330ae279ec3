/** DoorClient.send: the registers of docs/abi.md 1.2 and the three outcomes. */
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

/** What generated methods use: `args`, `address` and `failure()`. */
class Direct extends rt.DoorClient {
  async call(fn: number, arg3: number): Promise<number> {
    const args = this.args;
    args[0] = fn;
    args[1] = this.target;
    args[2] = this.address;
    args[3] = arg3;
    await this.trap.enter();
    if (args[0] === -1) throw this.failure();
    return args[3]!;
  }
}

describe("DoorClient's registers and failure() work as documented", () => {
  it("exposes the trap's registers and the buffer's address, and classifies arg0 = -1 by arg2", async () => {
    const buffer = memoryBuffer(256, 0x7000);
    const trap = new ScriptedTrap(buffer, [() => [0, 0, 0, 8 << 8], () => [-1, rt.EIO, 1, 0], () => [-1, rt.ENOSYS, 2, 0]]);
    const d = new Direct(trap, buffer, 4, 8, "D");
    expect(await d.call(0x8000, 8 << 20)).toBe(8 << 8);
    expect(trap.seen[0]).toEqual([0x8000, 4, 0x7000, 8 << 20]);
    await expect(d.call(0x8000, 8 << 20)).rejects.toMatchObject({ errno: rt.EIO, origin: "kernel" });
    await expect(d.call(0x8000, 8 << 20)).rejects.toMatchObject({ errno: rt.ENOSYS, origin: "server" });
  });
});
