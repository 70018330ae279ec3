/**
 * A reference model of the file system that knows nothing of trees or
 * pages: a Map of path -> contents and a Set of directory paths, with the
 * POSIX errnos written out from the standard's rules. `checkSequence` runs
 * operations on both and names the first difference. Used by
 * model.property.test.ts and, at length, by fuzz/vfs.fuzz.ts.
 */
import fc from "fast-check";
import { Errno, FileSystem, OpenFiles, OpenFlags, PAGE_SIZE, type Result } from "../../../examples/vfs/fs/index.js";

export type Op =
  | { kind: "write"; path: string; offset: number; length: number; byte: number }
  | { kind: "truncate"; path: string; size: number }
  | { kind: "mkdir"; path: string }
  | { kind: "unlink"; path: string }
  | { kind: "rmdir"; path: string }
  | { kind: "rename"; from: string; to: string };

export class Model {
  readonly files = new Map<string, Uint8Array>();
  readonly dirs = new Set<string>(["/"]);

  exists(p: string): boolean {
    return this.files.has(p) || this.dirs.has(p);
  }

  /** The errno of reaching `p`'s parent directory, 0 when it is one. */
  parentErrno(p: string): number {
    const parts = p.split("/").slice(1, -1);
    for (let i = 1; i <= parts.length; i++) {
      const prefix = `/${parts.slice(0, i).join("/")}`;
      if (this.files.has(prefix)) return Errno.ENOTDIR;
      if (!this.dirs.has(prefix)) return Errno.ENOENT;
    }
    return 0;
  }

  children(dir: string): string[] {
    const base = dir === "/" ? "/" : `${dir}/`;
    return [...this.files.keys(), ...this.dirs]
      .filter((p) => p !== "/" && p.startsWith(base) && !p.slice(base.length).includes("/"))
      .map((p) => p.slice(base.length))
      .sort();
  }

  apply(op: Op): number {
    switch (op.kind) {
      case "write": {
        const e = this.parentErrno(op.path);
        if (e !== 0) return e;
        if (this.dirs.has(op.path)) return Errno.EISDIR;
        const old = this.files.get(op.path) ?? new Uint8Array(0);
        const next = new Uint8Array(Math.max(old.length, op.offset + op.length));
        next.set(old);
        next.fill(op.byte, op.offset, op.offset + op.length);
        this.files.set(op.path, next);
        return 0;
      }
      case "truncate": {
        const e = this.parentErrno(op.path);
        if (e !== 0) return e;
        if (this.dirs.has(op.path)) return Errno.EISDIR;
        const old = this.files.get(op.path);
        if (!old) return Errno.ENOENT;
        const next = new Uint8Array(op.size);
        next.set(old.subarray(0, op.size));
        this.files.set(op.path, next);
        return 0;
      }
      case "mkdir": {
        const e = this.parentErrno(op.path);
        if (e !== 0) return e;
        if (this.exists(op.path)) return Errno.EEXIST;
        this.dirs.add(op.path);
        return 0;
      }
      case "unlink": {
        const e = this.parentErrno(op.path);
        if (e !== 0) return e;
        if (this.dirs.has(op.path)) return Errno.EISDIR;
        return this.files.delete(op.path) ? 0 : Errno.ENOENT;
      }
      case "rmdir": {
        const e = this.parentErrno(op.path);
        if (e !== 0) return e;
        if (this.files.has(op.path)) return Errno.ENOTDIR;
        if (!this.dirs.has(op.path)) return Errno.ENOENT;
        if (this.children(op.path).length > 0) return Errno.ENOTEMPTY;
        this.dirs.delete(op.path);
        return 0;
      }
      case "rename":
        return this.rename(op.from, op.to);
    }
  }

  rename(from: string, to: string): number {
    const e = this.parentErrno(from) || this.parentErrno(to);
    if (e !== 0) return e;
    if (!this.exists(from)) return Errno.ENOENT;
    const isDir = this.dirs.has(from);
    if (isDir && to.startsWith(`${from}/`)) return Errno.EINVAL;
    if (from === to) return 0;
    if (this.exists(to)) {
      if (isDir && this.files.has(to)) return Errno.ENOTDIR;
      if (!isDir && this.dirs.has(to)) return Errno.EISDIR;
      if (this.dirs.has(to) && this.children(to).length > 0) return Errno.ENOTEMPTY;
      this.files.delete(to);
      this.dirs.delete(to);
    }
    const moved = (p: string) => (p === from ? to : p.startsWith(`${from}/`) ? to + p.slice(from.length) : p);
    const files = [...this.files].map(([p, b]) => [moved(p), b] as const);
    const dirs = [...this.dirs].map(moved);
    this.files.clear();
    this.dirs.clear();
    for (const [p, b] of files) this.files.set(p, b);
    for (const d of dirs) this.dirs.add(d);
    return 0;
  }
}

export function applyToFs(fs: FileSystem, op: Op): number {
  const errnoOf = (r: Result<unknown>) => (r.ok ? 0 : r.errno);
  switch (op.kind) {
    case "write": {
      const files = new OpenFiles(fs);
      const h = files.open(op.path, OpenFlags.WRITE | OpenFlags.CREATE);
      if (!h.ok) return h.errno;
      const e = errnoOf(files.pwrite(h.value, op.offset, new Uint8Array(op.length).fill(op.byte)));
      files.closeAll();
      return e;
    }
    case "truncate":
      return errnoOf(fs.truncate(op.path, op.size));
    case "mkdir":
      return errnoOf(fs.mkdir(op.path));
    case "unlink":
      return errnoOf(fs.unlink(op.path));
    case "rmdir":
      return errnoOf(fs.rmdir(op.path));
    case "rename":
      return errnoOf(fs.rename(op.from, op.to));
  }
}

/** The first way the file system and the model differ after `ops`, or null. */
export function checkSequence(ops: readonly Op[], capacity = 1 << 22): string | null {
  const fs = new FileSystem({ capacity });
  const model = new Model();
  for (const [i, o] of ops.entries()) {
    const got = applyToFs(fs, o);
    const want = model.apply(o);
    if (got !== want) return `operation ${i} ${JSON.stringify(o)}: errno ${got}, the model says ${want}`;
  }
  for (const dir of model.dirs) {
    const listed = fs.readdir(dir, 0, 1000);
    const names = listed.ok ? listed.value.entries.map((e) => e.name).join(",") : `errno ${listed.errno}`;
    if (names !== model.children(dir).join(",")) return `${dir} lists ${names}, the model ${model.children(dir).join(",")}`;
  }
  let pages = 0;
  for (const [path, bytes] of model.files) {
    const node = fs.lookup(path);
    if (!node.ok || node.value.kind !== "file") return `${path} is missing`;
    const out = new Uint8Array(bytes.length + 1);
    if (fs.read(node.value, 0, out) !== bytes.length) return `${path} has size ${node.value.data.size}, the model ${bytes.length}`;
    if (!out.subarray(0, bytes.length).every((b, i) => b === bytes[i])) return `${path} differs from the model`;
    pages += node.value.data.pageCount;
  }
  // Every page in use belongs to a file that still exists.
  if (fs.pool.used !== pages) return `${fs.pool.used} pages in use, files hold ${pages}`;
  return null;
}

// Few names and shallow paths, so that operations meet each other's files often.
const path = fc
  .oneof({ arbitrary: fc.array(fc.constantFrom("a", "b"), { minLength: 1, maxLength: 2 }), weight: 4 }, fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 3 }))
  .map((parts) => `/${parts.join("/")}`);
export const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("write" as const),
    path,
    offset: fc.integer({ min: 0, max: 3 * PAGE_SIZE }),
    length: fc.integer({ min: 0, max: 2 * PAGE_SIZE }),
    byte: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), path, size: fc.integer({ min: 0, max: 3 * PAGE_SIZE }) }),
  fc.record({ kind: fc.constant("mkdir" as const), path }),
  fc.record({ kind: fc.constant("mkdir" as const), path }),
  fc.record({ kind: fc.constant("unlink" as const), path }),
  fc.record({ kind: fc.constant("rmdir" as const), path }),
  fc.record({ kind: fc.constant("rename" as const), from: path, to: path }),
  fc.record({ kind: fc.constant("rename" as const), from: path, to: path }),
);

