/**
 * Generated client and server (golden all-types) talking through the fake
 * kernel: values, descriptors and cookies arrive intact, and each of the
 * three error kinds reaches the client as documented.
 */
import { describe, expect, it } from "vitest";
import * as rt from "../../../runtime/index.js";
import { FakeKernel } from "../../support/fake-kernel.js";
import {
  Color,
  ExtraClient,
  type ExtraServer,
  Flags,
  ShapesClient,
  type ShapesPutRequest,
  type ShapesServer,
  serveExtra,
  serveShapes,
  serveTricky,
  TrickyClient,
  type TrickyServer,
} from "./golden/all-types/all-types.js";

const request: Omit<ShapesPutRequest, "door"> = {
  s: {
    a: 255,
    b: -128,
    c: 65535,
    d: -32768,
    e: 0xffffffff,
    f: -1,
    g: 0xffff_ffff_ffff_ffffn,
    h: -(2n ** 63n),
    i: 1.5,
    j: Math.PI,
    k: true,
    color: Color.BLUE,
    flags: Flags.A | Flags.C,
    wide: -1n,
  },
  e: { name: "grüße", tags: [1, 2, 65535], at: { x: -5, y: 7 }, data: new Uint8Array([9, 8, 7]) },
  a: {
    raw: new Uint8Array([1, 2, 3]),
    points: [
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ],
    grid: [
      [1, -2],
      [3, -4],
    ],
    colors: [Color.RED, Color.GREEN],
  },
};

function setup(impl: Partial<ShapesServer> = {}) {
  const kernel = new FakeKernel();
  const server = kernel.process("server");
  const client = kernel.process("client");
  const owner = server.door("user");
  const ref = server.grant(owner, client, rt.RIGHT_SEND, 7);
  const events: rt.ServeEvent[] = [];
  const calls: unknown[] = [];
  const full: ShapesServer = {
    put: (req, call) => {
      calls.push(req);
      return { count: call.cookie, label: `got ${req.e.name}` };
    },
    list: () => ({ entries: [], first: { name: "", tags: [], at: { x: 0, y: 0 }, data: new Uint8Array() } }),
    read: () => {},
    nothing: () => ({ retval: 3, errno: rt.ENOENT }),
    ...impl,
  };
  void serveShapes(server.thread(), server.buffer(), owner, full, { onEvent: (e) => events.push(e) });
  const trap = client.thread();
  const shapes = new ShapesClient(trap, client.buffer(), ref);
  const door = client.door("user");
  return { kernel, server, client, ref, shapes, trap, door, events, calls };
}

describe("generated client and server through the fake kernel", () => {
  it("carry every value type and the descriptor", async () => {
    const { shapes, door, calls, server } = setup();
    const before = server.descriptorCount();
    const result = await shapes.put(request.s, request.e, request.a, door);
    expect(result).toEqual({ retval: 0, errno: 0, count: 7, label: "got grüße" });
    expect(calls).toHaveLength(1);
    const got = calls[0] as ShapesPutRequest;
    expect({ ...got, door: 0 }).toEqual({ ...request, door: 0 });
    expect(server.has(got.door)).toBe(true);
    expect(server.descriptorCount()).toBe(before + 1);
  });

  it("return a normal reply's retval and errno without throwing (case 3)", async () => {
    const { shapes } = setup();
    await expect(shapes.nothing()).resolves.toEqual({ retval: 3, errno: rt.ENOENT });
  });

  it("store the cookie the implementation sets into the caller's reference", async () => {
    const { shapes, client, ref, door } = setup({
      put: (_req, call) => {
        const seen = call.cookie;
        call.cookie = 42;
        return { count: seen, label: "" };
      },
    });
    expect((await shapes.put(request.s, request.e, request.a, door)).count).toBe(7);
    expect(client.cookieOf(ref)).toBe(42);
    expect((await shapes.put(request.s, request.e, request.a, door)).count).toBe(42);
  });

  it("report a kernel refusal as origin kernel (case 1)", async () => {
    const { client } = setup();
    const stray = new ShapesClient(client.thread(), client.buffer(), 99);
    await expect(stray.nothing()).rejects.toMatchObject({ errno: rt.EBADF, origin: "kernel" });
  });

  it("report EIO from the kernel when the server has exited", async () => {
    const { shapes, server } = setup();
    server.exit();
    await expect(shapes.nothing()).rejects.toMatchObject({ errno: rt.EIO, origin: "kernel" });
  });

  it("answer EIO when the implementation throws, and keep serving (case 2)", async () => {
    const { shapes, events, door } = setup({
      nothing: () => {
        throw new Error("boom");
      },
    });
    const error = await shapes.nothing().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(rt.DoorError);
    expect(error).toMatchObject({ errno: rt.EIO, origin: "server" });
    expect(events[0]).toMatchObject({ kind: "failed", fn: 0x8003 });
    expect((await shapes.put(request.s, request.e, request.a, door)).label).toBe("got grüße");
  });

  it("refuse a descriptor of the wrong kind before the implementation, and close it", async () => {
    const { shapes, client, calls, events, server } = setup();
    const memory = client.object(rt.KIND_MEMORY, rt.RIGHT_SEND);
    const before = server.descriptorCount();
    await expect(shapes.put(request.s, request.e, request.a, memory)).rejects.toMatchObject({
      errno: rt.EPROTO,
      origin: "server",
    });
    expect(calls).toHaveLength(0);
    expect(events[0]).toMatchObject({ kind: "rejected", errno: rt.EPROTO });
    expect(server.descriptorCount()).toBe(before);
  });

  it("refuse a descriptor without the declared rights", async () => {
    const { shapes, client, calls } = setup();
    const memory = client.object(rt.KIND_MEMORY, rt.RIGHT_MAP);
    const lease = client.object(rt.KIND_LEASE, rt.RIGHT_WRITE);
    const any = client.object(rt.KIND_THREAD, 0);
    await expect(shapes.readLeased(lease, any, memory)).rejects.toMatchObject({ errno: rt.EPROTO, origin: "server" });
    const good = client.object(rt.KIND_MEMORY, rt.RIGHT_MAP | rt.RIGHT_READ);
    await expect(shapes.readLeased(lease, any, good)).resolves.toEqual({ retval: 0, errno: 0 });
    expect(calls).toHaveLength(0);
  });

  it("refuse bad arguments in the client without trapping", async () => {
    const { shapes, trap, door } = setup();
    const traps = trap.traps;
    const long = { ...request.e, name: "x".repeat(33) };
    await expect(shapes.put(request.s, long, request.a, door)).rejects.toMatchObject({
      errno: rt.EINVAL,
      origin: "client",
    });
    const byte = { ...request.s, a: 256 };
    await expect(shapes.put(byte, request.e, request.a, door)).rejects.toMatchObject({ origin: "client" });
    const color = { ...request.s, color: 3 as Color };
    await expect(shapes.put(color, request.e, request.a, door)).rejects.toMatchObject({ origin: "client" });
    await expect(shapes.put(request.s, request.e, request.a, 0)).rejects.toMatchObject({ origin: "client" });
    expect(trap.traps).toBe(traps);
  });

  it("answer EIO when the implementation returns a value that does not fit", async () => {
    const { shapes, door, events } = setup({ put: () => ({ count: -1, label: "" }) });
    await expect(shapes.put(request.s, request.e, request.a, door)).rejects.toMatchObject({
      errno: rt.EIO,
      origin: "server",
    });
    expect(events[0]).toMatchObject({ kind: "failed" });
  });

  it("serve composed methods through one object", async () => {
    const kernel = new FakeKernel();
    const server = kernel.process("server");
    const client = kernel.process("client");
    const owner = server.door("user");
    const impl: ExtraServer = {
      put: (req) => ({ count: req.a.raw.length, label: "composed" }),
      list: () => ({ entries: [], first: { name: "", tags: [], at: { x: 0, y: 0 }, data: new Uint8Array() } }),
      read: () => {},
      nothing: () => {},
      extra: (req) => ({ again: !req.ok }),
    };
    void serveExtra(server.thread(), server.buffer(), owner, impl);
    const extra = new ExtraClient(client.thread(), client.buffer(), server.grant(owner, client));
    expect((await extra.extra(true)).again).toBe(false);
    const door = client.door();
    expect(await extra.put(request.s, request.e, request.a, door)).toMatchObject({ count: 3, label: "composed" });
  });

  it("serve a system-range interface whose names clash with JavaScript and the stubs' own", async () => {
    const kernel = new FakeKernel();
    const server = kernel.process("server");
    const client = kernel.process("client");
    const owner = server.door("system");
    class Impl implements TrickyServer {
      send(req: { view: number; size: number; new: number; f: string }) {
        return { bytes: req.view + req.size + req.new, r: req.f.length };
      }
      constructor_() {
        return { retval: 9 };
      }
    }
    void serveTricky(server.thread(), server.buffer(), owner, new Impl());
    const tricky = new TrickyClient(client.thread(), client.buffer(), server.grant(owner, client));
    expect(await tricky.send_(1, 2, 3, "abcd")).toEqual({ retval: 0, errno: 0, bytes: 6, r: 4 });
    expect((await tricky.constructor_()).retval).toBe(9);
    const user = new ShapesClient(client.thread(), client.buffer(), server.grant(owner, client));
    await expect(user.nothing()).rejects.toMatchObject({ errno: rt.EINVAL, origin: "kernel" });
  });

  it("close the descriptors of a reply that does not decode, and report origin protocol", async () => {
    const kernel = new FakeKernel();
    const server = kernel.process("server");
    const client = kernel.process("client");
    const owner = server.door("user");
    const extra = server.door("user");
    // A hand-written server that answers Shapes.put with a descriptor it does not declare.
    const trap = server.thread();
    const buffer = server.buffer();
    void (async () => {
      trap.args.set([rt.RECEIVE, owner, buffer.address, 4095 << 20]);
      await trap.enter();
      buffer.bytes.set([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 16, 0, 0, 0]); // retval, errno, count, label slot
      buffer.view.setUint32(16, extra, true);
      trap.args.set([rt.REPLY, 0, buffer.address, (4095 << 20) | (16 << 8) | 1]);
      await trap.enter();
    })();
    const shapes = new ShapesClient(client.thread(), client.buffer(), server.grant(owner, client));
    const door = client.door();
    const before = client.descriptorCount();
    await expect(shapes.put(request.s, request.e, request.a, door)).rejects.toMatchObject({
      errno: rt.EPROTO,
      origin: "protocol",
    });
    expect(client.descriptorCount()).toBe(before);
  });
});
