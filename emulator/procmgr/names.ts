/**
 * The process manager's hierarchical namespace: names like `/sys/vfs` or
 * `/user/echo/main`. Pure functions shared by the manifest validator and the
 * process manager, so that a manifest can only grant names a process could
 * actually register.
 *
 *   name      = "/" component ( "/" component )*
 *   component = 1*( ALPHA / DIGIT / "." / "_" / "-" ), not "." or ".."
 *
 * At most NAME_MAX bytes. "/" alone is not a name, but is a valid prefix
 * (the whole namespace).
 */
import { Errno } from "./errno.js";

export const NAME_MAX = 128;

const component = /^[A-Za-z0-9._-]+$/;

/** 0 for a valid name; EINVAL for a malformed one, ENAMETOOLONG for one too long. */
export function checkName(name: string): 0 | typeof Errno.EINVAL | typeof Errno.ENAMETOOLONG {
  if (name.length > NAME_MAX) return Errno.ENAMETOOLONG;
  if (!name.startsWith("/")) return Errno.EINVAL;
  const parts = name.slice(1).split("/");
  for (const part of parts) {
    if (!component.test(part) || part === "." || part === "..") return Errno.EINVAL;
  }
  return 0;
}

/** Whether `prefix` is "/" or a valid name; prefixes in a policy must be. */
export function isValidPrefix(prefix: string): boolean {
  return prefix === "/" || checkName(prefix) === 0;
}

/** Whether `name` is `prefix` itself or lies below it, component by component. */
export function isUnder(name: string, prefix: string): boolean {
  if (prefix === "/") return true;
  return name === prefix || name.startsWith(`${prefix}/`);
}

/** The direct children of `dir` ("/" for the root) among `names`, sorted. */
export function childrenOf(dir: string, names: Iterable<string>): string[] {
  const base = dir === "/" ? "/" : `${dir}/`;
  const found = new Set<string>();
  for (const name of names) {
    if (!name.startsWith(base) || name === dir) continue;
    const rest = name.slice(base.length);
    const slash = rest.indexOf("/");
    found.add(slash < 0 ? rest : `${rest.slice(0, slash)}/`);
  }
  return [...found].sort();
}
