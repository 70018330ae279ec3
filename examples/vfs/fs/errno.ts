/**
 * The errnos the file system gives (Linux values, docs/abi.md 1.8) and the result
 * type of every operation: a user's mistake is a value, never an exception.
 */
export const Errno = {
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EMFILE: 24,
  EFBIG: 27,
  ENOSPC: 28,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  /** Only the client library gives it: a reply that breaks the protocol. */
  EPROTO: 71,
} as const;

export type Errno = (typeof Errno)[keyof typeof Errno];

const NAMES = new Map<number, string>(Object.entries(Errno).map(([name, value]) => [value, name]));

/** `ENOENT` for 2; `errno 99` for a number the file system never gives. */
export function errnoName(errno: number): string {
  return NAMES.get(errno) ?? `errno ${errno}`;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errno: Errno };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(errno: Errno): Result<T> {
  return { ok: false, errno };
}
