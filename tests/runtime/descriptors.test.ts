/** Descriptor checks through DESC_INFO, as the dispatchers use them. */
import { describe, expect, it } from "vitest";
import * as rt from "../../runtime/index.js";
import { type Answer, memoryBuffer, ScriptedTrap } from "../support/scripted-trap.js";

function infoReply(kind: number, rights: number): Answer {
  return (_args, buffer) => {
    buffer.view.setUint32(8, kind, true);
    buffer.view.setUint32(12, rights, true);
    return [0, 0, 0, 24 << 8];
  };
}

describe("descriptor helpers work as documented", () => {
  it("describeDescriptor sends DESC_INFO { u32 target } to the kernel and reads kind and rights", async () => {
    const buffer = memoryBuffer(64, 0x5000);
    const trap = new ScriptedTrap(buffer, [infoReply(rt.KIND_DOOR, rt.RIGHT_SEND)]);
    const facts = await rt.describeDescriptor(trap, new rt.Frame(buffer), 6);
    expect(facts).toEqual({ kind: rt.KIND_DOOR, rights: rt.RIGHT_SEND });
    expect(trap.seen).toEqual([[rt.DESC_INFO, 0, 0x5000, rt.packMessage(24, 4, 0)]]);
    expect(buffer.view.getUint32(0, true)).toBe(6);
  });

  it("checkDescriptor accepts the declared kind with at least the rights, and refuses otherwise", async () => {
    const buffer = memoryBuffer();
    const frame = new rt.Frame(buffer);
    const check = (answer: Answer, kind: number, rights: number) =>
      rt.checkDescriptor(new ScriptedTrap(buffer, [answer]), frame, 3, kind, rights, "p.d");
    await expect(check(infoReply(rt.KIND_MEMORY, rt.RIGHT_MAP | rt.RIGHT_READ), rt.KIND_MEMORY, rt.RIGHT_MAP)).resolves.toBeUndefined();
    await expect(check(infoReply(rt.KIND_THREAD, 0), 0, 0)).resolves.toBeUndefined();
    await expect(check(infoReply(rt.KIND_THREAD, 0), rt.KIND_DOOR, 0)).rejects.toThrow(rt.CodecError);
    await expect(check(infoReply(rt.KIND_DOOR, rt.RIGHT_SEND), rt.KIND_DOOR, rt.RIGHT_RECEIVE)).rejects.toThrow(/lacks rights/);
    await expect(check(() => [-1, rt.EBADF, 1, 0], 0, 0)).rejects.toThrow(/not valid/);
  });

  it("leaseRights maps access to READ and WRITE rights", () => {
    expect([rt.leaseRights("read"), rt.leaseRights("write"), rt.leaseRights("readwrite")]).toEqual([
      rt.RIGHT_READ,
      rt.RIGHT_WRITE,
      rt.RIGHT_READ | rt.RIGHT_WRITE,
    ]);
  });
});
