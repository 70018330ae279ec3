/** Call.replied and rt.noReply: the allocation-free reply outcome generated dispatchers use. */
import { describe, expect, it } from "vitest";
import * as rt from "../../runtime/index.js";
import { type Answer, memoryBuffer, ScriptedTrap, settle } from "../support/scripted-trap.js";

const ADDR = 0x4000;

function deliver(fn: number, dataSize: number): Answer {
  return () => [fn, 0, ADDR, rt.packMessage(64, dataSize, 0)];
}

describe("Call.replied works as documented", () => {
  it("returns a reply outcome equal to rt.replied's, the same object each time", () => {
    const buffer = memoryBuffer(64, ADDR);
    const call = new rt.Call(new ScriptedTrap(buffer, []), new rt.Frame(buffer));
    const first = call.replied(12, 1);
    expect(first).toEqual(rt.replied(12, 1));
    const second = call.replied(20, 0);
    expect(second).toBe(first);
    expect(second).toEqual({ kind: "reply", dataSize: 20, descriptors: 0 });
  });

  it("gives serve the sizes of each message's own reply", async () => {
    const buffer = memoryBuffer(256, ADDR);
    const trap = new ScriptedTrap(buffer, [deliver(0x8000, 0), deliver(0x8000, 4)]);
    const dispatcher: rt.Dispatcher = { bufferSize: 16, dispatch: (call) => call.replied(8 + call.dataSize, 0) };
    void rt.serve(trap, buffer, 5, dispatcher);
    await settle();
    expect(trap.seen.slice(1)).toEqual([
      [rt.REPLY_RECEIVE, 0, ADDR, rt.packMessage(256, 8, 0)],
      [rt.REPLY_RECEIVE, 0, ADDR, rt.packMessage(256, 12, 0)],
    ]);
  });
});

describe("noReply works as documented", () => {
  it("is an empty, frozen reply: retval and errno default to 0", () => {
    expect(Object.keys(rt.noReply)).toEqual([]);
    expect(Object.isFrozen(rt.noReply)).toBe(true);
    expect(rt.noReply.retval ?? 0).toBe(0);
  });
});
