/**
 * A fake kernel for runtime and stub tests: processes with their own memory
 * and descriptor tables, doors, and the IPC calls of docs/abi.md
 * (SEND, RECEIVE, REPLY, REPLY_RECEIVE, REPLY_ERROR) plus DESC_INFO and
 * DESC_CLOSE, written from the ABI text and independent of the runtime's
 * code. Bytes are copied between the processes' memories; descriptor numbers
 * are translated into the receiver's table.
 */
import type { MessageBuffer, Trap } from "../../runtime/trap.js";

const RECEIVE = 1;
const REPLY = 2;
const REPLY_RECEIVE = 3;
const REPLY_ERROR = 4;
const DESC_CLOSE = 0x21;
const DESC_INFO = 0x22;
const EIO = 5;
const E2BIG = 7;
const EBADF = 9;
const EACCES = 13;
const EFAULT = 14;
const EINVAL = 22;
const ENOSYS = 38;
const SEND = 1;
const RECV = 2;
const DOOR = 1;

export type DoorClass = "system" | "user";

interface KObject {
  readonly kind: number;
  readonly owner: FakeProcess | null;
  readonly cls: DoorClass | null;
  readonly senders: Pending[];
  readonly receivers: Waiter[];
  alive: boolean;
}

interface Ref {
  readonly object: KObject;
  readonly rights: number;
  cookie: number;
}

interface Pending {
  readonly thread: FakeThread;
  readonly ref: Ref;
  readonly object: KObject;
}

interface Waiter {
  readonly thread: FakeThread;
  readonly object: KObject;
}

/** One message transfer, as the kernel would log it. */
export interface Transfer {
  readonly from: string;
  readonly to: string;
  readonly kind: "request" | "reply" | "error";
  readonly bytes: Uint8Array;
}

export class FakeKernel {
  readonly log: Transfer[] = [];
  private nextPid = 1;

  process(name = `p${this.nextPid}`): FakeProcess {
    this.nextPid++;
    return new FakeProcess(this, name);
  }
}

class FakeThread implements Trap {
  readonly args = new Int32Array(4);
  /** The sender whose message this thread received and has not answered. */
  current: Pending | null = null;
  currentPtr = 0;
  wake: (() => void) | null = null;
  traps = 0;

  constructor(readonly process: FakeProcess) {}

  enter(): Promise<void> {
    this.traps++;
    return new Promise((resolve) => {
      this.wake = resolve;
      this.process.trap(this);
    });
  }

  resume(a0: number, a1: number, a2: number, a3: number): void {
    this.args[0] = a0;
    this.args[1] = a1;
    this.args[2] = a2;
    this.args[3] = a3;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  fail(errno: number, origin = 1): void {
    this.resume(-1, errno, origin, 0);
  }
}

export class FakeProcess {
  readonly memory = new Uint8Array(0x10000);
  private readonly descs = new Map<number, Ref>();
  private readonly threads: FakeThread[] = [];
  private nextDesc = 1;
  alive = true;

  constructor(
    readonly kernel: FakeKernel,
    readonly name: string,
  ) {}

  /** A message buffer of `size` bytes at `address` of this process's memory. */
  buffer(size = 4095, address = 0x1000): MessageBuffer {
    const bytes = this.memory.subarray(address, address + size);
    return { address, size, bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  thread(): Trap & { readonly traps: number } {
    const t = new FakeThread(this);
    this.threads.push(t);
    return t;
  }

  /** Creates a door owned by this process; returns the owner reference (SEND | RECEIVE). */
  door(cls: DoorClass = "user"): number {
    const object: KObject = { kind: DOOR, owner: this, cls, senders: [], receivers: [], alive: true };
    return this.install({ object, rights: SEND | RECV | 0x20, cookie: 0 });
  }

  /** An object of another kind (2 process, 3 thread, 4 memory, 5 lease) with `rights`. */
  object(kind: number, rights: number): number {
    return this.install({ object: { kind, owner: null, cls: null, senders: [], receivers: [], alive: true }, rights, cookie: 0 });
  }

  /** Gives `to` a reference to this process's descriptor `desc`, with `rights` and `cookie`. */
  grant(desc: number, to: FakeProcess, rights = SEND, cookie = 0): number {
    const ref = this.descs.get(desc);
    if (!ref) throw new Error(`no descriptor ${desc}`);
    return to.install({ object: ref.object, rights, cookie });
  }

  has(desc: number): boolean {
    return this.descs.has(desc);
  }

  cookieOf(desc: number): number | undefined {
    return this.descs.get(desc)?.cookie;
  }

  descriptorCount(): number {
    return this.descs.size;
  }

  /** Ends the process: its doors die, their senders and open calls get EIO. */
  exit(): void {
    this.alive = false;
    for (const t of this.threads) {
      t.current?.thread.fail(EIO);
      t.current = null;
    }
    for (const ref of this.descs.values()) {
      const o = ref.object;
      if (o.owner !== this || !o.alive) continue;
      o.alive = false;
      for (const p of o.senders.splice(0)) p.thread.fail(EIO);
      o.receivers.splice(0);
    }
    this.descs.clear();
  }

  private install(ref: Ref): number {
    const n = this.nextDesc++;
    this.descs.set(n, ref);
    return n;
  }

  /** Handles the trap `t` just entered (docs/abi.md 1.2). */
  trap(t: FakeThread): void {
    const fn = t.args[0]!;
    if (fn === RECEIVE) return this.receive(t, t.args[1]!, t.args[2]!, (t.args[3]! >>> 20) & 0xfff);
    if (fn === REPLY || fn === REPLY_RECEIVE) return this.reply(t, fn);
    if (fn === REPLY_ERROR) return this.replyError(t);
    return this.send(t);
  }

  private range(ptr: number, size: number): boolean {
    return ptr >= 0 && size >= 0 && ptr + size <= this.memory.length;
  }

  private receive(t: FakeThread, desc: number, ptr: number, total: number): void {
    const ref = this.descs.get(desc);
    if (!ref || ref.object.kind !== DOOR || (ref.rights & RECV) === 0) return t.fail(EBADF);
    if (!ref.object.alive) return t.fail(EIO);
    if (!this.range(ptr, total)) return t.fail(EFAULT);
    t.currentPtr = ptr;
    ref.object.receivers.push({ thread: t, object: ref.object });
    match(ref.object);
  }

  private send(t: FakeThread): void {
    const [fn, target, ptr, arg3] = t.args as unknown as [number, number, number, number];
    const total = (arg3 >>> 20) & 0xfff;
    const data = (arg3 >>> 8) & 0xfff;
    const descN = arg3 & 0xff;
    if ((target & 0xffff) !== target) return t.fail(EINVAL);
    if (((data + 3) & ~3) + 4 * descN > total) return t.fail(EINVAL);
    if (!this.range(ptr, total)) return t.fail(EFAULT);
    if (target === 0) return this.kernelCall(t, fn, ptr, data);
    const ref = this.descs.get(target);
    if (!ref) return t.fail(EBADF);
    if ((ref.rights & SEND) === 0 || ref.object.kind !== DOOR) return t.fail(EACCES);
    const inRange = ref.object.cls === "system" ? fn >= 0x1000 && fn <= 0x7fff : fn >= 0x8000;
    if (!inRange) return t.fail(EINVAL);
    const area = ptr + ((data + 3) & ~3);
    for (let i = 0; i < descN; i++) {
      const d = new DataView(this.memory.buffer).getUint32(area + 4 * i, true);
      if (!this.descs.has(d)) return t.fail(EBADF);
    }
    if (!ref.object.alive) return t.fail(EIO);
    t.currentPtr = ptr;
    ref.object.senders.push({ thread: t, ref, object: ref.object });
    match(ref.object);
  }

  /** Kernel-range calls to target 0: DESC_INFO and DESC_CLOSE, encoded by hand per idl/kernel.idl. */
  private kernelCall(t: FakeThread, fn: number, ptr: number, data: number): void {
    const view = new DataView(this.memory.buffer, ptr);
    if (fn !== DESC_INFO && fn !== DESC_CLOSE) return t.fail(ENOSYS);
    if (data < 4) return t.fail(EINVAL);
    const target = view.getUint32(0, true);
    const ref = this.descs.get(target);
    if (!ref) return t.fail(EBADF);
    view.setInt32(0, 0, true);
    view.setInt32(4, 0, true);
    if (fn === DESC_CLOSE) {
      this.descs.delete(target);
      return t.resume(0, 0, 0, 8 << 8);
    }
    view.setUint32(8, ref.object.kind, true);
    view.setUint32(12, ref.rights, true);
    view.setUint32(16, ref.cookie, true);
    view.setUint32(20, ref.object.owner === this ? 1 : 0, true);
    t.resume(0, 0, 0, 24 << 8);
  }

  /** Copies a message from this process to `to`, installing its descriptors there. */
  copyTo(to: FakeProcess, from: number, into: number, data: number, descN: number): void {
    to.memory.set(this.memory.subarray(from, from + data), into);
    const fromView = new DataView(this.memory.buffer);
    const toView = new DataView(to.memory.buffer);
    const pad = (data + 3) & ~3;
    for (let i = data; i < pad; i++) to.memory[into + i] = 0;
    for (let i = 0; i < descN; i++) {
      const ref = this.descs.get(fromView.getUint32(from + pad + 4 * i, true))!;
      toView.setUint32(into + pad + 4 * i, to.install({ object: ref.object, rights: ref.rights, cookie: 0 }), true);
    }
  }

  private reply(t: FakeThread, fn: number): void {
    const call = t.current;
    if (!call) return t.fail(EINVAL);
    const [, cookie, ptr, arg3] = t.args as unknown as [number, number, number, number];
    const data = (arg3 >>> 8) & 0xfff;
    const descN = arg3 & 0xff;
    const callerTotal = (call.thread.args[3]! >>> 20) & 0xfff;
    if (((data + 3) & ~3) + 4 * descN > callerTotal) return t.fail(E2BIG);
    const area = ptr + ((data + 3) & ~3);
    for (let i = 0; i < descN; i++) {
      if (!this.descs.has(new DataView(this.memory.buffer).getUint32(area + 4 * i, true))) return t.fail(EBADF);
    }
    const caller = call.thread;
    this.copyTo(caller.process, ptr, caller.currentPtr, data, descN);
    this.kernel.log.push({ from: this.name, to: caller.process.name, kind: "reply", bytes: this.memory.slice(ptr, ptr + data) });
    call.ref.cookie = cookie;
    t.current = null;
    const view = new DataView(this.memory.buffer, ptr);
    caller.resume(data >= 4 ? view.getInt32(0, true) : 0, data >= 8 ? view.getInt32(4, true) : 0, 0, (data << 8) | descN);
    if (fn === REPLY) return t.resume(0, 0, 0, 0);
    const total = (arg3 >>> 20) & 0xfff;
    t.currentPtr = ptr;
    if (!call.object.alive) return t.fail(EIO);
    call.object.receivers.push({ thread: t, object: call.object });
    void total;
    match(call.object);
  }

  private replyError(t: FakeThread): void {
    const call = t.current;
    if (!call) return t.fail(EINVAL);
    t.current = null;
    this.kernel.log.push({ from: this.name, to: call.thread.process.name, kind: "error", bytes: new Uint8Array() });
    call.thread.fail(t.args[1]!, 2);
    t.resume(0, 0, 0, 0);
  }
}

/** Delivers waiting senders to waiting receivers of `object` (docs/abi.md 1.3). */
function match(object: KObject): void {
  while (object.senders.length > 0 && object.receivers.length > 0) {
    const sender = object.senders.shift()!;
    const [fn, , ptr, arg3] = sender.thread.args as unknown as [number, number, number, number];
    const data = (arg3 >>> 8) & 0xfff;
    const descN = arg3 & 0xff;
    const receiver = object.receivers[0]!;
    const room = (receiver.thread.args[3]! >>> 20) & 0xfff;
    if (((data + 3) & ~3) + 4 * descN > room) {
      sender.thread.fail(E2BIG);
      continue;
    }
    object.receivers.shift();
    const from = sender.thread.process;
    const to = receiver.thread.process;
    from.copyTo(to, ptr, receiver.thread.currentPtr, data, descN);
    from.kernel.log.push({ from: from.name, to: to.name, kind: "request", bytes: from.memory.slice(ptr, ptr + data) });
    receiver.thread.current = sender;
    receiver.thread.resume(fn, sender.ref.cookie, receiver.thread.currentPtr, arg3);
  }
}
