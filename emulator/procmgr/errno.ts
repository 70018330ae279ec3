/**
 * The errnos the process manager and the image loader give, with Linux's
 * values (docs/abi.md 1.8). Only the ones this part uses.
 */
import * as rt from "../../runtime/abi.js";

export const Errno = {
  EPERM: rt.EPERM,
  ENOENT: rt.ENOENT,
  ESRCH: rt.ESRCH,
  EIO: rt.EIO,
  E2BIG: rt.E2BIG,
  EBADF: rt.EBADF,
  EAGAIN: rt.EAGAIN,
  ENOMEM: rt.ENOMEM,
  EACCES: rt.EACCES,
  EEXIST: rt.EEXIST,
  EINVAL: rt.EINVAL,
  ENOSPC: rt.ENOSPC,
  ENAMETOOLONG: rt.ENAMETOOLONG,
  ENOSYS: rt.ENOSYS,
  EPROTO: rt.EPROTO,
} as const;

export type ErrnoName = keyof typeof Errno;
export type ErrnoValue = (typeof Errno)[ErrnoName];
