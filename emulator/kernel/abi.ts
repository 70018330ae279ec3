/**
 * The register-level ABI as the kernel reads it (docs/abi.md 1.1-1.3
 * and 1.8): function-number ranges, trap numbers, arg3 packing, errno values
 * and the limits this kernel sets.
 */
export const KERNEL_FIRST = 0x0000;
export const KERNEL_LAST = 0x03ff;
export const PROCMGR_FIRST = 0x0400;
export const PROCMGR_LAST = 0x0fff;
export const SYSTEM_BASE = 0x1000;
export const SYSTEM_LAST = 0x7fff;
export const USER_BASE = 0x8000;

export const RECEIVE = 0x001;
export const REPLY = 0x002;
export const REPLY_RECEIVE = 0x003;
export const REPLY_ERROR = 0x004;

/** `arg2` of a failed call: who failed it. */
export const ORIGIN_KERNEL = 1;
export const ORIGIN_SERVER = 2;

/** Errno values: one table for the whole ABI, kept with the runtime (docs/abi.md 1.8). */
export {
  EPERM,
  ENOENT,
  ESRCH,
  EINTR,
  EIO,
  E2BIG,
  EBADF,
  EAGAIN,
  ENOMEM,
  EACCES,
  EFAULT,
  EBUSY,
  EEXIST,
  EINVAL,
  ENOSPC,
  EPIPE,
  ERANGE,
  EDEADLK,
  ENAMETOOLONG,
  ENOSYS,
  ENOMSG,
  EIDRM,
  EPROTO,
  EMSGSIZE,
} from "../../runtime/abi.js";

/** Rights bits of a reference (idl/types.idl `Rights`). */
export const RIGHT_SEND = 0x01;
export const RIGHT_RECEIVE = 0x02;
export const RIGHT_READ = 0x04;
export const RIGHT_WRITE = 0x08;
export const RIGHT_MAP = 0x10;
export const RIGHT_DUP = 0x20;
export const RIGHTS_ALL = 0x3f;

/** Object classes (idl/types.idl `ObjectClass`). */
export const CLASS_SYSTEM = 1;
export const CLASS_USER = 2;

/** Object kinds (idl/types.idl `ObjectKind`). */
export const KIND_DOOR = 1;
export const KIND_PROCESS = 2;
export const KIND_THREAD = 3;
export const KIND_MEMORY = 4;
export const KIND_LEASE = 5;

/** Most descriptors one message may carry; more is EMSGSIZE. */
export const MAX_MESSAGE_DESCRIPTORS = 64;
/** Descriptors 1..MAX_DESCRIPTORS of a process (descriptors are 16-bit in arg1). */
export const MAX_DESCRIPTORS = 1024;

export function totalSizeOf(arg3: number): number {
  return arg3 >>> 20;
}

export function dataSizeOf(arg3: number): number {
  return (arg3 >>> 8) & 0xfff;
}

export function descCountOf(arg3: number): number {
  return arg3 & 0xff;
}

export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Bytes a message occupies: data, padding, descriptors. */
export function usedSize(arg3: number): number {
  return align4(dataSizeOf(arg3)) + 4 * descCountOf(arg3);
}

export function packSizes(total: number, data: number, descN: number): number {
  return ((total << 20) | (data << 8) | descN) | 0;
}
