/**
 * Path syntax (pure): an absolute path split into components. POSIX limits:
 * a component is at most NAME_MAX bytes of UTF-8 and the path at most
 * PATH_MAX bytes, else ENAMETOOLONG. "." and ".." stay components here; the
 * tree resolves them.
 *
 *   ""              ENOENT (POSIX: an empty path names nothing)
 *   "a/b"           EINVAL (the server has no working directory)
 *   "/a//b/"        ["a", "b"], trailingSlash
 *   "/a\0b"         EINVAL (a NUL cannot be in a name)
 */
import { Errno, type Result, fail, ok } from "./errno.js";

export const NAME_MAX = 255;
export const PATH_MAX = 1024;

export interface ParsedPath {
  readonly components: readonly string[];
  /** The path ends in "/": what it names must be a directory. */
  readonly trailingSlash: boolean;
}

const encoder = new TextEncoder();

export function parsePath(path: string): Result<ParsedPath> {
  if (path.length === 0) return fail(Errno.ENOENT);
  if (encoder.encode(path).length > PATH_MAX) return fail(Errno.ENAMETOOLONG);
  if (path[0] !== "/") return fail(Errno.EINVAL);
  if (path.includes("\0")) return fail(Errno.EINVAL);
  const components = path.split("/").filter((c) => c.length > 0);
  for (const c of components) if (encoder.encode(c).length > NAME_MAX) return fail(Errno.ENAMETOOLONG);
  return ok({ components, trailingSlash: components.length > 0 && path.endsWith("/") });
}

/** "." and "..": they name an existing entry and can never be created or removed. */
export function isDotName(name: string): boolean {
  return name === "." || name === "..";
}
