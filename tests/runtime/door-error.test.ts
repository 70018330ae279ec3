import { describe, expect, it } from "vitest";
import * as rt from "../../runtime/index.js";

describe("DoorError works as documented", () => {
  it("carries the errno and where it came from, and names both in its message", () => {
    const e = new rt.DoorError(rt.EBADF, "kernel");
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.errno, e.origin, e.message]).toEqual(["DoorError", 9, "kernel", "EBADF from the kernel"]);
    expect(new rt.DoorError(rt.EPROTO, "server", "bad slot").message).toBe("EPROTO from the server: bad slot");
  });

  it("turns a codec failure into a client refusal (EINVAL) or a malformed reply (EPROTO)", () => {
    const cause = new rt.CodecError("x: 300 is not a u8");
    expect(rt.refusedArguments(cause)).toMatchObject({ errno: rt.EINVAL, origin: "client", cause });
    expect(rt.malformedReply(cause)).toMatchObject({ errno: rt.EPROTO, origin: "protocol", cause });
    expect(rt.malformedReply(cause).message).toContain("x: 300 is not a u8");
  });

  it("malformed() throws a CodecError", () => {
    expect(() => rt.malformed("why")).toThrow(rt.CodecError);
  });

  it("ReplyError carries the errno a server answers with, named when no reason is given", () => {
    expect(new rt.ReplyError(rt.ENOENT)).toMatchObject({ errno: rt.ENOENT, message: "ENOENT", name: "ReplyError" });
    expect(new rt.ReplyError(rt.EACCES, "not yours").message).toBe("not yours");
  });
});
