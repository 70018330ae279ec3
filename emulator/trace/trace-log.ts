/**
 * Turns the kernel's IPC events (emulator/kernel/trace.ts) into trace
 * records: one per call, written when the call completes, with the request
 * and reply decoded through the IR of the interfaces in the image, e.g.
 *
 *   #42 client(4) -> echo(3) Echo.echo(text="hi") -> text="hi"
 *
 * It reads message bytes through `TraceSource.read` during the event (the
 * kernel's debug read), copies what it keeps, and never throws on what a
 * process put in its buffer.
 */
import type { Ir, IrInterface, IrMethod } from "../../compiler/ir/ir.js";
import { errnoName } from "../../runtime/abi.js";
import { type IrIndex, formatParams, indexIr } from "./format-message.js";

/** The fields of a kernel IPC event that the trace uses. */
export interface TraceEvent {
  readonly kind: "request" | "reply" | "reply-error" | "fail" | "kernel-call" | "exit";
  readonly step: number;
  readonly pid: number;
  readonly tid: number;
  readonly peerPid: number;
  readonly peerTid: number;
  readonly object: number;
  readonly fn: number;
  readonly dataSize: number;
  readonly descCount: number;
  readonly ptr: number;
  readonly retval: number;
  readonly errno: number;
}

export interface TraceSource {
  /** Bytes of a process's memory, or null when not mapped. */
  read(pid: number, va: number, length: number): Uint8Array | null;
  processName(pid: number): string;
  /** The interface an IPC object serves, when the image says (manifest `serves`). */
  interfaceOf(object: number): string | undefined;
  /** More about process `pid`'s descriptor `desc` than its number (a lease's access), if known. */
  describe?(pid: number, desc: number): string | undefined;
}

/** One line of the trace, also written as JSON by `--trace-json`. */
export interface TraceRecord {
  readonly step: number;
  readonly kind: "call" | "kernel-call" | "fail" | "exit";
  readonly from: string;
  readonly to: string | null;
  readonly fn: number;
  /** `Interface.method`, or `fn 0x…` when no interface in the image has it. */
  readonly method: string;
  readonly request: string | null;
  /** The decoded reply, or `error EIO (kernel)` etc. */
  readonly result: string;
}

interface Pending {
  readonly step: number;
  readonly to: string;
  readonly fn: number;
  readonly method: IrMethod | undefined;
  readonly label: string;
  readonly request: string;
}

/** RECEIVE, REPLY, REPLY_RECEIVE, REPLY_ERROR. */
const LAST_IPC_TRAP = 0x004;
const KERNEL_LAST = 0x3ff;
const PROCMGR_LAST = 0xfff;

export class TraceLog {
  readonly records: TraceRecord[] = [];
  private readonly index: IrIndex;
  private readonly interfaces: IrInterface[];
  private readonly byName: Map<string, IrInterface>;
  private readonly pending = new Map<string, Pending>();

  constructor(
    irs: readonly Ir[],
    private readonly source: TraceSource,
    private readonly onRecord: (record: TraceRecord) => void = () => {},
  ) {
    this.index = indexIr(irs);
    this.interfaces = irs.flatMap((ir) => ir.files.flatMap((f) => f.interfaces));
    this.byName = new Map(this.interfaces.map((i) => [i.name, i]));
  }

  /** Feeds one kernel event; call it from the kernel's trace hook. */
  onEvent(e: TraceEvent): void {
    switch (e.kind) {
      case "request":
        this.onRequest(e);
        return;
      case "reply":
        this.finish(e.peerPid, e.peerTid, e.step, () => this.replyText(e));
        return;
      case "reply-error":
        this.finish(e.peerPid, e.peerTid, e.step, () => `error ${errnoName(e.errno)} (server)`);
        return;
      case "fail":
        // A failed kernel call is reported again by its "kernel-call" event; the IPC traps (1-4) only here.
        if (e.fn > LAST_IPC_TRAP && e.fn <= KERNEL_LAST) return;
        if (!this.finish(e.pid, e.tid, e.step, () => `error ${errnoName(e.errno)} (kernel)`)) {
          const method = this.methodFor(e.fn, 0);
          this.emit({
            step: e.step,
            kind: "fail",
            from: this.name(e.pid),
            to: null,
            fn: e.fn,
            method: method.label,
            request: null,
            result: `error ${errnoName(e.errno)} (kernel)`,
          });
        }
        return;
      case "kernel-call": {
        const method = this.methodFor(e.fn, 0);
        const result = e.errno === 0 ? "ok" : `error ${errnoName(e.errno)} (kernel)`;
        this.emit({
          step: e.step,
          kind: "kernel-call",
          from: this.name(e.pid),
          to: "kernel",
          fn: e.fn,
          method: method.label,
          request: null,
          result,
        });
        return;
      }
      case "exit":
        this.emit({
          step: e.step,
          kind: "exit",
          from: this.name(e.pid),
          to: null,
          fn: 0,
          method: "exit",
          request: null,
          result: `status ${e.retval}`,
        });
        return;
    }
  }

  /** Calls still open when the run ended. */
  flush(): void {
    for (const [key, p] of this.pending) {
      const [pid] = key.split(":");
      this.emit({
        step: p.step,
        kind: "call",
        from: this.name(Number(pid)),
        to: p.to,
        fn: p.fn,
        method: p.label,
        request: p.request,
        result: "(no answer)",
      });
    }
    this.pending.clear();
  }

  private onRequest(e: TraceEvent): void {
    const { method, label } = this.methodFor(e.fn, e.object);
    let request = "";
    if (method) {
      const data = this.source.read(e.peerPid, e.ptr, e.dataSize) ?? new Uint8Array(0);
      const descriptors = this.descriptorsAt(e.peerPid, e.ptr, e.dataSize, e.descCount);
      request = formatParams(this.index, method.request, data, descriptors, this.describer(e.peerPid));
    } else {
      request = `${e.dataSize} bytes, ${e.descCount} descriptors`;
    }
    this.pending.set(`${e.pid}:${e.tid}`, { step: e.step, to: this.name(e.peerPid), fn: e.fn, method, label, request });
  }

  private replyText(e: TraceEvent): string {
    const p = this.pending.get(`${e.peerPid}:${e.peerTid}`);
    const head: string[] = [];
    if (e.retval !== 0) head.push(`retval=${e.retval}`);
    if (e.errno !== 0) head.push(`errno=${errnoName(e.errno)}`);
    if (p?.method && e.errno === 0) {
      const data = this.source.read(e.peerPid, e.ptr, e.dataSize) ?? new Uint8Array(0);
      const descriptors = this.descriptorsAt(e.peerPid, e.ptr, e.dataSize, e.descCount);
      const outs = formatParams(this.index, p.method.reply, data, descriptors, this.describer(e.peerPid));
      if (outs) head.push(outs);
    }
    return head.length > 0 ? head.join(", ") : "ok";
  }

  private finish(pid: number, tid: number, step: number, result: () => string): boolean {
    const key = `${pid}:${tid}`;
    const p = this.pending.get(key);
    if (!p) return false;
    const text = result();
    this.pending.delete(key);
    this.emit({
      step,
      kind: "call",
      from: this.name(pid),
      to: p.to,
      fn: p.fn,
      method: p.label,
      request: p.request,
      result: text,
    });
    return true;
  }

  private describer(pid: number): (desc: number) => string | undefined {
    return (desc) => this.source.describe?.(pid, desc);
  }

  private descriptorsAt(pid: number, ptr: number, dataSize: number, count: number): number[] {
    if (count === 0) return [];
    const bytes = this.source.read(pid, ptr + Math.ceil(dataSize / 4) * 4, 4 * count);
    if (!bytes) return [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: count }, (_, i) => view.getUint32(4 * i, true));
  }

  /** The method a function number means on an object: by the object's interface, else by range. */
  private methodFor(fn: number, object: number): { method: IrMethod | undefined; label: string } {
    const named = object !== 0 ? this.source.interfaceOf(object) : undefined;
    const candidates =
      named && this.byName.has(named) ? [this.byName.get(named)!] : this.interfaces.filter((i) => inClass(i, fn));
    const found = candidates.flatMap((iface) =>
      iface.methods.filter((m) => m.fn === fn).map((method) => ({ iface, method })),
    );
    // Two interfaces of one class may share numbers; without the object's interface, say only the number.
    if (found.length !== 1) return { method: undefined, label: `fn 0x${(fn >>> 0).toString(16)}` };
    return { method: found[0].method, label: `${found[0].iface.name}.${found[0].method.name}` };
  }

  private name(pid: number): string {
    return `${this.source.processName(pid)}(${pid})`;
  }

  private emit(record: TraceRecord): void {
    this.records.push(record);
    this.onRecord(record);
  }
}

function inClass(iface: IrInterface, fn: number): boolean {
  if (fn <= KERNEL_LAST) return iface.rangeClass === "kernel";
  if (fn <= PROCMGR_LAST) return iface.rangeClass === "procmgr";
  return iface.rangeClass === "system" || iface.rangeClass === "user";
}

/** The readable form of a record: `#42 client(4) -> echo(3) Echo.echo(text="hi") -> text="hi"`. */
export function formatRecord(r: TraceRecord): string {
  const step = `#${r.step}`.padEnd(6);
  switch (r.kind) {
    case "call":
      return `${step} ${r.from} -> ${r.to} ${r.method}(${r.request ?? ""}) -> ${r.result}`;
    case "kernel-call":
      return `${step} ${r.from} ${r.method} -> ${r.result}`;
    case "fail":
      return `${step} ${r.from} ${r.method} -> ${r.result}`;
    case "exit":
      return `${step} ${r.from} exited, ${r.result}`;
  }
}
