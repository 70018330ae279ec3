/** The runtime's ABI constants against docs/abi.md 1.1/1.8 and the compiled idl/kernel.idl. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as rt from "../../runtime/index.js";
import { compile } from "../../compiler/index.js";

const host = { readFile: (p: string) => readFileSync(p, "utf8") };

describe("ABI constants work as documented", () => {
  const ir = compile(["idl/kernel.idl"], host).ir!;
  const kernel = ir.files.flatMap((f) => f.interfaces).find((i) => i.name === "Kernel")!;
  const fn = (name: string) => kernel.methods.find((m) => m.name === name)!;

  it("mirror the kernel call numbers of idl/kernel.idl", () => {
    expect(rt.RECEIVE).toBe(fn("receive").fn);
    expect(rt.REPLY).toBe(fn("reply").fn);
    expect(rt.REPLY_RECEIVE).toBe(fn("reply_receive").fn);
    expect(rt.REPLY_ERROR).toBe(fn("reply_error").fn);
    expect(rt.DESC_INFO).toBe(fn("desc_info").fn);
    expect(rt.DESC_CLOSE).toBe(fn("desc_close").fn);
    expect(["receive", "reply", "reply_receive", "reply_error"].every((m) => fn(m).trap)).toBe(true);
  });

  it("match the hand-encoded DESC_INFO and DESC_CLOSE messages", () => {
    const info = fn("desc_info");
    expect(info.request.fixedSize).toBe(rt.DESC_INFO_REQUEST_SIZE);
    expect(info.reply.fixedSize).toBe(rt.DESC_INFO_REPLY_SIZE);
    expect(info.reply.params[0]).toMatchObject({ place: "data", offset: 8 });
    const descInfo = ir.files.flatMap((f) => f.structs).find((s) => s.name === "DescInfo")!;
    expect(descInfo.fields.map((f) => [f.name, f.offset])).toEqual([
      ["kind", 0],
      ["rights", 4],
      ["cookie", 8],
      ["owner", 12],
    ]);
    expect(fn("desc_close").request.fixedSize).toBe(4);
    expect(fn("desc_close").reply.fixedSize).toBe(rt.DESC_CLOSE_REPLY_SIZE);
  });

  it("mirror Rights and ObjectKind of idl/types.idl", () => {
    const enums = ir.files.flatMap((f) => f.enums);
    const values = (name: string) => Object.fromEntries(enums.find((e) => e.name === name)!.members.map((m) => [m.name, m.value]));
    expect(values("Rights")).toEqual({
      SEND: rt.RIGHT_SEND,
      RECEIVE: rt.RIGHT_RECEIVE,
      READ: rt.RIGHT_READ,
      WRITE: rt.RIGHT_WRITE,
      MAP: rt.RIGHT_MAP,
      DUP: rt.RIGHT_DUP,
    });
    expect(values("ObjectKind")).toEqual({
      DOOR: rt.KIND_DOOR,
      PROCESS: rt.KIND_PROCESS,
      THREAD: rt.KIND_THREAD,
      MEMORY: rt.KIND_MEMORY,
      LEASE: rt.KIND_LEASE,
    });
  });

  it("use Linux errno values and names", () => {
    expect([rt.EPERM, rt.EIO, rt.E2BIG, rt.EBADF, rt.EFAULT, rt.EINVAL, rt.ENOSYS, rt.EPROTO, rt.EMSGSIZE]).toEqual([
      1, 5, 7, 9, 14, 22, 38, 71, 90,
    ]);
    expect(rt.errnoName(71)).toBe("EPROTO");
    // File servers' errnos, with Linux's numbers.
    expect([20, 21, 24, 27, 39, 110].map(rt.errnoName)).toEqual([
      "ENOTDIR",
      "EISDIR",
      "EMFILE",
      "EFBIG",
      "ENOTEMPTY",
      "ETIMEDOUT",
    ]);
    expect(rt.errnoName(999)).toBe("errno 999");
  });

  it("classify function numbers by range (docs/abi.md 1.1)", () => {
    expect([0, 0x3ff, 0x400, 0xfff, 0x1000, 0x7fff, 0x8000, 0x7fffffff].map(rt.rangeOf)).toEqual([
      "kernel",
      "kernel",
      "procmgr",
      "procmgr",
      "system",
      "system",
      "user",
      "user",
    ]);
    expect(rt.rangeOf(rt.INVALID_FUNCTION)).toBeNull();
    expect(rt.rangeOf(1.5)).toBeNull();
  });
});
