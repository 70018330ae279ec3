import { describe, expect, it } from "vitest";
import { Errno, FileSystem, OpenFiles, OpenFlags, PAGE_SIZE, type Result, Whence } from "../../../examples/vfs/fs/index.js";

const { READ, WRITE, CREATE, EXCL, TRUNC, APPEND } = OpenFlags;
const text = (s: string) => new TextEncoder().encode(s);

function setup() {
  const made = FileSystem.fromRamDisk({ capacity: 32 * PAGE_SIZE }, [{ path: "/f", bytes: text("0123456789") }, { path: "/d/x", bytes: text("x") }]);
  if (!made.ok) throw new Error("RAM disk");
  return { fs: made.value, files: new OpenFiles(made.value, 4) };
}

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`errno ${r.errno}`);
  return r.value;
}

const errnoOf = (r: Result<unknown>) => (r.ok ? 0 : r.errno);

function readAll(files: OpenFiles, h: number, n: number): string {
  const out = new Uint8Array(n);
  return new TextDecoder().decode(out.subarray(0, value(files.pread(h, 0, out))));
}

describe("open files", () => {
  it("open gives the lowest free handle; close frees it; a closed or unknown handle is EBADF", () => {
    const { files } = setup();
    expect(value(files.open("/f", READ))).toBe(1);
    expect(value(files.open("/f", READ))).toBe(2);
    expect(files.close(1).ok).toBe(true);
    expect(value(files.open("/f", READ))).toBe(1);
    expect(errnoOf(files.close(7))).toBe(Errno.EBADF);
    expect(files.close(2).ok).toBe(true);
    expect(errnoOf(files.close(2))).toBe(Errno.EBADF);
    expect(errnoOf(files.read(2, new Uint8Array(1)))).toBe(Errno.EBADF);
  });

  it.each([
    ["no access bits", "/f", CREATE, Errno.EINVAL],
    ["an unknown bit", "/f", READ | 0x40, Errno.EINVAL],
    ["EXCL without CREATE", "/f", READ | EXCL, Errno.EINVAL],
    ["a missing file", "/none", READ, Errno.ENOENT],
    ["CREATE|EXCL of an existing file", "/f", WRITE | CREATE | EXCL, Errno.EEXIST],
    ["CREATE|EXCL of the root", "/", READ | CREATE | EXCL, Errno.EEXIST],
    ["a directory for writing", "/d", WRITE, Errno.EISDIR],
    ["CREATE with a trailing slash", "/new/", WRITE | CREATE, Errno.EISDIR],
    ["a file with a trailing slash", "/f/", READ, Errno.ENOTDIR],
    ["CREATE below a file", "/f/x", WRITE | CREATE, Errno.ENOTDIR],
    ["CREATE in a missing directory", "/none/x", WRITE | CREATE, Errno.ENOENT],
    ["a name too long", `/${"n".repeat(256)}`, READ | CREATE, Errno.ENAMETOOLONG],
  ])("open refuses %s", (_what, path, flags, errno) => {
    const { files } = setup();
    expect(errnoOf(files.open(path, flags))).toBe(errno);
    expect(files.count).toBe(0);
  });

  it("gives EMFILE beyond the client's limit", () => {
    const { files } = setup();
    for (let i = 0; i < 4; i++) value(files.open("/f", READ));
    expect(errnoOf(files.open("/f", READ))).toBe(Errno.EMFILE);
  });

  it("read and write move the offset; pread and pwrite do not", () => {
    const { files } = setup();
    const h = value(files.open("/f", READ | WRITE));
    const buf = new Uint8Array(4);
    expect(value(files.read(h, buf))).toBe(4);
    expect(new TextDecoder().decode(buf)).toBe("0123");
    expect(value(files.write(h, text("ab")))).toBe(2);
    expect(value(files.pread(h, 8, buf))).toBe(2);
    expect(value(files.pwrite(h, 0, text("Z")))).toBe(1);
    expect(value(files.read(h, buf))).toBe(4);
    expect(new TextDecoder().decode(buf)).toBe("6789");
    expect(value(files.read(h, buf))).toBe(0);
    expect(readAll(files, h, 20)).toBe("Z123ab6789");
  });

  it("reads past the end give 0 bytes; a sparse gap reads as zeros", () => {
    const { files } = setup();
    const h = value(files.open("/f", READ | WRITE));
    expect(value(files.pread(h, 100, new Uint8Array(5)))).toBe(0);
    expect(value(files.pwrite(h, 2 * PAGE_SIZE + 5, text("end")))).toBe(3);
    const out = new Uint8Array(2 * PAGE_SIZE + 8).fill(9);
    expect(value(files.pread(h, 0, out))).toBe(2 * PAGE_SIZE + 8);
    expect(out.subarray(10, 2 * PAGE_SIZE + 5).every((b) => b === 0)).toBe(true);
    expect(value(files.fstat(h))).toMatchObject({ size: 2 * PAGE_SIZE + 8, pages: 2 });
  });

  it("enforces the open mode: EBADF for reading a write-only handle and the reverse; EISDIR for a directory", () => {
    const { files } = setup();
    const w = value(files.open("/f", WRITE));
    const r = value(files.open("/f", READ));
    const d = value(files.open("/d", READ));
    expect(errnoOf(files.read(w, new Uint8Array(1)))).toBe(Errno.EBADF);
    expect(errnoOf(files.write(r, text("x")))).toBe(Errno.EBADF);
    expect(errnoOf(files.pwrite(r, 0, text("x")))).toBe(Errno.EBADF);
    expect(errnoOf(files.ftruncate(r, 0))).toBe(Errno.EBADF);
    expect(errnoOf(files.read(d, new Uint8Array(1)))).toBe(Errno.EISDIR);
    expect(value(files.fstat(d)).type).toBe("directory");
  });

  it("TRUNC empties, APPEND always writes at the end, CREATE makes an empty file", () => {
    const { files } = setup();
    const a = value(files.open("/f", WRITE | APPEND));
    expect(value(files.pwrite(a, 0, text("!")))).toBe(1);
    expect(value(files.write(a, text("?")))).toBe(1);
    const r = value(files.open("/f", READ));
    expect(readAll(files, r, 20)).toBe("0123456789!?");
    value(files.open("/f", WRITE | TRUNC));
    expect(readAll(files, r, 20)).toBe("");
    const n = value(files.open("/d/new", READ | WRITE | CREATE | EXCL));
    expect(value(files.fstat(n))).toMatchObject({ type: "file", size: 0, opens: 1 });
  });

  it("seek sets, moves and finds the end; a negative result is EINVAL", () => {
    const { files } = setup();
    const h = value(files.open("/f", READ));
    expect(value(files.seek(h, 3, Whence.SET))).toBe(3);
    expect(value(files.seek(h, 2, Whence.CUR))).toBe(5);
    expect(value(files.seek(h, -1, Whence.END))).toBe(9);
    expect(errnoOf(files.seek(h, -10, Whence.CUR))).toBe(Errno.EINVAL);
    expect(errnoOf(files.seek(h, 0, 3))).toBe(Errno.EINVAL);
    expect(errnoOf(files.pread(h, -1, new Uint8Array(1)))).toBe(Errno.EINVAL);
  });

  it("keeps an unlinked file's contents until its last handle closes, then frees its pages", () => {
    const { fs, files } = setup();
    const h = value(files.open("/f", READ | WRITE));
    value(files.pwrite(h, 0, new Uint8Array(3 * PAGE_SIZE)));
    expect(fs.pool.used).toBe(4);
    expect(fs.unlink("/f").ok).toBe(true);
    expect(readAll(files, h, 3)).toBe("\0\0\0");
    expect(fs.pool.used).toBe(4);
    files.closeAll();
    expect(fs.pool.used).toBe(1);
    expect(files.count).toBe(0);
  });

  it("counts the opens of every client on the node, and closeAll drops them", () => {
    const { fs } = setup();
    const a = new OpenFiles(fs);
    const b = new OpenFiles(fs);
    value(a.open("/f", READ));
    value(a.open("/f", READ));
    value(b.open("/f", READ));
    expect(value(fs.stat("/f")).opens).toBe(3);
    a.closeAll();
    expect(value(fs.stat("/f")).opens).toBe(1);
    expect(errnoOf(b.close(2))).toBe(Errno.EBADF);
  });
});
