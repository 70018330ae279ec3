/**
 * Handlers of the memory-object, lease and OS-emulation kernel calls
 * (idl/kernel.idl 0x040-0x061). Like every handler they check everything,
 * then act, so that a refused call changes nothing. Layouts and errnos are
 * in docs/abi.md "Kernel calls".
 */
import type * as idl from "../../gen/idl/kernel.js";
import { PAGE_SIZE } from "../machine/addresses.js";
import {
  EACCES,
  EBADF,
  EFAULT,
  EINVAL,
  EIO,
  ENOMEM,
  ENOSPC,
  ESRCH,
  RIGHT_DUP,
  RIGHT_MAP,
  RIGHT_READ,
  RIGHT_SEND,
  RIGHT_WRITE,
} from "./abi.js";
import { AddressSpace, PROT_READ, PROT_WRITE, USER_END, USER_FIRST } from "./address-space.js";
import { Reference } from "./descriptor-table.js";
import type { Kernel } from "./kernel.js";
import { LEASE_READ, LEASE_WRITE, Lease } from "./lease.js";
import { MemoryObject, type Backing } from "./memory-object.js";
import type { Process } from "./process.js";
import type { Thread } from "./thread.js";
import { USER_READ, USER_WRITE, copyUser, userRangeOk } from "./user-copy.js";

/** Lowest vector trap_vector_set accepts: 0-31 are the processor's exceptions. */
export const FIRST_SOFTWARE_VECTOR = 0x20;

const MEM_SHARED = 0x1;
const MEM_FILE_CACHE = 0x2;

function pagesOf(length: number): number {
  return Math.ceil(length / PAGE_SIZE);
}

/** Kernel.createFileObject: a file's memory object for `p`; its descriptor, or -errno. */
export function fileObject(
  k: Kernel,
  p: Process,
  backing: Exclude<Backing, { kind: "anonymous" }>,
  size: number,
): number {
  if (p.descriptors.room < 1) return -ENOSPC;
  const pages = pagesOf(size);
  if (pages === 0 || pages > k.machine.memory.frameCount + k.pager.slotCount) return -ENOMEM;
  const obj = new MemoryObject(k.ids.memory++, pages, true, p, backing);
  const rights = RIGHT_MAP | RIGHT_READ | RIGHT_DUP | (obj.writable ? RIGHT_WRITE : 0);
  return k.installObject(p, obj, rights);
}

export function memCreate(k: Kernel, t: Thread, r: idl.KernelMemCreateRequest): idl.KernelMemCreateReply | number {
  if (r.size === 0 || (r.flags & ~(MEM_SHARED | MEM_FILE_CACHE)) !== 0) return EINVAL;
  const pages = pagesOf(r.size);
  const cache = (r.flags & MEM_FILE_CACHE) !== 0;
  // A page cache is never paged out, so only physical memory can hold it.
  if (pages > k.machine.memory.frameCount + (cache ? 0 : k.pager.slotCount)) return ENOMEM;
  if (t.process.descriptors.room < 1) return ENOSPC;
  const backing: Backing = cache ? { kind: "file-cache" } : { kind: "anonymous" };
  const obj = new MemoryObject(k.ids.memory++, pages, (r.flags & MEM_SHARED) !== 0, t.process, backing);
  return { memory: k.installObject(t.process, obj, RIGHT_MAP | RIGHT_READ | RIGHT_WRITE | RIGHT_DUP) };
}

export function memMap(_k: Kernel, t: Thread, r: idl.KernelMemMapRequest): idl.KernelMemMapReply | number {
  const ref = t.process.descriptors.get(r.memory)!;
  if (ref.object.kind !== "memory") return EBADF;
  const obj = ref.object;
  if (r.prot === 0 || (r.prot & ~(PROT_READ | PROT_WRITE)) !== 0) return EINVAL;
  if (r.offset % PAGE_SIZE !== 0 || r.length === 0) return EINVAL;
  const length = pagesOf(r.length) * PAGE_SIZE;
  if (r.offset + length > obj.size) return EINVAL;
  const writable = (r.prot & PROT_WRITE) !== 0;
  if ((ref.rights & RIGHT_MAP) === 0 || (ref.rights & RIGHT_READ) === 0) return EACCES;
  if (writable && ((ref.rights & RIGHT_WRITE) === 0 || !obj.writable)) return EACCES;
  if (!obj.shared && obj.creator !== t.process) return EACCES;
  const space = t.process.space;
  const address = r.address === 0 ? space.findFree(length) : r.address;
  if (address === 0) return ENOMEM;
  const bad =
    AddressSpace.checkRange(address, length) || space.mapObject(obj, address, r.offset / PAGE_SIZE, length, writable);
  return bad !== 0 ? bad : { address };
}

export function leaseCreate(
  k: Kernel,
  t: Thread,
  r: idl.KernelLeaseCreateRequest,
): idl.KernelLeaseCreateReply | number {
  const { address, length, access } = r;
  if (length > 0 && (address < USER_FIRST || address + length > USER_END)) return EINVAL;
  // The server reads what a READ lease lends, so the lender must be able to read it, and write what it lets be written.
  const need = access & LEASE_WRITE ? USER_WRITE : USER_READ;
  if (!userRangeOk(k.mmu, t.process.space.cr3, address, length, need)) return EFAULT;
  if (t.process.descriptors.room < 1) return ENOSPC;
  const rights = (access & LEASE_READ ? RIGHT_READ : 0) | (access & LEASE_WRITE ? RIGHT_WRITE : 0);
  const lease = new Lease(k.ids.lease++, t, address, length, access);
  t.leases.push(lease);
  return { lease: k.installObject(t.process, lease, rights) };
}

/** The lease named by `desc` if it allows `right` and is live; or an errno. */
function usableLease(t: Thread, desc: number, right: number): Lease | number {
  const ref = t.process.descriptors.get(desc)!;
  if (ref.object.kind !== "lease") return EBADF;
  if ((ref.rights & right) === 0) return EACCES;
  return ref.object.revoked ? EIO : ref.object;
}

/** Bytes a copy at `offset` of `length` may move: clipped to the lease's end; -EINVAL past it. */
function leaseSpan(lease: Lease, offset: number, length: number): number {
  if (offset > lease.length) return -EINVAL;
  return Math.min(length, lease.length - offset);
}

export function leaseRead(k: Kernel, t: Thread, r: idl.KernelLeaseReadRequest): idl.KernelLeaseReadReply | number {
  const lease = usableLease(t, r.lease, RIGHT_READ);
  if (typeof lease === "number") return lease;
  const count = leaseSpan(lease, r.offset, r.length);
  if (count < 0) return -count;
  const from = lease.lessor.process.space.cr3;
  const to = t.process.space.cr3;
  if (!userRangeOk(k.mmu, to, r.address, count, USER_WRITE)) return EFAULT;
  if (!userRangeOk(k.mmu, from, lease.address + r.offset, count, USER_READ)) return EFAULT;
  if (!copyUser(k.mmu, from, lease.address + r.offset, to, r.address, count))
    throw new Error("lease copy faulted after its checks");
  return { count };
}

export function leaseWrite(k: Kernel, t: Thread, r: idl.KernelLeaseWriteRequest): idl.KernelLeaseWriteReply | number {
  const lease = usableLease(t, r.lease, RIGHT_WRITE);
  if (typeof lease === "number") return lease;
  const count = leaseSpan(lease, r.offset, r.length);
  if (count < 0) return -count;
  const from = t.process.space.cr3;
  const to = lease.lessor.process.space.cr3;
  if (!userRangeOk(k.mmu, from, r.address, count, USER_READ)) return EFAULT;
  if (!userRangeOk(k.mmu, to, lease.address + r.offset, count, USER_WRITE)) return EFAULT;
  if (!copyUser(k.mmu, from, r.address, to, lease.address + r.offset, count))
    throw new Error("lease copy faulted after its checks");
  return { count };
}

export function leaseInfo(_k: Kernel, t: Thread, r: idl.KernelLeaseInfoRequest): idl.KernelLeaseInfoReply | number {
  const lease = usableLease(t, r.lease, 0xffffffff);
  if (typeof lease === "number") return lease === EACCES ? EIO : lease;
  return { length: lease.length, access: lease.access as idl.KernelLeaseInfoReply["access"] };
}

export function trapVectorSet(
  _k: Kernel,
  t: Thread,
  r: idl.KernelTrapVectorSetRequest,
): idl.KernelTrapVectorSetReply | number {
  if (r.vector < FIRST_SOFTWARE_VECTOR) return EINVAL;
  t.process.syscallVector = r.vector;
  return {};
}

export function threadSandbox(
  k: Kernel,
  t: Thread,
  r: idl.KernelThreadSandboxRequest,
): idl.KernelThreadSandboxReply | number {
  const ref = t.process.descriptors.get(r.handler)!;
  if (ref.object.kind !== "door") return EBADF;
  if ((ref.rights & RIGHT_SEND) === 0) return EACCES;
  const target = t.process.threads.find((x) => x.tid === r.thread);
  if (target === undefined) return ESRCH;
  const handler = new Reference(ref.object, RIGHT_SEND, ref.cookie, false);
  k.retain(handler);
  if (target.sandbox !== null) k.unref(target.sandbox);
  target.sandbox = handler;
  return {};
}
