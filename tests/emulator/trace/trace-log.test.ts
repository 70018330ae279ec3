import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/compile.js";
import type { Ir } from "../../../compiler/ir/ir.js";
import { formatParams, indexIr } from "../../../emulator/trace/format-message.js";
import { type TraceEvent, TraceLog, formatRecord } from "../../../emulator/trace/trace-log.js";

const source = `
enum Mode : u16 { READ = 1, WRITE = 2 }
bits Flags : u32 { A = 1, B = 2, C = 4 }
struct Point { x: i32; y: i32; }
interface Files : system {
    read(file: desc<door>, buf: lease<write>, offset: u64) -> (count: u32) = 0x1001;
    open(path: string<64>, mode: Mode, flags: Flags, at: Point, tags: vector<u16, 4>, raw: bytes<8>, ok: bool) -> (file: desc<door>) = 0x1002;
    stat(id: array<u8, 4>) -> (size: u64) = 0x1003;
}
interface Echo : user {
    echo(text: string<32>) -> (text: string<32>);
}
interface Other : user {
    ping(n: u32) -> (n: u32);
}
`;

function compileSource(text: string): Ir {
  const result = compile(["t.idl"], { readFile: (p) => (p === "t.idl" ? text : undefined) });
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.ir;
}

const ir = compileSource(source);
const index = indexIr([ir]);
const files = ir.files[0].interfaces.find((i) => i.name === "Files")!;
const method = (name: string) => files.methods.find((m) => m.name === name)!;

/** Little-endian message data written field by field at the IR's offsets. */
function openRequest(): Uint8Array {
  const data = new Uint8Array(64);
  const v = new DataView(data.buffer);
  const m = method("open").request;
  const at = (name: string) => (m.params.find((p) => p.name === name) as { offset: number }).offset;
  const fixed = m.fixedSize;
  const path = new TextEncoder().encode("/etc/motd");
  v.setUint16(at("path"), fixed, true);
  v.setUint16(at("path") + 2, path.length, true);
  data.set(path, fixed);
  v.setUint16(at("mode"), 2, true);
  v.setUint32(at("flags"), 5 | 8, true);
  v.setInt32(at("at"), -3, true);
  v.setInt32(at("at") + 4, 7, true);
  const tagsAt = fixed + 10;
  v.setUint16(at("tags"), tagsAt, true);
  v.setUint16(at("tags") + 2, 2, true);
  v.setUint16(tagsAt, 11, true);
  v.setUint16(tagsAt + 2, 12, true);
  v.setUint16(at("raw"), tagsAt + 4, true);
  v.setUint16(at("raw") + 2, 3, true);
  data.set([0xde, 0xad, 0x01], tagsAt + 4);
  v.setUint8(at("ok"), 1);
  return data;
}

describe("formatParams", () => {
  it("renders every kind of parameter by name", () => {
    expect(formatParams(index, method("open").request, openRequest(), [])).toBe(
      'path="/etc/motd", mode=WRITE, flags=A|C|0x8, at={x=-3, y=7}, tags=[11, 12], raw=<de ad 01>(3), ok=true',
    );
    const read = new Uint8Array(8);
    new DataView(read.buffer).setBigUint64(0, 1n << 40n, true);
    expect(formatParams(index, method("read").request, read, [4, 5])).toBe("file=#4, buf=lease#5, offset=1099511627776");
    const described = (d: number) => (d === 5 ? "lease[#5,w]" : undefined);
    expect(formatParams(index, method("read").request, read, [4, 5], described)).toBe(
      "file=#4, buf=lease[#5,w], offset=1099511627776",
    );
  });

  it("shows byte arrays as bytes", () => {
    expect(formatParams(index, method("stat").request, new Uint8Array([0x61, 0x62, 0, 0xff]), [])).toBe("id=<61 62 00 ff>(4)");
  });

  it("marks what does not decode instead of throwing", () => {
    const bad = openRequest();
    new DataView(bad.buffer).setUint16(2, 60, true); // path count past the end
    expect(formatParams(index, method("open").request, bad, [])).toMatch(/^path=<bad>, mode=WRITE/);
    expect(formatParams(index, method("open").request, new Uint8Array(3), [])).toMatch(/^path=<bad>, mode=<bad>/);
    expect(formatParams(index, method("read").request, new Uint8Array(8), [])).toBe("file=<missing>, buf=<missing>, offset=0");
  });

  it("never throws on random message bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.array(fc.nat(), { maxLength: 3 }), (data, descs) => {
        for (const m of files.methods) {
          expect(typeof formatParams(index, m.request, data, descs)).toBe("string");
          expect(typeof formatParams(index, m.reply, data, descs)).toBe("string");
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("TraceLog", () => {
  /** A fake address space: each pid's buffer at 0x1000. */
  const memory = new Map<number, Uint8Array>();
  const names = new Map([
    [3, "echo"],
    [4, "client"],
  ]);
  const objects = new Map([[7, "Echo"]]);
  const trace = () =>
    new TraceLog([ir], {
      read: (pid, va, length) => memory.get(pid)?.slice(va - 0x1000, va - 0x1000 + length) ?? null,
      processName: (pid) => names.get(pid) ?? "?",
      interfaceOf: (object) => objects.get(object),
    });
  const event = (e: Partial<TraceEvent>): TraceEvent => ({
    kind: "request", step: 1, pid: 0, tid: 0, peerPid: 0, peerTid: 0, object: 0, fn: 0, dataSize: 0, descCount: 0, ptr: 0x1000, retval: 0, errno: 0, ...e,
  });
  const echoFn = ir.files[0].interfaces.find((i) => i.name === "Echo")!.methods[0].fn;

  function stringMessage(prefix: number, text: string): Uint8Array {
    const bytes = new Uint8Array(64);
    const v = new DataView(bytes.buffer);
    const t = new TextEncoder().encode(text);
    v.setUint16(prefix, prefix + 4, true);
    v.setUint16(prefix + 2, t.length, true);
    bytes.set(t, prefix + 4);
    return bytes;
  }

  it("writes one line per call, decoded through the object's interface", () => {
    const log = trace();
    memory.set(3, stringMessage(0, "hi"));
    log.onEvent(event({ kind: "request", step: 10, pid: 4, tid: 5, peerPid: 3, peerTid: 6, object: 7, fn: echoFn, dataSize: 6 }));
    memory.set(4, stringMessage(8, "hi"));
    log.onEvent(event({ kind: "reply", step: 11, pid: 3, tid: 6, peerPid: 4, peerTid: 5, object: 7, fn: echoFn, dataSize: 14 }));
    log.onEvent(event({ kind: "exit", step: 12, pid: 4, retval: 0 }));
    expect(log.records.map(formatRecord)).toEqual([
      '#11    client(4) -> echo(3) Echo.echo(text="hi") -> text="hi"',
      "#12    client(4) exited, status 0",
    ]);
  });

  it("reports server errors, kernel failures and calls left open", () => {
    const log = trace();
    memory.set(3, new Uint8Array(16));
    log.onEvent(event({ kind: "request", step: 1, pid: 4, tid: 5, peerPid: 3, peerTid: 6, object: 7, fn: echoFn, dataSize: 0 }));
    log.onEvent(event({ kind: "reply-error", step: 2, pid: 3, tid: 6, peerPid: 4, peerTid: 5, errno: 71 }));
    log.onEvent(event({ kind: "request", step: 3, pid: 4, tid: 5, peerPid: 3, peerTid: 6, object: 8, fn: 0x7777, dataSize: 12, descCount: 1 }));
    log.onEvent(event({ kind: "fail", step: 4, pid: 4, tid: 5, fn: 0x7777, errno: 5 }));
    log.onEvent(event({ kind: "fail", step: 5, pid: 4, tid: 5, fn: 0x8000, errno: 9 }));
    log.onEvent(event({ kind: "fail", step: 5, pid: 4, tid: 5, fn: 0x22, errno: 9 }));
    log.onEvent(event({ kind: "fail", step: 5, pid: 4, tid: 5, fn: 0x1, errno: 13 }));
    log.onEvent(event({ kind: "request", step: 6, pid: 4, tid: 5, peerPid: 3, peerTid: 6, object: 8, fn: 0x1001, dataSize: 8 }));
    log.flush();
    expect(log.records.map(formatRecord)).toEqual([
      '#2     client(4) -> echo(3) Echo.echo(text=<bad>) -> error EPROTO (server)',
      "#4     client(4) -> echo(3) fn 0x7777(12 bytes, 1 descriptors) -> error EIO (kernel)",
      "#5     client(4) fn 0x8000 -> error EBADF (kernel)",
      "#5     client(4) fn 0x1 -> error EACCES (kernel)",
      "#6     client(4) -> echo(3) Files.read(file=<missing>, buf=<missing>, offset=0) -> (no answer)",
    ]);
  });

  it("cannot tell two user interfaces apart by number alone, so it uses the object's", () => {
    const log = trace();
    objects.set(9, "Other");
    memory.set(3, new Uint8Array([42, 0, 0, 0]));
    log.onEvent(event({ kind: "request", step: 1, pid: 4, tid: 5, peerPid: 3, peerTid: 6, object: 9, fn: echoFn, dataSize: 4 }));
    log.onEvent(event({ kind: "reply-error", step: 2, pid: 3, tid: 6, peerPid: 4, peerTid: 5, errno: 38 }));
    expect(formatRecord(log.records[0])).toBe("#2     client(4) -> echo(3) Other.ping(n=42) -> error ENOSYS (server)");
  });
});
