/**
 * One client's open files: handles (small numbers, lowest free first, as
 * POSIX gives descriptors) naming a node, an offset and the open flags. A
 * handle of another client, or one already closed, is EBADF. Each call runs
 * to completion before any other starts, so every read and write is atomic
 * with respect to all others.
 */
import { Errno, type Result, fail, ok } from "./errno.js";
import { type FileNode, type FileSystem, type Stat, statOf, type Node } from "./file-system.js";
import type { PieceSink, PieceSource, SpanSink } from "./page-cache.js";

/** The bits of `open`'s flags (vfs.idl's OpenFlags). */
export const OpenFlags = {
  READ: 0x1,
  WRITE: 0x2,
  CREATE: 0x4,
  EXCL: 0x8,
  TRUNC: 0x10,
  APPEND: 0x20,
} as const;

const ALL_FLAGS = 0x3f;

export const Whence = { SET: 0, CUR: 1, END: 2 } as const;

/** Open files one client may hold at once: beyond, EMFILE. */
export const MAX_OPEN_FILES = 64;

interface OpenFile {
  readonly node: Node;
  readonly flags: number;
  offset: number;
}

interface Access {
  readonly open: OpenFile;
  readonly node: FileNode;
}

export class OpenFiles {
  readonly #files = new Map<number, OpenFile>();

  constructor(
    readonly fs: FileSystem,
    readonly maxOpen = MAX_OPEN_FILES,
  ) {}

  get count(): number {
    return this.#files.size;
  }

  open(path: string, flags: number): Result<number> {
    if ((flags & ~ALL_FLAGS) !== 0 || (flags & (OpenFlags.READ | OpenFlags.WRITE)) === 0) return fail(Errno.EINVAL);
    if ((flags & OpenFlags.EXCL) !== 0 && (flags & OpenFlags.CREATE) === 0) return fail(Errno.EINVAL);
    if (this.#files.size >= this.maxOpen) return fail(Errno.EMFILE);
    const node = this.fs.openNode(path, (flags & OpenFlags.CREATE) !== 0, (flags & OpenFlags.EXCL) !== 0);
    if (!node.ok) return node;
    if (node.value.kind === "directory" && (flags & OpenFlags.WRITE) !== 0) return fail(Errno.EISDIR);
    if (node.value.kind === "file" && (flags & OpenFlags.TRUNC) !== 0 && (flags & OpenFlags.WRITE) !== 0) this.fs.resize(node.value, 0);
    let handle = 1;
    while (this.#files.has(handle)) handle++;
    node.value.opens++;
    this.#files.set(handle, { node: node.value, flags, offset: 0 });
    return ok(handle);
  }

  close(handle: number): Result<void> {
    const file = this.#files.get(handle);
    if (!file) return fail(Errno.EBADF);
    this.#files.delete(handle);
    this.fs.release(file.node);
    return ok(undefined);
  }

  /** Closes every handle: the client is gone. */
  closeAll(): void {
    for (const handle of [...this.#files.keys()]) this.close(handle);
  }

  /** Reads at the handle's offset and advances it. */
  read(handle: number, dest: Uint8Array): Result<number> {
    const file = this.#readable(handle);
    if (!file.ok) return file;
    const n = this.fs.read(file.value.node, file.value.open.offset, dest);
    file.value.open.offset += n;
    return ok(n);
  }

  pread(handle: number, offset: number, dest: Uint8Array): Result<number> {
    const file = this.#readable(handle);
    if (!file.ok) return file;
    if (!Number.isSafeInteger(offset) || offset < 0) return fail(Errno.EINVAL);
    return ok(this.fs.read(file.value.node, offset, dest));
  }

  /** pread without a destination: the bytes go to `sink` piece by piece, uncopied. */
  preadPieces(handle: number, offset: number, length: number, sink: PieceSink): Result<number> {
    const file = this.#readable(handle);
    if (!file.ok) return file;
    if (!Number.isSafeInteger(offset) || offset < 0) return fail(Errno.EINVAL);
    return ok(this.fs.readPieces(file.value.node, offset, length, sink));
  }

  /** preadPieces by spans of the file's pages (SpanSink). */
  preadSpans(handle: number, offset: number, length: number, sink: SpanSink): Result<number> {
    const file = this.#readable(handle);
    if (!file.ok) return file;
    if (!Number.isSafeInteger(offset) || offset < 0) return fail(Errno.EINVAL);
    return ok(file.value.node.data.readSpans(offset, length, sink));
  }

  /** Writes at the handle's offset (the end, with APPEND) and advances it. */
  write(handle: number, src: Uint8Array): Result<number> {
    const file = this.#writable(handle);
    if (!file.ok) return file;
    const { open, node } = file.value;
    const at = (open.flags & OpenFlags.APPEND) !== 0 ? node.data.size : open.offset;
    const n = this.fs.write(node, at, src);
    if (n.ok) open.offset = at + n.value;
    return n;
  }

  /** Writes at `offset`; with APPEND, POSIX (and Linux) still append. */
  pwrite(handle: number, offset: number, src: Uint8Array): Result<number> {
    const file = this.#writable(handle);
    if (!file.ok) return file;
    if (!Number.isSafeInteger(offset) || offset < 0) return fail(Errno.EINVAL);
    const { open, node } = file.value;
    return this.fs.write(node, (open.flags & OpenFlags.APPEND) !== 0 ? node.data.size : offset, src);
  }

  /** pwrite without a source buffer: `source` fills the file's pages piece by piece. */
  pwritePieces(handle: number, offset: number, length: number, source: PieceSource): Result<number> {
    const file = this.#writable(handle);
    if (!file.ok) return file;
    if (!Number.isSafeInteger(offset) || offset < 0) return fail(Errno.EINVAL);
    const { open, node } = file.value;
    return this.fs.writePieces(node, (open.flags & OpenFlags.APPEND) !== 0 ? node.data.size : offset, length, source);
  }

  /**
   * What pwritePieces would write to, when the write allocates and resizes
   * nothing: the file's own pages, handed to `sink` to fill in place (true);
   * false, having changed nothing, when the write would grow the file or
   * fill a hole.
   */
  overwriteSpans(handle: number, offset: number, length: number, sink: SpanSink): Result<boolean> {
    const file = this.#writable(handle);
    if (!file.ok) return file;
    if (!Number.isSafeInteger(offset) || offset < 0) return fail(Errno.EINVAL);
    const { open, node } = file.value;
    const at = (open.flags & OpenFlags.APPEND) !== 0 ? node.data.size : offset;
    return ok(node.data.overwriteSpans(at, length, sink));
  }

  seek(handle: number, offset: number, whence: number): Result<number> {
    const file = this.#files.get(handle);
    if (!file) return fail(Errno.EBADF);
    const base = whence === Whence.SET ? 0 : whence === Whence.CUR ? file.offset : whence === Whence.END ? statOf(file.node).size : NaN;
    const at = base + offset;
    if (!Number.isSafeInteger(at) || at < 0) return fail(Errno.EINVAL);
    file.offset = at;
    return ok(at);
  }

  fstat(handle: number): Result<Stat> {
    const file = this.#files.get(handle);
    return file ? ok(statOf(file.node)) : fail(Errno.EBADF);
  }

  ftruncate(handle: number, size: number): Result<void> {
    const file = this.#files.get(handle);
    if (!file || (file.flags & OpenFlags.WRITE) === 0) return fail(Errno.EBADF);
    return this.fs.resize(file.node, size);
  }

  #readable(handle: number): Result<Access> {
    return this.#access(handle, OpenFlags.READ);
  }

  #writable(handle: number): Result<Access> {
    return this.#access(handle, OpenFlags.WRITE);
  }

  /** A handle opened with `flag`, on a file: EBADF, EISDIR. */
  #access(handle: number, flag: number): Result<Access> {
    const open = this.#files.get(handle);
    if (!open || (open.flags & flag) === 0) return fail(Errno.EBADF);
    if (open.node.kind === "directory") return fail(Errno.EISDIR);
    return ok({ open, node: open.node });
  }
}
