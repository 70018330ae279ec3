/**
 * ABI constants as the runtime uses them (docs/abi.md).
 *
 * The kernel call numbers mirror `idl/kernel.idl`; a test compares them with
 * the compiled IR of that file, so a renumbering there fails loudly here.
 */

/** Function-number ranges (section 1.1), inclusive. */
export const KERNEL_FIRST = 0x0000;
export const KERNEL_LAST = 0x03ff;
export const PROCMGR_FIRST = 0x0400;
export const PROCMGR_LAST = 0x0fff;
export const SYSTEM_BASE = 0x1000;
export const SYSTEM_LAST = 0x7fff;
export const USER_BASE = 0x8000;
export const USER_LAST = 0x7fffffff;
/** Never a valid request; the kernel's "call failed" marker in arg0. */
export const INVALID_FUNCTION = -1;

/** Largest message buffer: sizes travel in 12-bit fields (section 1.3). */
export const MAX_MESSAGE_SIZE = 4095;

/** Register-level kernel calls (`@trap` methods of idl/kernel.idl). */
export const RECEIVE = 0x001;
export const REPLY = 0x002;
export const REPLY_RECEIVE = 0x003;
export const REPLY_ERROR = 0x004;

/** Message-level kernel calls the runtime itself makes (idl/kernel.idl). */
export const DESC_CLOSE = 0x021;
export const DESC_INFO = 0x022;

/** arg2 after a failed call (`arg0 = -1`): who answered (section 1.2). */
export const ORIGIN_KERNEL = 1;
export const ORIGIN_SERVER = 2;

/** Permission bits of a reference (`bits Rights` in idl/types.idl). */
export const RIGHT_SEND = 0x01;
export const RIGHT_RECEIVE = 0x02;
export const RIGHT_READ = 0x04;
export const RIGHT_WRITE = 0x08;
export const RIGHT_MAP = 0x10;
export const RIGHT_DUP = 0x20;

/** Kinds of kernel object (`enum ObjectKind` in idl/types.idl). */
export const KIND_DOOR = 1;
export const KIND_PROCESS = 2;
export const KIND_THREAD = 3;
export const KIND_MEMORY = 4;
export const KIND_LEASE = 5;

/** Linux errno values: those the ABI names (section 1.8), and those file servers need. */
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const E2BIG = 7;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const EMFILE = 24;
export const EFBIG = 27;
export const ENOSPC = 28;
export const EPIPE = 32;
export const ERANGE = 34;
export const EDEADLK = 35;
export const ENAMETOOLONG = 36;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ENOMSG = 42;
export const EIDRM = 43;
export const EPROTO = 71;
export const EMSGSIZE = 90;
export const ETIMEDOUT = 110;

const errnoNames: Readonly<Record<number, string>> = {
  [EPERM]: "EPERM",
  [ENOENT]: "ENOENT",
  [ESRCH]: "ESRCH",
  [EINTR]: "EINTR",
  [EIO]: "EIO",
  [E2BIG]: "E2BIG",
  [EBADF]: "EBADF",
  [EAGAIN]: "EAGAIN",
  [ENOMEM]: "ENOMEM",
  [EACCES]: "EACCES",
  [EFAULT]: "EFAULT",
  [EBUSY]: "EBUSY",
  [EEXIST]: "EEXIST",
  [ENOTDIR]: "ENOTDIR",
  [EISDIR]: "EISDIR",
  [EINVAL]: "EINVAL",
  [EMFILE]: "EMFILE",
  [EFBIG]: "EFBIG",
  [ENOSPC]: "ENOSPC",
  [EPIPE]: "EPIPE",
  [ERANGE]: "ERANGE",
  [EDEADLK]: "EDEADLK",
  [ENAMETOOLONG]: "ENAMETOOLONG",
  [ENOSYS]: "ENOSYS",
  [ENOTEMPTY]: "ENOTEMPTY",
  [ENOMSG]: "ENOMSG",
  [EIDRM]: "EIDRM",
  [EPROTO]: "EPROTO",
  [EMSGSIZE]: "EMSGSIZE",
  [ETIMEDOUT]: "ETIMEDOUT",
};

/** `EINVAL` for 22; `errno 99` for a number the ABI does not name. */
export function errnoName(errno: number): string {
  return errnoNames[errno] ?? `errno ${errno}`;
}

/** The range class a function number belongs to, or null for none (e.g. -1). */
export function rangeOf(fn: number): "kernel" | "procmgr" | "system" | "user" | null {
  if (!Number.isInteger(fn) || fn < KERNEL_FIRST || fn > USER_LAST) return null;
  if (fn <= KERNEL_LAST) return "kernel";
  if (fn <= PROCMGR_LAST) return "procmgr";
  if (fn <= SYSTEM_LAST) return "system";
  return "user";
}
