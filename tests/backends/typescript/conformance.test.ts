/**
 * Byte-vector conformance, in the spirit of FIDL's GIDL: for chosen values,
 * the exact data bytes, descriptors and registers a request and a reply must
 * have, written by hand from docs/abi.md (not from the encoder), checked in
 * both directions; then byte vectors that must fail to decode.
 */
import { describe, expect, it } from "vitest";
import * as rt from "../../../runtime/index.js";
import { memoryBuffer, ScriptedTrap, settle } from "../../support/scripted-trap.js";
import * as echo from "./golden/echo/echo.js";
import * as k from "./golden/kernel/kernel.js";
import { ObjectKind } from "./golden/kernel/types.js";
import * as s from "./golden/all-types/all-types.js";

const ADDR = 0x2000;

function frameWith(bytes: readonly number[] = [], descs: readonly number[] = []): rt.Frame {
  const f = new rt.Frame(memoryBuffer(256, ADDR));
  f.bytes.fill(0xcc);
  f.bytes.set(bytes);
  descs.forEach((d, i) => f.view.setUint32(rt.align4(bytes.length) + 4 * i, d, true));
  return f;
}

/** The data bytes and descriptors an encoder left in the frame. */
function written(f: rt.Frame, size: number, descN: number): { data: number[]; descs: number[] } {
  const at = rt.align4(size);
  return {
    data: [...f.bytes.subarray(0, size)],
    descs: Array.from({ length: descN }, (_, i) => f.view.getUint32(at + 4 * i, true)),
  };
}

const word = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

describe("Kernel.desc_info", () => {
  const request = word(6);
  const reply = [...word(0), ...word(0), ...word(1), ...word(3), ...word(0xdeadbeef), 1, 0, 0, 0];
  const result = { retval: 0, errno: 0, info: { kind: ObjectKind.DOOR, rights: 3, cookie: 0xdeadbeef, owner: true } };

  it("request: u32 target at 0; the client traps with fn, target 0, msgPtr and 24|4|0", async () => {
    const buffer = memoryBuffer(128, ADDR);
    let sent: number[] = [];
    const trap = new ScriptedTrap(buffer, [
      (_a, b) => {
        sent = [...b.bytes.subarray(0, 4)];
        b.bytes.set(reply);
        return [0, 0, 0, 24 << 8];
      },
    ]);
    const got = await new k.KernelClient(trap, buffer).desc_info(6);
    expect(sent).toEqual(request);
    expect(trap.seen).toEqual([[0x22, 0, ADDR, (24 << 20) | (4 << 8) | 0]]);
    expect(got).toEqual(result);
  });

  it("both directions on the server side", () => {
    expect(k.decodeKernelDescInfoRequest(frameWith(request), 4, 0)).toEqual({ target: 6 });
    const f = frameWith();
    const size = k.encodeKernelDescInfoReply(f, { info: result.info });
    expect(written(f, size, 0)).toEqual({ data: reply, descs: [] });
  });
});

describe("Kernel.process_spawn", () => {
  // string<64> slot { offset 8, count 4 } at 0, u32 domain at 4, then "init".
  const request = [8, 0, 4, 0, ...word(2), 0x69, 0x6e, 0x69, 0x74];

  it("request bytes and decode", () => {
    const f = frameWith();
    const size = k.encodeKernelProcessSpawnRequest(f, "init", 2);
    expect(written(f, size, 0)).toEqual({ data: request, descs: [] });
    expect(k.decodeKernelProcessSpawnRequest(frameWith(request), 12, 0)).toEqual({ program: "init", domain: 2 });
  });

  it("reply: 8 data bytes and the process descriptor in the descriptor area", () => {
    const f = frameWith();
    const size = k.encodeKernelProcessSpawnReply(f, { retval: 1, process: 0x33 });
    expect(written(f, size, 1)).toEqual({ data: [...word(1), ...word(0)], descs: [0x33] });
    const back = k.decodeKernelProcessSpawnReply(frameWith([...word(1), ...word(0)], [0x33]), 8, 1);
    expect(back).toEqual({ retval: 1, errno: 0, process: 0x33 });
  });

  it("must fail: invalid UTF-8, count over the bound, contents inside the fixed part", () => {
    const bad = [
      [8, 0, 2, 0, ...word(2), 0xc3, 0x28],
      [8, 0, 65, 0, ...word(2), ...new Array<number>(65).fill(0x61)],
      [4, 0, 4, 0, ...word(2), 0x69, 0x6e, 0x69, 0x74],
      [8, 0, 5, 0, ...word(2), 0x69, 0x6e, 0x69, 0x74],
    ];
    for (const bytes of bad) {
      expect(() => k.decodeKernelProcessSpawnRequest(frameWith(bytes), bytes.length, 0)).toThrow(rt.CodecError);
    }
  });
});

describe("Shapes.list", () => {
  // Three slots, then contents in slot order, each aligned to its element:
  // filter (u8 enum) at 12, points (align 4) at 16, blob at 24; data ends at 25.
  const request = [12, 0, 2, 0, 16, 0, 1, 0, 24, 0, 1, 0, 1, 7, 0, 0, ...word(1), ...word(2), 0xaa];
  const value = { filter: [s.Color.RED, s.Color.BLUE], points: [{ x: 1, y: 2 }], blob: new Uint8Array([0xaa]) };
  const reply = [
    ...word(5), ...word(0), // retval, errno
    32, 0, 1, 0, // entries slot
    40, 0, 2, 0, 42, 0, 1, 0, ...word(3), ...word(4), 44, 0, 1, 0, // first: name, tags, at, data
    ...word(-1), ...word(0x01020304), // entries[0]
    0x6f, 0x6b, 0x02, 0x01, 0xff, // "ok", tags[0], data[0]
  ];
  const result = {
    retval: 5,
    errno: 0,
    entries: [{ x: -1, y: 0x01020304 }],
    first: { name: "ok", tags: [0x0102], at: { x: 3, y: 4 }, data: new Uint8Array([0xff]) },
  };

  it("request: both directions", () => {
    const f = frameWith();
    const size = s.encodeShapesListRequest(f, value.filter, value.points, value.blob);
    expect(written(f, size, 0)).toEqual({ data: request, descs: [] });
    expect(s.decodeShapesListRequest(frameWith(request), 25, 0)).toEqual(value);
  });

  it("reply: both directions", () => {
    const f = frameWith();
    const size = s.encodeShapesListReply(f, { retval: 5, entries: result.entries, first: result.first });
    expect(written(f, size, 0)).toEqual({ data: reply, descs: [] });
    expect(s.decodeShapesListReply(frameWith(reply), reply.length, 0)).toEqual(result);
  });

  it("must fail: unknown enum, misaligned or overlapping contents, bounds, sizes, descriptors", () => {
    const patch = (at: number, ...bytes: number[]) => {
      const b = [...request];
      b.splice(at, bytes.length, ...bytes);
      return b;
    };
    const cases: [number[], number, number][] = [
      [patch(13, 3), 25, 0], // Color 3 does not exist
      [patch(4, 17), 25, 0], // points not aligned to 4
      [patch(4, 8), 25, 0], // points inside the fixed part
      [patch(2, 5), 25, 0], // filter count 5 > 4
      [patch(10, 2), 25, 0], // blob runs past the data
      [request, 24, 0], // data shorter than the contents
      [request, 11, 0], // data shorter than the fixed part
      [request, 60, 0], // data longer than the maximum
      [request, 25, 1], // a descriptor where none is declared
    ];
    for (const [bytes, size, descs] of cases) {
      expect(() => s.decodeShapesListRequest(frameWith(bytes), size, descs), JSON.stringify([bytes, size])).toThrow(
        rt.CodecError,
      );
    }
  });
});

describe("Extra.extra and Shapes.put", () => {
  it("bool is one byte 0 or 1; 2 must fail", () => {
    const f = frameWith();
    expect(written(f, s.encodeExtraExtraRequest(f, true), 0).data).toEqual([1]);
    expect(s.decodeExtraExtraRequest(frameWith([0]), 1, 0)).toEqual({ ok: false });
    expect(() => s.decodeExtraExtraRequest(frameWith([2]), 1, 0)).toThrow(rt.CodecError);
  });

  it("a descriptor parameter goes in the descriptor area; 0 (none) must fail", () => {
    const f = frameWith();
    const e = { name: "", tags: [], at: { x: 0, y: 0 }, data: new Uint8Array() };
    const scalars = { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0n, h: 0n, i: 0, j: 0, k: false, color: s.Color.RED, flags: 0, wide: s.Wide.LOW };
    const arrays = { raw: new Uint8Array(3), points: [{ x: 0, y: 0 }, { x: 0, y: 0 }], grid: [[0, 0], [0, 0]], colors: [s.Color.RED, s.Color.RED] };
    const size = s.encodeShapesPutRequest(f, scalars, e, arrays, 0x99);
    const { data, descs } = written(f, size, 1);
    expect([size, descs]).toEqual([108, [0x99]]);
    // Padding of Scalars (6..7), of Arrays (3, 30..31) is zero, never stale bytes.
    expect([data[6], data[7], data[76 + 3], data[76 + 30], data[76 + 31]]).toEqual([0, 0, 0, 0, 0]);
    expect(data.slice(48, 56)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const zero = frameWith(data, [0]);
    expect(() => s.decodeShapesPutRequest(zero, 108, 1)).toThrow("put.door: no descriptor");
  });
});

describe("Echo through the generated server", () => {
  it("answers echo(\"hi\") with REPLY_RECEIVE and the exact reply bytes", async () => {
    const buffer = memoryBuffer(512, ADDR);
    let replied: number[] = [];
    const trap = new ScriptedTrap(buffer, [
      (_a, b) => {
        b.bytes.set([4, 0, 2, 0, 0x68, 0x69]); // slot { 4, 2 }, "hi"
        return [0x8000, 3, ADDR, (268 << 20) | (6 << 8) | 0];
      },
      (a, b) => {
        replied = [...b.bytes.subarray(0, (a[3]! >>> 8) & 0xfff)];
        return [-1, rt.EBADF, 1, 0];
      },
    ]);
    const done = echo.serveEcho(trap, buffer, 2, {
      echo: (request) => ({ text: request.text }),
      count: () => ({ calls: 0 }),
    });
    await expect(done).rejects.toMatchObject({ errno: rt.EBADF, origin: "kernel" });
    await settle();
    expect(trap.seen[0]).toEqual([rt.RECEIVE, 2, ADDR, 512 << 20]);
    expect(trap.seen[1]).toEqual([rt.REPLY_RECEIVE, 3, ADDR, (512 << 20) | (14 << 8) | 0]);
    // retval 0, errno 0, slot { 12, 2 }, "hi"
    expect(replied).toEqual([...word(0), ...word(0), 12, 0, 2, 0, 0x68, 0x69]);
  });
});
