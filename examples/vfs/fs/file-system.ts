/**
 * The file system: a tree of directories and files whose contents live in a
 * page cache, and the operations on names (POSIX semantics, errnos as
 * values). Pure and deterministic: no I/O, no clock, no randomness; the
 * server and the tests drive it the same way. Open files are `open-files.ts`.
 *
 * A file stays alive while it has a name or an open handle: unlinking an
 * open file removes the name, and its pages go when the last handle closes.
 */
import { Errno, type Result, fail, ok } from "./errno.js";
import { PAGE_SIZE, PageCache, PagePool, type PageStore, type PieceSink, type PieceSource } from "./page-cache.js";
import { isDotName, parsePath } from "./path.js";

/** The largest offset a write may reach: beyond it EFBIG. */
export const MAX_FILE_SIZE = 2 ** 40;

export type FileType = "file" | "directory";

export interface FileNode {
  readonly kind: "file";
  readonly id: number;
  readonly data: PageCache;
  /** Open handles on it, from every client. */
  opens: number;
  /** Whether a directory entry names it. */
  linked: boolean;
}

export interface DirNode {
  readonly kind: "directory";
  readonly id: number;
  readonly entries: Map<string, Node>;
  /** Null for the root, whose ".." is itself. */
  parent: DirNode | null;
  opens: number;
}

export type Node = FileNode | DirNode;

export interface Stat {
  readonly type: FileType;
  readonly size: number;
  /** Pages of the page cache the file holds. */
  readonly pages: number;
  readonly opens: number;
  /** Stays the same through renames: tells files apart. */
  readonly id: number;
}

export interface DirEntry {
  readonly name: string;
  readonly type: FileType;
  readonly size: number;
}

export interface RamDiskFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface FileSystemOptions {
  /** Bytes of file data the page cache may hold, in whole pages. */
  readonly capacity: number;
  /** Where file pages live (JavaScript arrays when absent). */
  readonly store?: PageStore;
}

interface Place {
  readonly dir: DirNode;
  readonly name: string;
  readonly trailingSlash: boolean;
}

export class FileSystem {
  readonly pool: PagePool;
  readonly root: DirNode;
  #nextId = 1;

  constructor(options: FileSystemOptions) {
    this.pool = new PagePool(Math.floor(options.capacity / PAGE_SIZE), options.store);
    this.root = { kind: "directory", id: this.#nextId++, entries: new Map(), parent: null, opens: 0 };
  }

  /** A file system holding the RAM disk's files, with their directories made as needed. */
  static fromRamDisk(options: FileSystemOptions, files: readonly RamDiskFile[]): Result<FileSystem> {
    const fs = new FileSystem(options);
    for (const file of files) {
      const parsed = parsePath(file.path);
      if (!parsed.ok) return parsed;
      let dir = fs.root;
      for (const name of parsed.value.components.slice(0, -1)) {
        const next = dir.entries.get(name) ?? fs.#makeDir(dir, name);
        if (next.kind !== "directory") return fail(Errno.ENOTDIR);
        dir = next;
      }
      const made = fs.#makeFile(dir, parsed.value.components.at(-1) ?? "");
      if (!made.ok) return made;
      if (!made.value.data.write(0, file.bytes)) return fail(Errno.ENOSPC);
    }
    return ok(fs);
  }

  lookup(path: string): Result<Node> {
    const parsed = parsePath(path);
    if (!parsed.ok) return parsed;
    let node: Node = this.root;
    for (const name of parsed.value.components) {
      if (node.kind !== "directory") return fail(Errno.ENOTDIR);
      const next: Node | undefined = name === "." ? node : name === ".." ? (node.parent ?? node) : node.entries.get(name);
      if (!next) return fail(Errno.ENOENT);
      node = next;
    }
    if (parsed.value.trailingSlash && node.kind !== "directory") return fail(Errno.ENOTDIR);
    return ok(node);
  }

  stat(path: string): Result<Stat> {
    const node = this.lookup(path);
    return node.ok ? ok(statOf(node.value)) : node;
  }

  mkdir(path: string): Result<void> {
    const place = this.#place(path, Errno.EEXIST);
    if (!place.ok) return place;
    const { dir, name } = place.value;
    if (dir.entries.has(name)) return fail(Errno.EEXIST);
    this.#makeDir(dir, name);
    return ok(undefined);
  }

  unlink(path: string): Result<void> {
    const place = this.#place(path, Errno.EISDIR);
    if (!place.ok) return place;
    const { dir, name, trailingSlash } = place.value;
    const node = dir.entries.get(name);
    if (!node) return fail(Errno.ENOENT);
    if (node.kind === "directory") return fail(Errno.EISDIR);
    if (trailingSlash) return fail(Errno.ENOTDIR);
    this.#removeEntry(dir, name);
    return ok(undefined);
  }

  rmdir(path: string): Result<void> {
    const place = this.#place(path, Errno.EBUSY);
    if (!place.ok) return place;
    const { dir, name } = place.value;
    const node = dir.entries.get(name);
    if (!node) return fail(Errno.ENOENT);
    if (node.kind !== "directory") return fail(Errno.ENOTDIR);
    if (node.entries.size > 0) return fail(Errno.ENOTEMPTY);
    dir.entries.delete(name);
    return ok(undefined);
  }

  /**
   * POSIX rename: replaces the target if it is a file (for a file) or an
   * empty directory (for a directory); EINVAL when a directory would move
   * into its own subtree; renaming an entry onto itself does nothing.
   */
  rename(from: string, to: string): Result<void> {
    const src = this.#place(from, Errno.EBUSY);
    if (!src.ok) return src;
    const dst = this.#place(to, Errno.EBUSY);
    if (!dst.ok) return dst;
    const node = src.value.dir.entries.get(src.value.name);
    if (!node) return fail(Errno.ENOENT);
    if (node.kind === "file" && (src.value.trailingSlash || dst.value.trailingSlash)) return fail(Errno.ENOTDIR);
    if (node.kind === "directory" && isWithin(dst.value.dir, node)) return fail(Errno.EINVAL);
    const target = dst.value.dir.entries.get(dst.value.name);
    if (target === node) return ok(undefined);
    if (target) {
      if (node.kind === "directory" && target.kind === "file") return fail(Errno.ENOTDIR);
      if (node.kind === "file" && target.kind === "directory") return fail(Errno.EISDIR);
      if (target.kind === "directory" && target.entries.size > 0) return fail(Errno.ENOTEMPTY);
      this.#removeEntry(dst.value.dir, dst.value.name);
    }
    src.value.dir.entries.delete(src.value.name);
    dst.value.dir.entries.set(dst.value.name, node);
    if (node.kind === "directory") node.parent = dst.value.dir;
    return ok(undefined);
  }

  truncate(path: string, size: number): Result<void> {
    const node = this.lookup(path);
    if (!node.ok) return node;
    return this.resize(node.value, size);
  }

  /** Up to `max` entries in name order from `cursor` on; `next` is 0 after the last. */
  readdir(path: string, cursor: number, max: number): Result<{ entries: DirEntry[]; next: number }> {
    const node = this.lookup(path);
    if (!node.ok) return node;
    if (node.value.kind !== "directory") return fail(Errno.ENOTDIR);
    const names = [...node.value.entries.keys()].sort(compareNames);
    const page = names.slice(cursor, cursor + max);
    const entries = page.map((name) => {
      const s = statOf(node.value.kind === "directory" ? node.value.entries.get(name)! : node.value);
      return { name, type: s.type, size: s.size };
    });
    const next = cursor + page.length < names.length ? cursor + page.length : 0;
    return ok({ entries, next });
  }

  /**
   * The node an open of `path` names, creating a file when asked
   * (`create`; `exclusive` makes an existing one EEXIST).
   */
  openNode(path: string, create: boolean, exclusive: boolean): Result<Node> {
    const parsed = parsePath(path);
    if (!parsed.ok) return parsed;
    const last = parsed.value.components.at(-1);
    if (last === undefined || isDotName(last) || !create) {
      const node = this.lookup(path);
      if (node.ok && create && exclusive) return fail(Errno.EEXIST);
      return node;
    }
    const place = this.#place(path, Errno.EEXIST);
    if (!place.ok) return place;
    const { dir, name, trailingSlash } = place.value;
    const existing = dir.entries.get(name);
    if (existing) {
      if (exclusive) return fail(Errno.EEXIST);
      if (trailingSlash && existing.kind !== "directory") return fail(Errno.ENOTDIR);
      return ok(existing);
    }
    if (trailingSlash) return fail(Errno.EISDIR);
    return this.#makeFile(dir, name);
  }

  read(node: FileNode, offset: number, dest: Uint8Array): number {
    return node.data.read(offset, dest);
  }

  readPieces(node: FileNode, offset: number, length: number, sink: PieceSink): number {
    return node.data.readPieces(offset, length, sink);
  }

  /** Writes all of `src` or nothing: ENOSPC, EFBIG. */
  write(node: FileNode, offset: number, src: Uint8Array): Result<number> {
    if (offset + src.length > MAX_FILE_SIZE) return fail(Errno.EFBIG);
    return node.data.write(offset, src) ? ok(src.length) : fail(Errno.ENOSPC);
  }

  writePieces(node: FileNode, offset: number, length: number, source: PieceSource): Result<number> {
    if (offset + length > MAX_FILE_SIZE) return fail(Errno.EFBIG);
    return node.data.writePieces(offset, length, source) ? ok(length) : fail(Errno.ENOSPC);
  }

  resize(node: Node, size: number): Result<void> {
    if (node.kind === "directory") return fail(Errno.EISDIR);
    if (!Number.isSafeInteger(size) || size < 0) return fail(Errno.EINVAL);
    if (size > MAX_FILE_SIZE) return fail(Errno.EFBIG);
    node.data.resize(size);
    return ok(undefined);
  }

  /** An open handle on `node` went away. */
  release(node: Node): void {
    node.opens--;
    if (node.kind === "file" && !node.linked && node.opens === 0) node.data.release();
  }

  /**
   * Where a name would be made or removed: its parent directory and the last
   * component. `rootErrno` is what the operation gives for "/" itself; "."
   * and ".." as the last component are EINVAL.
   */
  #place(path: string, rootErrno: Errno): Result<Place> {
    const parsed = parsePath(path);
    if (!parsed.ok) return parsed;
    const { components, trailingSlash } = parsed.value;
    const name = components.at(-1);
    if (name === undefined) return fail(rootErrno);
    if (isDotName(name)) return fail(Errno.EINVAL);
    const parent = this.lookup(`/${components.slice(0, -1).join("/")}`);
    if (!parent.ok) return parent;
    if (parent.value.kind !== "directory") return fail(Errno.ENOTDIR);
    return ok({ dir: parent.value, name, trailingSlash });
  }

  #makeDir(parent: DirNode, name: string): DirNode {
    const dir: DirNode = { kind: "directory", id: this.#nextId++, entries: new Map(), parent, opens: 0 };
    parent.entries.set(name, dir);
    return dir;
  }

  #makeFile(parent: DirNode, name: string): Result<FileNode> {
    if (name === "" || isDotName(name)) return fail(Errno.EINVAL);
    const existing = parent.entries.get(name);
    if (existing) return fail(existing.kind === "directory" ? Errno.EISDIR : Errno.EEXIST);
    const file: FileNode = { kind: "file", id: this.#nextId++, data: new PageCache(this.pool), opens: 0, linked: true };
    parent.entries.set(name, file);
    return ok(file);
  }

  #removeEntry(dir: DirNode, name: string): void {
    const node = dir.entries.get(name);
    dir.entries.delete(name);
    if (node?.kind !== "file") return;
    node.linked = false;
    if (node.opens === 0) node.data.release();
  }
}

export function statOf(node: Node): Stat {
  return node.kind === "file"
    ? { type: "file", size: node.data.size, pages: node.data.pageCount, opens: node.opens, id: node.id }
    : { type: "directory", size: node.entries.size, pages: 0, opens: node.opens, id: node.id };
}

/** Whether `dir` is `ancestor` or lies below it. */
function isWithin(dir: DirNode, ancestor: DirNode): boolean {
  for (let d: DirNode | null = dir; d !== null; d = d.parent) if (d === ancestor) return true;
  return false;
}

/** Byte order of the names' UTF-16, which is stable and locale-free. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
