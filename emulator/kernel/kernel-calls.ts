/**
 * The kernel's message calls (idl/kernel.idl, everything not marked @trap):
 * each arrives as a SEND with a function number in 0x000-0x3FF, its request
 * laid out per DESIGN 1.4 (u32 fields in order, descriptors in the descriptor
 * area), and is answered like a server's reply (retval and errno words, then
 * the out-parameters). All decoding of kernel calls lives in this file: the
 * table below states every layout, and `kernelCall` checks sizes, counts and
 * the reply room before any handler runs, so a refused call has no effect.
 *
 * Memory objects, leases and OS emulation answer ENOSYS for now.
 */
import { PAGE_SIZE } from "../machine/addresses.js";
import {
  CLASS_SYSTEM,
  CLASS_USER,
  E2BIG,
  EACCES,
  EBADF,
  EDEADLK,
  EINVAL,
  ENAMETOOLONG,
  ENOMEM,
  ENOSPC,
  ENOSYS,
  EPERM,
  KIND_DOOR,
  KIND_PROCESS,
  KIND_THREAD,
  RIGHTS_ALL,
  RIGHT_DUP,
  align4,
  dataSizeOf,
  descCountOf,
  totalSizeOf,
} from "./abi.js";
import { AddressSpace, PROT_READ, PROT_WRITE } from "./address-space.js";
import { fail, type Next } from "./ipc.js";
import type { Kernel } from "./kernel.js";
import type { Thread } from "./thread.js";
import { copyIn, copyOut, loadWord, storeWord } from "./user-copy.js";

/** A handler's outcome: an errno (> 0), OK, or one of the two below. */
export const OK = 0;
/** The caller is blocked or gone; whoever wakes it writes its reply. */
export const SLEEP = -1;
/** Success, and the caller goes to the back of the ready queue. */
export const YIELD = -2;

/** The decoded request and the reply being built, preallocated once per kernel. */
export class CallContext {
  readonly request = new DataView(new ArrayBuffer(PAGE_SIZE));
  readonly requestBytes = new Uint8Array(this.request.buffer);
  requestData = 0;
  readonly requestDescs = new Int32Array(64);
  readonly reply = new DataView(new ArrayBuffer(PAGE_SIZE));
  readonly replyBytes = new Uint8Array(this.reply.buffer);
  readonly replyDescs = new Int32Array(64);
}

interface KernelCallSpec {
  readonly name: string;
  /** Fixed request data bytes; `variable` allows more after them. */
  readonly requestData: number;
  readonly variable?: boolean;
  readonly requestDescs: number;
  readonly replyData: number;
  readonly replyDescs: number;
  readonly invoke: ((k: Kernel, t: Thread, c: CallContext) => number) | null;
}

const u32 = (c: CallContext, at: number) => c.request.getUint32(at, true);

function spec(
  name: string,
  request: number,
  requestDescs: number,
  reply: number,
  replyDescs: number,
  invoke: KernelCallSpec["invoke"],
  variable = false,
): KernelCallSpec {
  return { name, requestData: request, requestDescs, replyData: 8 + reply, replyDescs, invoke, variable };
}

const notYet = null;

/** Function number -> layout and handler. Reply sizes count the retval and errno words. */
export const KERNEL_CALLS: ReadonlyMap<number, KernelCallSpec> = new Map([
  [0x010, spec("ipc_create", 8, 0, 0, 1, ipcCreate)],
  [0x011, spec("ipc_destroy", 0, 1, 0, 0, ipcDestroy)],
  [0x020, spec("desc_dup", 8, 0, 4, 0, descDup)],
  [0x021, spec("desc_close", 4, 0, 0, 0, descClose)],
  [0x022, spec("desc_info", 4, 0, 16, 0, descInfo)],
  [0x030, spec("thread_create", 8, 0, 4, 0, threadCreate)],
  [0x031, spec("thread_exit", 4, 0, 0, 0, (k, t, c) => (k.exitThread(t, c.request.getInt32(0, true)), SLEEP))],
  [0x032, spec("thread_yield", 0, 0, 0, 0, () => YIELD)],
  [0x038, spec("process_exit", 4, 0, 0, 0, (k, t, c) => (k.exitProcess(t.process, c.request.getInt32(0, true), null), SLEEP))],
  [0x039, spec("process_spawn", 8, 0, 0, 1, processSpawn, true)],
  [0x03a, spec("process_wait", 0, 1, 4, 0, processWait)],
  [0x040, spec("mem_create", 8, 0, 0, 1, notYet)],
  [0x041, spec("mem_map", 16, 1, 4, 0, notYet)],
  [0x042, spec("mem_unmap", 8, 0, 0, 0, memUnmap)],
  [0x043, spec("mem_alloc", 12, 0, 4, 0, memAlloc)],
  [0x050, spec("lease_create", 12, 0, 0, 1, notYet)],
  [0x051, spec("lease_read", 12, 1, 4, 0, notYet)],
  [0x052, spec("lease_write", 12, 1, 4, 0, notYet)],
  [0x053, spec("lease_info", 0, 1, 8, 0, notYet)],
  [0x060, spec("trap_vector_set", 1, 0, 0, 0, notYet)],
  [0x061, spec("thread_sandbox", 4, 1, 0, 0, notYet)],
]);

/** Entry for function numbers 0x000-0x3FF after the common send checks (sizes, buffer, descriptors). */
export function kernelCall(k: Kernel, t: Thread): Next {
  const a = t.regs.args;
  const fn = a[0]!;
  const s = KERNEL_CALLS.get(fn);
  if (s === undefined || s.invoke === null) return endCall(k, t, fn, fail(k, t, ENOSYS));
  const target = a[1]!;
  if (target !== 0 && t.process.descriptors.get(target) === null) return endCall(k, t, fn, fail(k, t, EBADF));
  const ptr = a[2]! >>> 0;
  const sizes = a[3]!;
  const data = dataSizeOf(sizes);
  const n = descCountOf(sizes);
  if (data < s.requestData || (!s.variable && data !== s.requestData) || n !== s.requestDescs) {
    return endCall(k, t, fn, fail(k, t, EINVAL));
  }
  if (align4(s.replyData) + 4 * s.replyDescs > totalSizeOf(sizes)) return endCall(k, t, fn, fail(k, t, E2BIG));
  const c = k.call;
  const cr3 = t.process.space.cr3;
  // The range was checked by the send path; copyIn cannot fault here.
  copyIn(k.mmu, cr3, ptr, c.requestBytes, data);
  c.requestData = data;
  for (let i = 0; i < n; i++) c.requestDescs[i] = loadWord(k.mmu, cr3, ptr + align4(data) + 4 * i);
  c.reply.setInt32(0, 0, true);
  c.reply.setInt32(4, 0, true);
  const r = s.invoke(k, t, c);
  if (r > 0) return endCall(k, t, fn, fail(k, t, r));
  if (r === SLEEP) return endCall(k, t, fn, null);
  writeReply(k, t, ptr, s.replyData, s.replyDescs);
  if (r === YIELD) {
    k.scheduler.makeReady(t);
    return endCall(k, t, fn, null);
  }
  return endCall(k, t, fn, t);
}

/** Writes a successful reply from `k.call` into the caller's buffer and registers. */
export function writeReply(k: Kernel, t: Thread, ptr: number, data: number, descs: number): void {
  const c = k.call;
  const cr3 = t.process.space.cr3;
  copyOut(k.mmu, cr3, ptr, c.replyBytes, data);
  for (let i = 0; i < descs; i++) storeWord(k.mmu, cr3, ptr + align4(data) + 4 * i, c.replyDescs[i]!);
  const a = t.regs.args;
  a[0] = c.reply.getInt32(0, true);
  a[1] = c.reply.getInt32(4, true);
  a[2] = 0;
  a[3] = (data << 8) | descs;
}

function endCall(k: Kernel, t: Thread, fn: number, next: Next): Next {
  if (k.traceHook !== null) k.traceKernelCall(t, fn, next === t && t.regs.args[0] === -1 ? t.regs.args[1]! : 0);
  return next;
}

function ipcCreate(k: Kernel, t: Thread, c: CallContext): number {
  const objectClass = u32(c, 0);
  if (!t.process.privileged) return EPERM;
  if (objectClass !== CLASS_SYSTEM && objectClass !== CLASS_USER) return EINVAL;
  if (t.process.descriptors.room < 1) return ENOSPC;
  c.replyDescs[0] = k.createDoor(t.process, objectClass, u32(c, 4));
  return OK;
}

function ipcDestroy(k: Kernel, t: Thread, c: CallContext): number {
  const ref = t.process.descriptors.get(c.requestDescs[0]!)!;
  if (ref.object.kind !== "door") return EBADF;
  if (!ref.owner) return EPERM;
  k.destroyDoor(ref.object);
  return OK;
}

function descDup(k: Kernel, t: Thread, c: CallContext): number {
  const ref = t.process.descriptors.get(u32(c, 0));
  const rights = u32(c, 4);
  if (ref === null) return EBADF;
  if ((rights & ~RIGHTS_ALL) !== 0) return EINVAL;
  if ((ref.rights & RIGHT_DUP) === 0) return EACCES;
  if (t.process.descriptors.room < 1) return ENOSPC;
  c.reply.setUint32(8, k.duplicate(t.process, ref, rights), true);
  return OK;
}

function descClose(k: Kernel, t: Thread, c: CallContext): number {
  return k.closeDescriptor(t.process, u32(c, 0)) ? OK : EBADF;
}

function descInfo(_k: Kernel, t: Thread, c: CallContext): number {
  const ref = t.process.descriptors.get(u32(c, 0));
  if (ref === null) return EBADF;
  const kind = ref.object.kind === "door" ? KIND_DOOR : ref.object.kind === "process" ? KIND_PROCESS : KIND_THREAD;
  c.reply.setUint32(8, kind, true);
  c.reply.setUint32(12, ref.rights, true);
  c.reply.setUint32(16, ref.cookie, true);
  c.reply.setUint32(20, ref.owner ? 1 : 0, true);
  return OK;
}

function threadCreate(k: Kernel, t: Thread, c: CallContext): number {
  const entry = t.process.entries[u32(c, 0)];
  if (entry === undefined) return EINVAL;
  const r = k.createThread(t.process, entry, u32(c, 4));
  if (typeof r === "number") return r;
  c.reply.setUint32(8, r.tid, true);
  return OK;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function processSpawn(k: Kernel, t: Thread, c: CallContext): number {
  if (!t.process.privileged) return EPERM;
  const offset = c.request.getUint16(0, true);
  const count = c.request.getUint16(2, true);
  if (count > 64) return ENAMETOOLONG;
  if (offset < 8 || offset + count > c.requestData) return EINVAL;
  let name: string;
  try {
    name = utf8.decode(c.requestBytes.subarray(offset, offset + count));
  } catch {
    return EINVAL;
  }
  if (t.process.descriptors.room < 1) return ENOSPC;
  const r = k.spawnFromProgram(name, u32(c, 4), t.process);
  if (typeof r === "number") return r;
  c.replyDescs[0] = r.number;
  // retval carries the new pid, so the caller can name the child to the rest of the system.
  if (r.object.kind === "process") c.reply.setInt32(0, r.object.pid, true);
  return OK;
}

function processWait(_k: Kernel, t: Thread, c: CallContext): number {
  const ref = t.process.descriptors.get(c.requestDescs[0]!)!;
  if (ref.object.kind !== "process") return EBADF;
  const target = ref.object;
  if (target === t.process) return EDEADLK;
  if (!target.alive) {
    c.reply.setInt32(8, target.exitStatus, true);
    return OK;
  }
  t.state = "wait-blocked";
  t.waitFor = target;
  t.waitPtr = t.regs.args[2]! >>> 0;
  target.waiters.push(t);
  return SLEEP;
}

function memAlloc(_k: Kernel, t: Thread, c: CallContext): number {
  let address = u32(c, 0);
  const length = Math.ceil(u32(c, 4) / PAGE_SIZE) * PAGE_SIZE;
  const prot = u32(c, 8);
  if (length === 0 || (prot & ~(PROT_READ | PROT_WRITE)) !== 0 || prot === 0) return EINVAL;
  const space = t.process.space;
  if (address === 0) {
    address = space.findFree(length);
    if (address === 0) return ENOMEM;
  }
  const bad = AddressSpace.checkRange(address, length) || space.allocate(address, length, prot);
  if (bad !== 0) return bad;
  c.reply.setUint32(8, address, true);
  return OK;
}

function memUnmap(_k: Kernel, t: Thread, c: CallContext): number {
  const address = u32(c, 0);
  const length = Math.ceil(u32(c, 4) / PAGE_SIZE) * PAGE_SIZE;
  const bad = AddressSpace.checkRange(address, length);
  return bad !== 0 ? bad : t.process.space.unmap(address, length);
}
