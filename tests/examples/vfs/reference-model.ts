/**
 * A reference model of the file system that knows nothing of trees or
 * pages: a Map of path -> file (its bytes), a Set of directory paths and
 * three handle slots naming files, with the POSIX errnos written out from
 * the standard's rules. A handle names the file, not the path: it follows a
 * rename and outlives an unlink. `checkSequence` runs operations on the
 * model and on the file system and names the first difference. Used by
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
  | { kind: "rename"; from: string; to: string }
  | { kind: "open"; slot: number; path: string }
  | { kind: "close"; slot: number }
  | { kind: "hwrite"; slot: number; offset: number; length: number; byte: number; pieces: boolean }
  | { kind: "hread"; slot: number; offset: number; length: number; pieces: boolean };

/** What an operation gave: an errno (0: done), or the bytes a read returned. */
export type Outcome = number | Uint8Array;

interface ModelFile {
  bytes: Uint8Array;
}

export const SLOTS = 3;

export class Model {
  readonly files = new Map<string, ModelFile>();
  readonly dirs = new Set<string>(["/"]);
  readonly slots: (ModelFile | null)[] = Array.from({ length: SLOTS }, () => null);

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

  apply(op: Op): Outcome {
    switch (op.kind) {
      case "write": {
        const e = this.parentErrno(op.path);
        if (e !== 0) return e;
        if (this.dirs.has(op.path)) return Errno.EISDIR;
        const file = this.files.get(op.path) ?? { bytes: new Uint8Array(0) };
        this.files.set(op.path, file);
        writeAt(file, op.offset, op.length, op.byte);
        return 0;
      }
      case "open": {
        this.slots[op.slot] = null;
        const e = this.parentErrno(op.path);
        if (e !== 0) return e;
        if (this.dirs.has(op.path)) return Errno.EISDIR;
        const file = this.files.get(op.path);
        if (!file) return Errno.ENOENT;
        this.slots[op.slot] = file;
        return 0;
      }
      case "close":
        if (!this.slots[op.slot]) return Errno.EBADF;
        this.slots[op.slot] = null;
        return 0;
      case "hwrite": {
        const file = this.slots[op.slot];
        if (!file) return Errno.EBADF;
        writeAt(file, op.offset, op.length, op.byte);
        return 0;
      }
      case "hread": {
        const file = this.slots[op.slot];
        if (!file) return Errno.EBADF;
        return file.bytes.slice(op.offset, op.offset + op.length);
      }
      case "truncate": {
        const e = this.parentErrno(op.path);
        if (e !== 0) return e;
        if (this.dirs.has(op.path)) return Errno.EISDIR;
        const file = this.files.get(op.path);
        if (!file) return Errno.ENOENT;
        const next = new Uint8Array(op.size);
        next.set(file.bytes.subarray(0, op.size));
        file.bytes = next;
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

function writeAt(file: ModelFile, offset: number, length: number, byte: number): void {
  const next = new Uint8Array(Math.max(file.bytes.length, offset + length));
  next.set(file.bytes);
  next.fill(byte, offset, offset + length);
  file.bytes = next;
}

/** The file system driven by the same operations: one client's open files in the slots (0: none). */
export class Subject {
  readonly fs: FileSystem;
  readonly files: OpenFiles;
  readonly slots = new Array<number>(SLOTS).fill(0);

  constructor(capacity: number) {
    this.fs = new FileSystem({ capacity });
    this.files = new OpenFiles(this.fs);
  }

  apply(op: Op): Outcome {
    switch (op.kind) {
      case "open": {
        if (this.slots[op.slot] !== 0) this.files.close(this.slots[op.slot]!);
        const h = this.files.open(op.path, OpenFlags.READ | OpenFlags.WRITE);
        this.slots[op.slot] = h.ok ? h.value : 0;
        return h.ok ? 0 : h.errno;
      }
      case "close": {
        const e = errnoOf(this.files.close(this.slots[op.slot]!));
        this.slots[op.slot] = 0;
        return e;
      }
      // `pieces`: the server's bulk paths (page pieces, no intermediate buffer), which the model does not tell apart.
      case "hwrite": {
        const h = this.slots[op.slot]!;
        if (!op.pieces) return errnoOf(this.files.pwrite(h, op.offset, new Uint8Array(op.length).fill(op.byte)));
        return errnoOf(this.files.pwritePieces(h, op.offset, op.length, (piece) => piece.fill(op.byte)));
      }
      case "hread": {
        const out = new Uint8Array(op.length);
        const h = this.slots[op.slot]!;
        const n = op.pieces ? this.files.preadPieces(h, op.offset, op.length, (piece, at) => out.set(piece, at)) : this.files.pread(h, op.offset, out);
        return n.ok ? out.subarray(0, n.value) : n.errno;
      }
      default:
        return applyToFs(this.fs, op);
    }
  }
}

const errnoOf = (r: Result<unknown>) => (r.ok ? 0 : r.errno);

/** A name operation on the file system (a write opens, writes and closes). */
export function applyToFs(fs: FileSystem, op: Op): number {
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
    case "open":
    case "close":
    case "hwrite":
    case "hread":
      throw new Error(`${op.kind} needs a Subject`);
  }
}

function show(o: Outcome): string {
  return typeof o === "number" ? `errno ${o}` : `${o.length} bytes`;
}

function same(a: Outcome, b: Outcome): boolean {
  if (typeof a === "number" || typeof b === "number") return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The first way the file system and the model differ after `ops`, or null. */
export function checkSequence(ops: readonly Op[], capacity = 1 << 22): string | null {
  const subject = new Subject(capacity);
  const { fs } = subject;
  const model = new Model();
  for (const [i, o] of ops.entries()) {
    const got = subject.apply(o);
    const want = model.apply(o);
    if (!same(got, want)) return `operation ${i} ${JSON.stringify(o)}: ${show(got)}, the model says ${show(want)}`;
  }
  for (const dir of model.dirs) {
    const listed = fs.readdir(dir, 0, 1000);
    const names = listed.ok ? listed.value.entries.map((e) => e.name).join(",") : `errno ${listed.errno}`;
    if (names !== model.children(dir).join(",")) return `${dir} lists ${names}, the model ${model.children(dir).join(",")}`;
  }
  const pages = new Map<number, number>();
  for (const [path, { bytes }] of model.files) {
    const node = fs.lookup(path);
    if (!node.ok || node.value.kind !== "file") return `${path} is missing`;
    const out = new Uint8Array(bytes.length + 1);
    if (fs.read(node.value, 0, out) !== bytes.length) return `${path} has size ${node.value.data.size}, the model ${bytes.length}`;
    if (!out.subarray(0, bytes.length).every((b, i) => b === bytes[i])) return `${path} differs from the model`;
    pages.set(node.value.id, node.value.data.pageCount);
  }
  for (const [slot, h] of subject.slots.entries()) {
    const file = model.slots[slot];
    if ((h === 0) !== (file === null)) return `slot ${slot} is ${h === 0 ? "closed" : "open"}, not in the model`;
    if (file === null) continue;
    const all = subject.apply({ kind: "hread", slot, offset: 0, length: file.bytes.length + 1, pieces: false });
    if (!same(all, file.bytes)) return `slot ${slot} reads ${show(all)} unlike the model's ${file.bytes.length}`;
    const st = subject.files.fstat(h);
    if (st.ok) pages.set(st.value.id, st.value.pages);
  }
  // Every page in use belongs to a file that still has a name or a handle.
  const held = [...pages.values()].reduce((a, b) => a + b, 0);
  if (fs.pool.used !== held) return `${fs.pool.used} pages in use, files hold ${held}`;
  return null;
}

// Few names and shallow paths, so that operations meet each other's files often.
const path = fc
  .oneof({ arbitrary: fc.array(fc.constantFrom("a", "b"), { minLength: 1, maxLength: 2 }), weight: 4 }, fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 3 }))
  .map((parts) => `/${parts.join("/")}`);
const slot = fc.integer({ min: 0, max: SLOTS - 1 });
/** Weighted so that files are often opened, unlinked or renamed while open, then used and closed. */
export const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("write" as const),
      path,
      offset: fc.integer({ min: 0, max: 3 * PAGE_SIZE }),
      length: fc.integer({ min: 0, max: 2 * PAGE_SIZE }),
      byte: fc.integer({ min: 1, max: 255 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), path, size: fc.integer({ min: 0, max: 3 * PAGE_SIZE }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("mkdir" as const), path }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("unlink" as const), path }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("rmdir" as const), path }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("rename" as const), from: path, to: path }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("open" as const), slot, path }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("close" as const), slot }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("hwrite" as const),
      slot,
      offset: fc.integer({ min: 0, max: 3 * PAGE_SIZE }),
      length: fc.integer({ min: 0, max: PAGE_SIZE + 10 }),
      byte: fc.integer({ min: 1, max: 255 }),
      pieces: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("hread" as const),
      slot,
      offset: fc.integer({ min: 0, max: 4 * PAGE_SIZE }),
      length: fc.integer({ min: 0, max: 2 * PAGE_SIZE }),
      pieces: fc.boolean(),
    }),
  },
);

