/**
 * IPC: SEND, RECEIVE, REPLY, REPLY_RECEIVE and REPLY_ERROR (docs/abi.md 1.2-1.5).
 * Each handler decodes and checks everything, then acts, so a refused call
 * has no effect; it returns the thread to run next (`Next`) instead of
 * scheduling. A request goes straight from the sender's pages to a waiting
 * receiver's pages (one copy), and the sender hands the processor to it.
 *
 * Hot path rule: nothing here allocates per message, except the Reference a
 * transferred descriptor needs in the receiver's table.
 */
import {
  E2BIG,
  EACCES,
  EBADF,
  EBUSY,
  EFAULT,
  EINVAL,
  EIO,
  EMSGSIZE,
  ENOMSG,
  ENOSPC,
  KERNEL_LAST,
  MAX_MESSAGE_DESCRIPTORS,
  ORIGIN_KERNEL,
  ORIGIN_SERVER,
  PROCMGR_LAST,
  RIGHT_RECEIVE,
  RIGHT_SEND,
  align4,
  dataSizeOf,
  descCountOf,
  totalSizeOf,
  usedSize,
} from "./abi.js";
import { Reference } from "./descriptor-table.js";
import type { IpcObject } from "./ipc-object.js";
import type { Kernel } from "./kernel.js";
import { kernelCall } from "./kernel-calls.js";
import { endLentLeases } from "./lease.js";
import { endTrap } from "./sandbox.js";
import type { Thread } from "./thread.js";
import { USER_READ, USER_WRITE, copyUser, loadWord, storeWord, userRangeOk } from "./user-copy.js";

/** The thread to run next: the caller to continue, another for a hand-off, null for the scheduler's pick. */
export type Next = Thread | null;

/** Fails the caller's call with `errno` (origin: the kernel); the caller continues. */
export function fail(k: Kernel, t: Thread, errno: number): Next {
  k.traceFail(t, errno);
  setFailure(t, errno, ORIGIN_KERNEL);
  return t;
}

export function setFailure(t: Thread, errno: number, origin: number): void {
  const a = t.regs.args;
  a[0] = -1;
  a[1] = errno;
  a[2] = origin;
  a[3] = 0;
}

/** Wakes a blocked thread with a failure. */
function wakeFailed(k: Kernel, t: Thread, errno: number): void {
  endTrap(k, t, false, 0);
  k.traceFail(t, errno);
  setFailure(t, errno, ORIGIN_KERNEL);
  k.scheduler.makeReady(t);
}

/** Checks the descriptor area of a message; returns 0 or EBADF. */
function checkDescriptors(k: Kernel, t: Thread, ptr: number, sizes: number): number {
  const n = descCountOf(sizes);
  const at = ptr + align4(dataSizeOf(sizes));
  const table = t.process.descriptors;
  for (let i = 0; i < n; i++) {
    const d = loadWord(k.mmu, t.process.space.cr3, at + 4 * i);
    if (d > 0xffff || table.get(d) === null) return EBADF;
  }
  return 0;
}

/** Common checks of a message being sent or replied: sizes, count, readable buffer, descriptors. */
function checkOutgoing(k: Kernel, t: Thread, ptr: number, sizes: number, bufferAccess: number): number {
  const total = totalSizeOf(sizes);
  if (usedSize(sizes) > total) return EINVAL;
  if (descCountOf(sizes) > MAX_MESSAGE_DESCRIPTORS) return EMSGSIZE;
  if (!userRangeOk(k.mmu, t.process.space.cr3, ptr, total, bufferAccess)) return EFAULT;
  return checkDescriptors(k, t, ptr, sizes);
}

/** SEND (any arg0 other than the four IPC traps): a call to the kernel, the process manager or an object. */
export function sysSend(k: Kernel, t: Thread): Next {
  const a = t.regs.args;
  const fn = a[0]!;
  const target = a[1]!;
  if (fn < 0) return fail(k, t, EINVAL);
  if ((target & 0xffff0000) !== 0) return fail(k, t, EINVAL);
  const bad = checkOutgoing(k, t, a[2]! >>> 0, a[3]!, USER_WRITE);
  if (bad !== 0) return fail(k, t, bad);
  if (fn <= KERNEL_LAST) return kernelCall(k, t);

  let ref: Reference | null;
  if (fn <= PROCMGR_LAST) {
    const door = k.procmgrDoor;
    if (target === 0) {
      ref = t.process.procmgrRef;
      if (door === null || ref === null) return fail(k, t, EIO);
    } else {
      // With a target, only the process manager may send in its range (notifications).
      if (door === null || door.owner !== t.process) return fail(k, t, EINVAL);
      ref = t.process.descriptors.get(target);
      if (ref === null || ref.object.kind !== "door") return fail(k, t, EBADF);
      if ((ref.rights & RIGHT_SEND) === 0) return fail(k, t, EACCES);
    }
  } else {
    ref = t.process.descriptors.get(target);
    if (ref === null || ref.object.kind !== "door") return fail(k, t, EBADF);
    if ((ref.rights & RIGHT_SEND) === 0) return fail(k, t, EACCES);
    if (!ref.object.accepts(fn)) return fail(k, t, EINVAL);
  }
  return sendOn(k, t, ref, ref.object as IpcObject);
}

/** The send, once its reference is known: to a waiting receiver, or queued on `obj`. */
export function sendOn(k: Kernel, t: Thread, ref: Reference, obj: IpcObject): Next {
  if (!obj.alive) return fail(k, t, EIO);
  t.sendGen = t.process.space.generation;
  t.sendDescGen = t.process.descriptors.removals;
  t.sendRef = ref;
  t.sendObject = obj;
  for (let r = obj.receivers.head; r !== null; r = obj.receivers.head) {
    const why = deliverable(k, t, r);
    if (why > 0) {
      t.sendRef = t.sendObject = null;
      return fail(k, t, why);
    }
    obj.receivers.remove(r);
    if (why < 0) {
      wakeFailed(k, r, EFAULT);
      continue;
    }
    transferRequest(k, t, r, obj);
    return r;
  }
  t.state = "send-blocked";
  obj.senders.push(t);
  return null;
}

/**
 * Whether sender `s`'s queued request can go to receiver `r`: 0 yes, an errno
 * for the sender (the receiver keeps waiting), or -1 when the receiver's own
 * buffer has become unusable (the receiver fails instead).
 */
function deliverable(k: Kernel, s: Thread, r: Thread): number {
  const a = s.regs.args;
  const sizes = a[3]!;
  if (usedSize(sizes) > r.recvSize) return E2BIG;
  if (descCountOf(sizes) > r.process.descriptors.room) return ENOSPC;
  // NOTE: both buffers and the descriptors were checked when their calls began; a sibling
  // thread may have unmapped or closed something since, which the generations reveal.
  const rs = r.process.space;
  if (r.recvGen !== rs.generation && !userRangeOk(k.mmu, rs.cr3, r.recvPtr, r.recvSize, USER_WRITE)) return -1;
  const ptr = a[2]! >>> 0;
  const ss = s.process.space;
  if (s.sendGen !== ss.generation && !userRangeOk(k.mmu, ss.cr3, ptr, usedSize(sizes), USER_READ)) return EFAULT;
  return s.sendDescGen === s.process.descriptors.removals ? 0 : checkDescriptors(k, s, ptr, sizes);
}

/** Copies descriptors from `from`'s message at `src` into `to`'s table and message at `dst`. */
function transferDescriptors(k: Kernel, from: Thread, src: number, to: Thread, dst: number, n: number): void {
  const e = k.event;
  let stamped = false;
  for (let i = 0; i < n; i++) {
    const d = loadWord(k.mmu, from.process.space.cr3, src + 4 * i);
    const source = from.process.descriptors.get(d)!;
    stamped ||= source.stamped;
    if (source.object.kind === "lease" && source.object.lessor === from) source.object.lent = true;
    // A copy's cookie starts at 0, so nobody passes on a cookie a server stored; a stamped one keeps it.
    const copy = new Reference(source.object, source.rights, source.stamped ? source.cookie : 0, false);
    const num = to.process.descriptors.install(copy);
    if (num === 0) throw new Error("descriptor room was checked before transfer");
    k.retain(copy);
    storeWord(k.mmu, to.process.space.cr3, dst + 4 * i, num);
    e.descriptors[i] = num;
  }
  if (stamped) closeStamped(k, from, src, n);
}

/**
 * Stamped references are handed over: they leave the sender once every copy
 * is made, and with a reply that is not delivered too, so that a reply that
 * fails never leaves one behind in the process manager.
 */
function closeStamped(k: Kernel, from: Thread, src: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const d = loadWord(k.mmu, from.process.space.cr3, src + 4 * i);
    if (from.process.descriptors.get(d)?.stamped === true) k.closeDescriptor(from.process, d);
  }
}

/** Moves `s`'s request into receiver `r`'s buffer and registers; `s` now waits for the reply. */
function transferRequest(k: Kernel, s: Thread, r: Thread, obj: IpcObject): void {
  const a = s.regs.args;
  const sizes = a[3]!;
  const ptr = a[2]! >>> 0;
  const data = dataSizeOf(sizes);
  const n = descCountOf(sizes);
  if (!copyUser(k.mmu, s.process.space.cr3, ptr, r.process.space.cr3, r.recvPtr, data)) {
    throw new Error("request copy faulted after its ranges were checked");
  }
  transferDescriptors(k, s, ptr + align4(data), r, r.recvPtr + align4(data), n);
  const ra = r.regs.args;
  ra[0] = a[0]!;
  ra[1] = s.sendRef!.cookie;
  ra[2] = r.recvPtr;
  ra[3] = sizes;
  r.caller = s;
  r.recvObject = obj;
  s.server = r;
  s.state = "reply-blocked";
  if (k.traceHook !== null) k.traceMessage("request", s, r, obj.id, a[0]!, data, n, r.recvPtr, 0, 0);
}

/** RECEIVE: arg1 = descriptor, arg2 = buffer, arg3[31:20] = its size. */
export function sysReceive(k: Kernel, t: Thread): Next {
  const a = t.regs.args;
  const desc = a[1]!;
  if ((desc & 0xffff0000) !== 0) return fail(k, t, EINVAL);
  const ref = t.process.descriptors.get(desc);
  if (ref === null || ref.object.kind !== "door") return fail(k, t, EBADF);
  if ((ref.rights & RIGHT_RECEIVE) === 0) return fail(k, t, EACCES);
  if (t.caller !== null) return fail(k, t, EBUSY);
  const obj = ref.object;
  if (!obj.alive) return fail(k, t, EIO);
  const ptr = a[2]! >>> 0;
  const size = totalSizeOf(a[3]!);
  if (!userRangeOk(k.mmu, t.process.space.cr3, ptr, size, USER_WRITE)) return fail(k, t, EFAULT);
  return receiveOn(k, t, obj, ptr, size);
}

/** Takes the first deliverable queued sender, or blocks `t` on `obj`. Senders that cannot be delivered fail. */
function receiveOn(k: Kernel, t: Thread, obj: IpcObject, ptr: number, size: number): Next {
  t.recvPtr = ptr;
  t.recvSize = size;
  t.recvGen = t.process.space.generation;
  t.recvObject = obj;
  for (let s = obj.senders.head; s !== null; s = obj.senders.head) {
    obj.senders.remove(s);
    const why = deliverable(k, s, t);
    if (why !== 0) {
      s.sendRef = s.sendObject = null;
      wakeFailed(k, s, why);
      continue;
    }
    transferRequest(k, s, t, obj);
    return t;
  }
  t.state = "receive-blocked";
  obj.receivers.push(t);
  return null;
}

/** REPLY and REPLY_RECEIVE: answer the current message; REPLY_RECEIVE then receives on the same object. */
export function sysReply(k: Kernel, t: Thread, thenReceive: boolean): Next {
  const a = t.regs.args;
  const ptr = a[2]! >>> 0;
  const sizes = a[3]!;
  const caller = t.caller;
  if (caller === null) return fail(k, t, ENOMSG);
  // The buffer need only be readable for the reply; REPLY_RECEIVE also receives into it.
  const bad = checkOutgoing(k, t, ptr, sizes, thenReceive ? USER_WRITE : USER_READ);
  if (bad !== 0) return fail(k, t, bad);
  const data = dataSizeOf(sizes);
  const n = descCountOf(sizes);
  const descs = ptr + align4(data);
  if (caller.alive) {
    const ca = caller.regs.args;
    const callerPtr = ca[2]! >>> 0;
    if (usedSize(sizes) > totalSizeOf(ca[3]!)) return (closeStamped(k, t, descs, n), fail(k, t, E2BIG));
    if (n > caller.process.descriptors.room) return (closeStamped(k, t, descs, n), fail(k, t, ENOSPC));
    const cs = caller.process.space;
    // The caller's whole buffer was checked writable at send time; only an unmap since can spoil it.
    if (caller.sendGen !== cs.generation && !userRangeOk(k.mmu, cs.cr3, callerPtr, usedSize(sizes), USER_WRITE)) {
      // The caller's own buffer went away under it: its call fails, the server's reply is done.
      closeStamped(k, t, descs, n);
      wakeFailed(k, caller, EFAULT);
    } else {
      copyUser(k.mmu, t.process.space.cr3, ptr, caller.process.space.cr3, callerPtr, data);
      transferDescriptors(k, t, descs, caller, callerPtr + align4(data), n);
      const cr3 = cs.cr3;
      const fn = ca[0]!;
      ca[0] = data >= 4 ? loadWord(k.mmu, cr3, callerPtr) : 0;
      ca[1] = data >= 8 ? loadWord(k.mmu, cr3, callerPtr + 4) : 0;
      ca[2] = 0;
      ca[3] = (data << 8) | n;
      caller.sendRef!.cookie = a[1]!;
      endTrap(k, caller, true, data);
      if (k.traceHook !== null) {
        k.traceMessage("reply", t, caller, t.recvObject!.id, fn, data, n, callerPtr, ca[0]!, ca[1]!);
      }
      k.scheduler.makeReady(caller);
    }
    caller.server = null;
    caller.sendRef = caller.sendObject = null;
    endLentLeases(caller);
  } else {
    closeStamped(k, t, descs, n);
  }
  t.caller = null;
  if (!thenReceive) {
    a[0] = a[1] = a[2] = a[3] = 0;
    return t;
  }
  const obj = t.recvObject!;
  if (!obj.alive) return fail(k, t, EIO);
  const next = receiveOn(k, t, obj, ptr, totalSizeOf(sizes));
  if (next !== null || !caller.alive || caller.state !== "ready") return next;
  // The server blocked: hand the processor straight back to the caller.
  k.scheduler.ready.remove(caller);
  return caller;
}

/** REPLY_ERROR: arg1 = errno (> 0), arg2 = arg3 = 0. */
export function sysReplyError(k: Kernel, t: Thread): Next {
  const a = t.regs.args;
  const errno = a[1]!;
  if (errno <= 0 || a[2] !== 0 || a[3] !== 0) return fail(k, t, EINVAL);
  const caller = t.caller;
  if (caller === null) return fail(k, t, ENOMSG);
  if (caller.alive) {
    const fn = caller.regs.args[0]!;
    endTrap(k, caller, false, 0);
    setFailure(caller, errno, ORIGIN_SERVER);
    endLentLeases(caller);
    if (k.traceHook !== null) k.traceMessage("reply-error", t, caller, t.recvObject!.id, fn, 0, 0, 0, -1, errno);
    caller.server = null;
    caller.sendRef = caller.sendObject = null;
    k.scheduler.makeReady(caller);
  }
  t.caller = null;
  a[0] = a[1] = a[2] = a[3] = 0;
  return t;
}

/**
 * Ends every wait on a destroyed object: queued senders and receivers get
 * EIO. Calls already received stay with their servers, which may still answer.
 */
export function abortObject(k: Kernel, obj: IpcObject): void {
  obj.alive = false;
  for (let s = obj.senders.shift(); s !== null; s = obj.senders.shift()) {
    s.sendRef = s.sendObject = null;
    wakeFailed(k, s, EIO);
  }
  for (let r = obj.receivers.shift(); r !== null; r = obj.receivers.shift()) wakeFailed(k, r, EIO);
}

/**
 * Detaches a dying thread from IPC: out of any queue, its received call
 * failed with EIO (the server is gone), its own pending call forgotten.
 */
export function detachThread(k: Kernel, t: Thread): void {
  if (t.queue !== null) t.queue.remove(t);
  const caller = t.caller;
  if (caller !== null && caller.alive) {
    caller.server = null;
    caller.sendRef = caller.sendObject = null;
    wakeFailed(k, caller, EIO);
    endLentLeases(caller);
  }
  t.caller = null;
  if (t.server !== null) t.server = null;
  t.sendRef = t.sendObject = null;
}
