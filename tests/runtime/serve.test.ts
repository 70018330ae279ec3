/** rt.serve: the exact sequence of traps of docs/abi.md 1.2/1.3 for each outcome. */
import { describe, expect, it } from "vitest";
import * as rt from "../../runtime/index.js";
import { type Answer, memoryBuffer, ScriptedTrap, settle } from "../support/scripted-trap.js";

const OBJ = 5;
const ADDR = 0x4000;
const TOTAL = 256;

/** A RECEIVE (or REPLY_RECEIVE) that delivers fn with `data` bytes and descriptors. */
function deliver(fn: number, cookie: number, data: readonly number[], descs: readonly number[] = [], callerTotal = 64): Answer {
  return (_args, buffer) => {
    buffer.bytes.set(data);
    descs.forEach((d, i) => buffer.view.setUint32(rt.align4(data.length) + 4 * i, d, true));
    return [fn, cookie, ADDR, rt.packMessage(callerTotal, data.length, descs.length)];
  };
}
const ok: Answer = () => [0, 0, 0, 0];

function dispatcher(dispatch: (call: rt.Call) => rt.Answer<rt.Outcome>, bufferSize = 16): rt.Dispatcher {
  return { bufferSize, dispatch };
}

describe("serve works as documented", () => {
  it("receives, then answers each message with REPLY_RECEIVE carrying the cookie the call set", async () => {
    const buffer = memoryBuffer(TOTAL, ADDR);
    const trap = new ScriptedTrap(buffer, [deliver(0x8000, 7, [1, 2, 3, 4])]);
    const seen: number[] = [];
    void rt.serve(
      trap,
      buffer,
      OBJ,
      dispatcher(async (call) => {
        seen.push(call.fn, call.cookie, call.dataSize, call.descCount, call.callerTotalSize);
        call.cookie = 9;
        return rt.replied(12, 1);
      }),
    );
    await settle();
    expect(seen).toEqual([0x8000, 7, 4, 0, 64]);
    expect(trap.seen).toEqual([
      [rt.RECEIVE, OBJ, ADDR, TOTAL << 20],
      [rt.REPLY_RECEIVE, 9, ADDR, rt.packMessage(TOTAL, 12, 1)],
    ]);
  });

  it("closes the descriptors of a rejected request, answers REPLY_ERROR, and receives again", async () => {
    const buffer = memoryBuffer(TOTAL, ADDR);
    const trap = new ScriptedTrap(buffer, [deliver(0x8000, 0, [1], [11, 12]), ok, ok, ok]);
    const events: rt.ServeEvent[] = [];
    void rt.serve(trap, buffer, OBJ, dispatcher(async () => rt.rejected(new rt.CodecError("bad"))), {
      onEvent: (e) => events.push(e),
    });
    await settle();
    expect(trap.seen.map((s) => s[0])).toEqual([rt.RECEIVE, rt.DESC_CLOSE, rt.DESC_CLOSE, rt.REPLY_ERROR, rt.RECEIVE]);
    expect(trap.seen[1]).toEqual([rt.DESC_CLOSE, 0, ADDR, rt.packMessage(8, 4, 0)]);
    expect(trap.seen[3]).toEqual([rt.REPLY_ERROR, rt.EPROTO, 0, 0]);
    expect(events).toEqual([{ kind: "rejected", fn: 0x8000, errno: rt.EPROTO, reason: "bad" }]);
  });

  it("answers ENOSYS for an unknown function", async () => {
    const buffer = memoryBuffer(TOTAL, ADDR);
    const trap = new ScriptedTrap(buffer, [deliver(0x8123, 0, []), ok]);
    void rt.serve(trap, buffer, OBJ, dispatcher(rt.unknownFunction));
    await settle();
    expect(trap.seen[1]).toEqual([rt.REPLY_ERROR, rt.ENOSYS, 0, 0]);
  });

  it("answers EIO when the implementation throws, and keeps serving", async () => {
    const buffer = memoryBuffer(TOTAL, ADDR);
    const trap = new ScriptedTrap(buffer, [deliver(0x8000, 0, []), ok, deliver(0x8000, 0, [])]);
    let n = 0;
    void rt.serve(
      trap,
      buffer,
      OBJ,
      dispatcher(async () => {
        if (n++ === 0) throw new Error("boom");
        return rt.replied(8, 0);
      }),
    );
    await settle();
    expect(trap.seen.map((s) => s[0])).toEqual([rt.RECEIVE, rt.REPLY_ERROR, rt.RECEIVE, rt.REPLY_RECEIVE]);
    expect(trap.seen[1]![1]).toBe(rt.EIO);
  });

  it("answers E2BIG when the reply exceeds the caller's msgTotalSize, before trying", async () => {
    const buffer = memoryBuffer(TOTAL, ADDR);
    const trap = new ScriptedTrap(buffer, [deliver(0x8000, 0, [], [], 16), ok]);
    void rt.serve(trap, buffer, OBJ, dispatcher(async () => rt.replied(13, 1)));
    await settle();
    expect(trap.seen[1]).toEqual([rt.REPLY_ERROR, rt.E2BIG, 0, 0]);
  });

  it("answers E2BIG when the kernel fails REPLY_RECEIVE with E2BIG (the call stays open)", async () => {
    const buffer = memoryBuffer(TOTAL, ADDR);
    const trap = new ScriptedTrap(buffer, [deliver(0x8000, 0, []), () => [-1, rt.E2BIG, 1, 0], ok]);
    void rt.serve(trap, buffer, OBJ, dispatcher(async () => rt.replied(8, 0)));
    await settle();
    expect(trap.seen.map((s) => s[0])).toEqual([rt.RECEIVE, rt.REPLY_RECEIVE, rt.REPLY_ERROR, rt.RECEIVE]);
  });

  it("receives again after EINTR and rejects with a kernel DoorError when receiving fails", async () => {
    const buffer = memoryBuffer(TOTAL, ADDR);
    const trap = new ScriptedTrap(buffer, [() => [-1, rt.EINTR, 1, 0], () => [-1, rt.EBADF, 1, 0]]);
    await expect(rt.serve(trap, buffer, OBJ, dispatcher(rt.unknownFunction))).rejects.toMatchObject({
      errno: rt.EBADF,
      origin: "kernel",
    });
    expect(trap.seen.map((s) => s[0])).toEqual([rt.RECEIVE, rt.RECEIVE]);
  });

  it("refuses a buffer smaller than the interface's largest message", async () => {
    const buffer = memoryBuffer(8, ADDR);
    await expect(rt.serve(new ScriptedTrap(buffer, []), buffer, OBJ, dispatcher(rt.unknownFunction, 16))).rejects.toThrow(
      rt.DoorError,
    );
  });

  it("answers a ReplyError's own errno, reported as refused", async () => {
    const buffer = memoryBuffer(TOTAL, ADDR);
    const trap = new ScriptedTrap(buffer, [deliver(0x8000, 0, []), ok]);
    const events: rt.ServeEvent[] = [];
    void rt.serve(
      trap,
      buffer,
      OBJ,
      dispatcher(() => {
        throw new rt.ReplyError(rt.EACCES, "not yours");
      }),
      { onEvent: (e) => events.push(e) },
    );
    await settle();
    expect(trap.seen[1]).toEqual([rt.REPLY_ERROR, rt.EACCES, 0, 0]);
    expect(events).toEqual([{ kind: "refused", fn: 0x8000, errno: rt.EACCES, reason: "not yours" }]);
  });
});
