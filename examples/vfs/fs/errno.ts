/**
 * The errnos the file system gives (Linux values, docs/abi.md 1.8) and the result
 * type of every operation: a user's mistake is a value, never an exception.
 */
import * as rt from "../../../runtime/abi.js";

export const Errno = {
  ENOENT: rt.ENOENT,
  EIO: rt.EIO,
  EBADF: rt.EBADF,
  EACCES: rt.EACCES,
  EFAULT: rt.EFAULT,
  EBUSY: rt.EBUSY,
  EEXIST: rt.EEXIST,
  ENOTDIR: rt.ENOTDIR,
  EISDIR: rt.EISDIR,
  EINVAL: rt.EINVAL,
  EMFILE: rt.EMFILE,
  EFBIG: rt.EFBIG,
  ENOSPC: rt.ENOSPC,
  ENAMETOOLONG: rt.ENAMETOOLONG,
  ENOSYS: rt.ENOSYS,
  ENOTEMPTY: rt.ENOTEMPTY,
  /** Only the client library gives it: a reply that breaks the protocol. */
  EPROTO: rt.EPROTO,
} as const;

export type Errno = (typeof Errno)[keyof typeof Errno];

/** `ENOENT` for 2; `errno 99` for a number the ABI does not name. */
export const errnoName = rt.errnoName;

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errno: Errno };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(errno: Errno): Result<T> {
  return { ok: false, errno };
}
