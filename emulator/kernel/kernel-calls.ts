/**
 * The kernel's message calls (idl/kernel.idl, everything not marked @trap).
 * Each arrives as a SEND with a function number in 0x000-0x3FF and is
 * answered like a server's reply. Requests are decoded, and replies encoded,
 * by the stubs generated from idl/kernel.idl (`gen/idl/kernel.ts`), over a
 * kernel-owned frame the message is copied into: the kernel reads its calls
 * exactly as every client writes them. The generated *dispatcher* is not used:
 * it is asynchronous and checks descriptors by trapping, while the kernel
 * answers inside the trap.
 *
 * Order, so that a refused call has no effect: ENOSYS, the target, decoding
 * (EINVAL), the room for the reply (E2BIG), then the handler, which checks
 * its own arguments before it changes anything. Memory objects, leases and OS
 * emulation are handled in memory-calls.ts.
 */
import * as idl from "../../gen/idl/kernel.js";
import { PAGE_SIZE } from "../machine/addresses.js";
import { Frame } from "../../runtime/message.js";
import {
  CLASS_SYSTEM,
  CLASS_USER,
  E2BIG,
  EACCES,
  EBADF,
  EDEADLK,
  EFAULT,
  EINVAL,
  ENAMETOOLONG,
  ENOMEM,
  ENOSPC,
  ENOSYS,
  EPERM,
  ESRCH,
  KIND_DOOR,
  KIND_LEASE,
  KIND_MEMORY,
  KIND_PROCESS,
  KIND_THREAD,
  ORIGIN_KERNEL,
  RIGHT_DUP,
  align4,
  dataSizeOf,
  descCountOf,
  totalSizeOf,
} from "./abi.js";
import { AddressSpace, PROT_READ, PROT_WRITE } from "./address-space.js";
import { fail, setFailure, type Next } from "./ipc.js";
import type { Kernel } from "./kernel.js";
import {
  leaseCreate,
  leaseInfo,
  leaseRead,
  leaseWrite,
  memCreate,
  memMap,
  threadSandbox,
  trapVectorSet,
} from "./memory-calls.js";
import type { Thread } from "./thread.js";
import { USER_WRITE, copyIn, copyOut, userRangeOk } from "./user-copy.js";

/** The caller is blocked or gone; whoever wakes it writes its reply. */
export const SLEEP = -1;
/** Success, and the caller goes to the back of the ready queue. */
export const YIELD = -2;

/** The kernel's message frame, preallocated once per kernel; request and reply share it, as in a user buffer. */
export class CallContext {
  readonly bytes = new Uint8Array(PAGE_SIZE);
  readonly frame = new Frame({
    address: 0,
    size: PAGE_SIZE - 1,
    view: new DataView(this.bytes.buffer),
    bytes: this.bytes,
  });
  /** The caller's msgTotalSize: the room for the reply. */
  callerTotal = 0;
  replyData = 0;
}

type Invoke<Req, Rep> = (k: Kernel, t: Thread, request: Req) => Rep | number;

export interface KernelCallSpec {
  readonly name: string;
  readonly requestData: number;
  readonly variable: boolean;
  readonly requestDescs: number;
  readonly replyData: number;
  readonly replyDescs: number;
  /** Decodes, checks the reply room, invokes and encodes; an errno, 0, SLEEP or YIELD. Null: ENOSYS. */
  readonly run: ((k: Kernel, t: Thread, c: CallContext, dataSize: number, descs: number) => number) | null;
}

type SizeName = keyof typeof idl.KernelSizes;

function isCodecError(e: unknown): boolean {
  return e instanceof Error && e.name === "CodecError";
}

function spec<Req, Rep>(
  name: SizeName,
  decode: (f: Frame, size: number, descs: number) => Req,
  encode: (f: Frame, reply: Rep) => number,
  invoke: Invoke<Req, Rep> | null,
): KernelCallSpec {
  const sizes = idl.KernelSizes[name];
  const run = (k: Kernel, t: Thread, c: CallContext, dataSize: number, descs: number): number => {
    let request: Req;
    try {
      request = decode(c.frame, dataSize, descs);
    } catch (e) {
      if (isCodecError(e)) return EINVAL;
      throw e;
    }
    if (sizes.reply.total > c.callerTotal) return E2BIG;
    const r = invoke!(k, t, request);
    if (typeof r === "number") {
      if (r !== YIELD) return r;
      c.replyData = encode(c.frame, {} as Rep);
      return YIELD;
    }
    c.replyData = encode(c.frame, r);
    return 0;
  };
  return {
    name,
    requestData: sizes.request.fixed,
    variable: sizes.request.max > sizes.request.fixed,
    requestDescs: sizes.request.descriptors,
    replyData: sizes.reply.fixed,
    replyDescs: sizes.reply.descriptors,
    run: invoke === null ? null : run,
  };
}

/** Function number -> layout (from the generated sizes) and handler. */
export const KERNEL_CALLS: ReadonlyMap<number, KernelCallSpec> = new Map([
  [idl.KernelFn.ipc_create, spec("ipc_create", idl.decodeKernelIpcCreateRequest, idl.encodeKernelIpcCreateReply, ipcCreate)],
  [idl.KernelFn.ipc_destroy, spec("ipc_destroy", idl.decodeKernelIpcDestroyRequest, idl.encodeKernelIpcDestroyReply, ipcDestroy)],
  [idl.KernelFn.desc_dup, spec("desc_dup", idl.decodeKernelDescDupRequest, idl.encodeKernelDescDupReply, descDup)],
  [idl.KernelFn.desc_close, spec("desc_close", idl.decodeKernelDescCloseRequest, idl.encodeKernelDescCloseReply, descClose)],
  [idl.KernelFn.desc_info, spec("desc_info", idl.decodeKernelDescInfoRequest, idl.encodeKernelDescInfoReply, descInfo)],
  [idl.KernelFn.desc_set_cookie, spec("desc_set_cookie", idl.decodeKernelDescSetCookieRequest, idl.encodeKernelDescSetCookieReply, descSetCookie)],
  [idl.KernelFn.thread_create, spec("thread_create", idl.decodeKernelThreadCreateRequest, idl.encodeKernelThreadCreateReply, threadCreate)],
  [idl.KernelFn.thread_exit, spec("thread_exit", idl.decodeKernelThreadExitRequest, idl.encodeKernelThreadExitReply, threadExit)],
  [idl.KernelFn.thread_yield, spec("thread_yield", idl.decodeKernelThreadYieldRequest, idl.encodeKernelThreadYieldReply, () => YIELD)],
  [idl.KernelFn.process_exit, spec("process_exit", idl.decodeKernelProcessExitRequest, idl.encodeKernelProcessExitReply, processExit)],
  [idl.KernelFn.process_spawn, spec("process_spawn", decodeSpawn, idl.encodeKernelProcessSpawnReply, processSpawn)],
  [idl.KernelFn.process_wait, spec("process_wait", idl.decodeKernelProcessWaitRequest, idl.encodeKernelProcessWaitReply, processWait)],
  [idl.KernelFn.process_kill, spec("process_kill", idl.decodeKernelProcessKillRequest, idl.encodeKernelProcessKillReply, processKill)],
  [idl.KernelFn.mem_create, spec("mem_create", idl.decodeKernelMemCreateRequest, idl.encodeKernelMemCreateReply, memCreate)],
  [idl.KernelFn.mem_map, spec("mem_map", idl.decodeKernelMemMapRequest, idl.encodeKernelMemMapReply, memMap)],
  [idl.KernelFn.mem_unmap, spec("mem_unmap", idl.decodeKernelMemUnmapRequest, idl.encodeKernelMemUnmapReply, memUnmap)],
  [idl.KernelFn.mem_alloc, spec("mem_alloc", idl.decodeKernelMemAllocRequest, idl.encodeKernelMemAllocReply, memAlloc)],
  [idl.KernelFn.lease_create, spec("lease_create", idl.decodeKernelLeaseCreateRequest, idl.encodeKernelLeaseCreateReply, leaseCreate)],
  [idl.KernelFn.lease_read, spec("lease_read", idl.decodeKernelLeaseReadRequest, idl.encodeKernelLeaseReadReply, leaseRead)],
  [idl.KernelFn.lease_write, spec("lease_write", idl.decodeKernelLeaseWriteRequest, idl.encodeKernelLeaseWriteReply, leaseWrite)],
  [idl.KernelFn.lease_info, spec("lease_info", idl.decodeKernelLeaseInfoRequest, idl.encodeKernelLeaseInfoReply, leaseInfo)],
  [idl.KernelFn.trap_vector_set, spec("trap_vector_set", idl.decodeKernelTrapVectorSetRequest, idl.encodeKernelTrapVectorSetReply, trapVectorSet)],
  [idl.KernelFn.thread_sandbox, spec("thread_sandbox", idl.decodeKernelThreadSandboxRequest, idl.encodeKernelThreadSandboxReply, threadSandbox)],
]);

/** Entry for function numbers 0x000-0x3FF after the common send checks (sizes, buffer, descriptors). */
export function kernelCall(k: Kernel, t: Thread): Next {
  const a = t.regs.args;
  const fn = a[0]!;
  const s = KERNEL_CALLS.get(fn);
  if (s === undefined || s.run === null) return endCall(k, t, fn, fail(k, t, ENOSYS));
  const target = a[1]!;
  if (target !== 0 && t.process.descriptors.get(target) === null) return endCall(k, t, fn, fail(k, t, EBADF));
  const ptr = a[2]! >>> 0;
  const sizes = a[3]!;
  const data = dataSizeOf(sizes);
  const descs = descCountOf(sizes);
  const c = k.call;
  // The send path checked the whole buffer; a copy fails only when a paged-out page finds no frame.
  if (!copyIn(k.mmu, t.process.space.cr3, ptr, c.bytes, align4(data) + 4 * descs)) {
    return endCall(k, t, fn, fail(k, t, EFAULT));
  }
  c.callerTotal = totalSizeOf(sizes);
  const r = s.run(k, t, c, data, descs);
  if (r > 0) return endCall(k, t, fn, fail(k, t, r));
  if (r === SLEEP) return endCall(k, t, fn, null);
  writeReply(k, t, ptr, c.replyData, s.replyDescs);
  if (r === YIELD) {
    k.scheduler.makeReady(t);
    return endCall(k, t, fn, null);
  }
  return endCall(k, t, fn, t);
}

/** Copies the encoded reply in `k.call` to the caller's buffer and sets its registers. */
export function writeReply(k: Kernel, t: Thread, ptr: number, data: number, descs: number): void {
  const c = k.call;
  copyOut(k.mmu, t.process.space.cr3, ptr, c.bytes, align4(data) + 4 * descs);
  const a = t.regs.args;
  a[0] = c.frame.view.getInt32(0, true);
  a[1] = c.frame.view.getInt32(4, true);
  a[2] = 0;
  a[3] = (data << 8) | descs;
}

function endCall(k: Kernel, t: Thread, fn: number, next: Next): Next {
  if (k.traceHook !== null) k.traceKernelCall(t, fn, next === t && t.regs.args[0] === -1 ? t.regs.args[1]! : 0);
  return next;
}

/** process_spawn's name: ENAMETOOLONG for a name over its bound, then the generated decoder. */
function decodeSpawn(f: Frame, size: number, descs: number): idl.KernelProcessSpawnRequest | { tooLong: true } {
  if (size >= 4 && f.view.getUint16(2, true) > 64) return { tooLong: true };
  return idl.decodeKernelProcessSpawnRequest(f, size, descs);
}

// ---- handlers: check, then act ------------------------------------------------

function ipcCreate(k: Kernel, t: Thread, r: idl.KernelIpcCreateRequest): idl.KernelIpcCreateReply | number {
  if (!t.process.privileged) return EPERM;
  if (r.object_class !== CLASS_SYSTEM && r.object_class !== CLASS_USER) return EINVAL;
  if (t.process.descriptors.room < 1) return ENOSPC;
  return { object: k.createDoor(t.process, r.object_class, r.security_type) };
}

function ipcDestroy(k: Kernel, t: Thread, r: idl.KernelIpcDestroyRequest): idl.KernelIpcDestroyReply | number {
  const ref = t.process.descriptors.get(r.object)!;
  if (ref.object.kind !== "door") return EBADF;
  if (!ref.owner) return EPERM;
  k.destroyDoor(ref.object);
  return {};
}

function descDup(k: Kernel, t: Thread, r: idl.KernelDescDupRequest): idl.KernelDescDupReply | number {
  const ref = t.process.descriptors.get(r.source);
  if (ref === null) return EBADF;
  if ((ref.rights & RIGHT_DUP) === 0) return EACCES;
  if (t.process.descriptors.room < 1) return ENOSPC;
  return { copy: k.duplicate(t.process, ref, r.rights) };
}

function descClose(k: Kernel, t: Thread, r: idl.KernelDescCloseRequest): idl.KernelDescCloseReply | number {
  return k.closeDescriptor(t.process, r.target) ? {} : EBADF;
}

const KINDS = { door: KIND_DOOR, process: KIND_PROCESS, thread: KIND_THREAD, memory: KIND_MEMORY, lease: KIND_LEASE } as const;

function descInfo(_k: Kernel, t: Thread, r: idl.KernelDescInfoRequest): idl.KernelDescInfoReply | number {
  const ref = t.process.descriptors.get(r.target);
  if (ref === null) return EBADF;
  const kind = KINDS[ref.object.kind];
  return { info: { kind, rights: ref.rights, cookie: ref.cookie >>> 0, owner: ref.owner } };
}

/** Privileged: the cookie is trusted by whoever receives the reference, so nobody else may set one. */
function descSetCookie(_k: Kernel, t: Thread, r: idl.KernelDescSetCookieRequest): idl.KernelDescSetCookieReply | number {
  if (!t.process.privileged) return EPERM;
  const ref = t.process.descriptors.get(r.target);
  if (ref === null) return EBADF;
  ref.cookie = r.cookie | 0;
  ref.stamped = true;
  return {};
}

function threadCreate(k: Kernel, t: Thread, r: idl.KernelThreadCreateRequest): idl.KernelThreadCreateReply | number {
  const entry = t.process.entries[r.entry];
  if (entry === undefined) return EINVAL;
  const created = k.createThread(t.process, entry, r.argument);
  return typeof created === "number" ? created : { thread: created.tid };
}

function threadExit(k: Kernel, t: Thread, r: idl.KernelThreadExitRequest): number {
  k.exitThread(t, r.status);
  return SLEEP;
}

function processExit(k: Kernel, t: Thread, r: idl.KernelProcessExitRequest): number {
  k.exitProcess(t.process, r.status, null);
  return SLEEP;
}

function processSpawn(
  k: Kernel,
  t: Thread,
  r: idl.KernelProcessSpawnRequest | { tooLong: true },
): idl.KernelProcessSpawnReply | number {
  if (!t.process.privileged) return EPERM;
  if ("tooLong" in r) return ENAMETOOLONG;
  if (t.process.descriptors.room < 1) return ENOSPC;
  const ref = k.spawnFromProgram(r.program, r.domain, t.process);
  if (typeof ref === "number") return ref;
  // retval carries the new pid, so the caller can name the child to the rest of the system.
  return { process: ref.number, retval: ref.object.kind === "process" ? ref.object.pid : 0 };
}

/** Privileged: ends the process a process reference names, with `status`; ESRCH if it has ended. */
function processKill(k: Kernel, t: Thread, r: idl.KernelProcessKillRequest): idl.KernelProcessKillReply | number {
  if (!t.process.privileged) return EPERM;
  const ref = t.process.descriptors.get(r.process)!;
  if (ref.object.kind !== "process") return EBADF;
  const target = ref.object;
  if (!target.alive) return ESRCH;
  k.exitProcess(target, r.status, null);
  return target === t.process ? SLEEP : {};
}

function processWait(_k: Kernel, t: Thread, r: idl.KernelProcessWaitRequest): idl.KernelProcessWaitReply | number {
  const ref = t.process.descriptors.get(r.process)!;
  if (ref.object.kind !== "process") return EBADF;
  const target = ref.object;
  if (target === t.process) return EDEADLK;
  if (!target.alive) return { status: target.exitStatus };
  t.state = "wait-blocked";
  t.waitFor = target;
  t.waitPtr = t.regs.args[2]! >>> 0;
  target.waiters.push(t);
  return SLEEP;
}

/** Answers a thread blocked in process_wait with `status` (or EFAULT if its buffer went away). */
export function finishWait(k: Kernel, w: Thread, status: number): void {
  w.waitFor = null;
  const size = idl.KernelSizes.process_wait.reply.total;
  if (!userRangeOk(k.mmu, w.process.space.cr3, w.waitPtr, size, USER_WRITE)) {
    setFailure(w, EFAULT, ORIGIN_KERNEL);
  } else {
    k.call.replyData = idl.encodeKernelProcessWaitReply(k.call.frame, { status });
    writeReply(k, w, w.waitPtr, k.call.replyData, 0);
  }
  k.scheduler.makeReady(w);
}

function memAlloc(_k: Kernel, t: Thread, r: idl.KernelMemAllocRequest): idl.KernelMemAllocReply | number {
  const length = Math.ceil(r.length / PAGE_SIZE) * PAGE_SIZE;
  if (length === 0 || r.prot === 0 || (r.prot & ~(PROT_READ | PROT_WRITE)) !== 0) return EINVAL;
  const space = t.process.space;
  const address = r.address === 0 ? space.findFree(length) : r.address;
  if (address === 0) return ENOMEM;
  const bad = AddressSpace.checkRange(address, length) || space.allocate(address, length, r.prot);
  return bad !== 0 ? bad : { address };
}

function memUnmap(_k: Kernel, t: Thread, r: idl.KernelMemUnmapRequest): idl.KernelMemUnmapReply | number {
  const length = Math.ceil(r.length / PAGE_SIZE) * PAGE_SIZE;
  const bad = AddressSpace.checkRange(r.address, length) || t.process.space.unmap(r.address, length);
  return bad !== 0 ? bad : {};
}
