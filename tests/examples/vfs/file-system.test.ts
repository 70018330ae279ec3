import { describe, expect, it } from "vitest";
import { Errno, FileSystem, type Result, PAGE_SIZE } from "../../../examples/vfs/fs/index.js";

const text = (s: string) => new TextEncoder().encode(s);

function fresh(capacity = 64 * PAGE_SIZE): FileSystem {
  const made = FileSystem.fromRamDisk({ capacity }, [
    { path: "/etc/motd", bytes: text("hello\n") },
    { path: "/etc/conf/a", bytes: text("a") },
    { path: "/top", bytes: text("top") },
  ]);
  if (!made.ok) throw new Error(`errno ${made.errno}`);
  return made.value;
}

function errnoOf(r: Result<unknown>): number {
  return r.ok ? 0 : r.errno;
}

function contents(fs: FileSystem, path: string): string {
  const node = fs.lookup(path);
  if (!node.ok || node.value.kind !== "file") throw new Error(`${path} is not a file`);
  const out = new Uint8Array(node.value.data.size);
  fs.read(node.value, 0, out);
  return new TextDecoder().decode(out);
}

describe("file system: RAM disk and lookup", () => {
  it("holds the RAM disk's files, with their directories made", () => {
    const fs = fresh();
    expect(contents(fs, "/etc/motd")).toBe("hello\n");
    expect(fs.stat("/etc").ok && fs.stat("/etc")).toMatchObject({ value: { type: "directory", size: 2 } });
    expect(fs.stat("/etc/motd")).toMatchObject({ ok: true, value: { type: "file", size: 6, pages: 1 } });
  });

  it("refuses a RAM disk that does not fit or names a file twice", () => {
    expect(errnoOf(FileSystem.fromRamDisk({ capacity: PAGE_SIZE }, [{ path: "/big", bytes: new Uint8Array(PAGE_SIZE + 1) }]))).toBe(Errno.ENOSPC);
    expect(errnoOf(FileSystem.fromRamDisk({ capacity: PAGE_SIZE }, [{ path: "/a", bytes: text("") }, { path: "/a", bytes: text("") }]))).toBe(Errno.EEXIST);
    expect(errnoOf(FileSystem.fromRamDisk({ capacity: PAGE_SIZE }, [{ path: "/a", bytes: text("") }, { path: "/a/b", bytes: text("") }]))).toBe(Errno.ENOTDIR);
    expect(errnoOf(FileSystem.fromRamDisk({ capacity: PAGE_SIZE }, [{ path: "relative", bytes: text("") }]))).toBe(Errno.EINVAL);
  });

  it.each([
    ["", Errno.ENOENT],
    ["etc/motd", Errno.EINVAL],
    ["/etc/mo\0td", Errno.EINVAL],
    ["/nope", Errno.ENOENT],
    ["/nope/x", Errno.ENOENT],
    ["/top/x", Errno.ENOTDIR],
    ["/top/", Errno.ENOTDIR],
    [`/${"n".repeat(256)}`, Errno.ENAMETOOLONG],
    [`/${"d/".repeat(600)}`, Errno.ENAMETOOLONG],
  ])("lookup of %j is errno %i", (path, errno) => {
    expect(errnoOf(fresh().lookup(path))).toBe(errno);
  });

  it("resolves '.', '..' and repeated slashes; '..' of the root is the root", () => {
    const fs = fresh();
    const motd = fs.stat("/etc/motd");
    expect(fs.stat("//etc/./conf/../motd")).toEqual(motd);
    expect(fs.stat("/../../etc/motd")).toEqual(motd);
    expect(fs.stat("/etc/")).toEqual(fs.stat("/etc"));
    expect(`/${"n".repeat(255)}`.length).toBe(256);
    expect(errnoOf(fs.lookup(`/${"n".repeat(255)}`))).toBe(Errno.ENOENT);
  });
});

describe("file system: names", () => {
  it("mkdir makes an empty directory; EEXIST, ENOENT, ENOTDIR, EINVAL", () => {
    const fs = fresh();
    expect(fs.mkdir("/d").ok).toBe(true);
    expect(fs.stat("/d")).toMatchObject({ value: { type: "directory", size: 0 } });
    expect(errnoOf(fs.mkdir("/d"))).toBe(Errno.EEXIST);
    expect(errnoOf(fs.mkdir("/top"))).toBe(Errno.EEXIST);
    expect(errnoOf(fs.mkdir("/"))).toBe(Errno.EEXIST);
    expect(errnoOf(fs.mkdir("/x/y"))).toBe(Errno.ENOENT);
    expect(errnoOf(fs.mkdir("/top/y"))).toBe(Errno.ENOTDIR);
    expect(errnoOf(fs.mkdir("/d/."))).toBe(Errno.EINVAL);
    expect(fs.mkdir("/d/e/").ok).toBe(true);
  });

  it("unlink removes a file's name; EISDIR for a directory, ENOENT, ENOTDIR", () => {
    const fs = fresh();
    expect(fs.unlink("/etc/motd").ok).toBe(true);
    expect(errnoOf(fs.lookup("/etc/motd"))).toBe(Errno.ENOENT);
    expect(errnoOf(fs.unlink("/etc/motd"))).toBe(Errno.ENOENT);
    expect(errnoOf(fs.unlink("/etc"))).toBe(Errno.EISDIR);
    expect(errnoOf(fs.unlink("/"))).toBe(Errno.EISDIR);
    expect(errnoOf(fs.unlink("/top/x"))).toBe(Errno.ENOTDIR);
    expect(errnoOf(fs.unlink("/top/"))).toBe(Errno.ENOTDIR);
    expect(fs.pool.used).toBe(2);
  });

  it("rmdir removes an empty directory only; ENOTEMPTY, ENOTDIR, EBUSY for the root", () => {
    const fs = fresh();
    expect(errnoOf(fs.rmdir("/etc"))).toBe(Errno.ENOTEMPTY);
    expect(errnoOf(fs.rmdir("/top"))).toBe(Errno.ENOTDIR);
    expect(errnoOf(fs.rmdir("/"))).toBe(Errno.EBUSY);
    expect(errnoOf(fs.rmdir("/none"))).toBe(Errno.ENOENT);
    expect(errnoOf(fs.rmdir("/etc/conf/.."))).toBe(Errno.EINVAL);
    expect(fs.unlink("/etc/conf/a").ok).toBe(true);
    expect(fs.rmdir("/etc/conf").ok).toBe(true);
    expect(errnoOf(fs.lookup("/etc/conf"))).toBe(Errno.ENOENT);
  });

  it("readdir lists in name order, in pages, with a cursor that ends at 0", () => {
    const fs = fresh();
    for (const n of ["b", "a", "c"]) expect(fs.mkdir(`/etc/conf/${n}d`).ok).toBe(true);
    const first = fs.readdir("/etc/conf", 0, 2);
    expect(first).toEqual({ ok: true, value: { entries: [{ name: "a", type: "file", size: 1 }, { name: "ad", type: "directory", size: 0 }], next: 2 } });
    const second = fs.readdir("/etc/conf", 2, 2);
    expect(second.ok && second.value.entries.map((e) => e.name)).toEqual(["bd", "cd"]);
    expect(second.ok && second.value.next).toBe(0);
    expect(fs.readdir("/etc/conf", 9, 2)).toEqual({ ok: true, value: { entries: [], next: 0 } });
    expect(errnoOf(fs.readdir("/top", 0, 2))).toBe(Errno.ENOTDIR);
    expect(errnoOf(fs.readdir("/none", 0, 2))).toBe(Errno.ENOENT);
  });
});

describe("file system: rename (POSIX rules)", () => {
  it("moves a file, replacing a file of the target name", () => {
    const fs = fresh();
    const id = fs.stat("/top").ok && (fs.stat("/top") as { value: { id: number } }).value.id;
    expect(fs.rename("/top", "/etc/motd").ok).toBe(true);
    expect(contents(fs, "/etc/motd")).toBe("top");
    expect(fs.stat("/etc/motd")).toMatchObject({ value: { id } });
    expect(errnoOf(fs.lookup("/top"))).toBe(Errno.ENOENT);
    expect(fs.pool.used).toBe(2);
  });

  it("moves a directory with its subtree, over an empty directory", () => {
    const fs = fresh();
    expect(fs.mkdir("/empty").ok).toBe(true);
    expect(fs.rename("/etc", "/empty").ok).toBe(true);
    expect(contents(fs, "/empty/conf/a")).toBe("a");
    expect(fs.stat("/empty/conf/../motd").ok).toBe(true);
  });

  it.each([
    ["/etc", "/etc/conf/x", Errno.EINVAL],
    ["/etc", "/etc/x", Errno.EINVAL],
    ["/etc", "/top", Errno.ENOTDIR],
    ["/top", "/etc", Errno.EISDIR],
    ["/none", "/x", Errno.ENOENT],
    ["/top", "/none/x", Errno.ENOENT],
    ["/top", "/top/x", Errno.ENOTDIR],
    ["/", "/x", Errno.EBUSY],
    ["/etc/conf", "/", Errno.EBUSY],
    ["/top", "/x/", Errno.ENOTDIR],
    ["/etc/.", "/x", Errno.EINVAL],
    [`/top`, `/${"n".repeat(256)}`, Errno.ENAMETOOLONG],
  ])("rename %j to %j is errno %i and changes nothing", (from, to, errno) => {
    const fs = fresh();
    expect(errnoOf(fs.rename(from, to))).toBe(errno);
    expect(contents(fs, "/top")).toBe("top");
    expect(contents(fs, "/etc/conf/a")).toBe("a");
  });

  it("refuses to replace a non-empty directory: ENOTEMPTY", () => {
    const fs = fresh();
    expect(fs.mkdir("/d").ok).toBe(true);
    expect(errnoOf(fs.rename("/d", "/etc"))).toBe(Errno.ENOTEMPTY);
  });

  it("renaming an entry onto itself succeeds and changes nothing", () => {
    const fs = fresh();
    expect(fs.rename("/etc", "/etc/conf/../../etc/").ok).toBe(true);
    expect(fs.rename("/top", "/top").ok).toBe(true);
    expect(contents(fs, "/top")).toBe("top");
  });
});

describe("file system: contents", () => {
  it("truncate shrinks (freeing pages) and grows with zeros", () => {
    const fs = fresh();
    const node = fs.lookup("/top");
    if (!node.ok || node.value.kind !== "file") throw new Error("no /top");
    expect(fs.write(node.value, 0, new Uint8Array(3 * PAGE_SIZE).fill(7))).toEqual({ ok: true, value: 3 * PAGE_SIZE });
    expect(fs.pool.used).toBe(5);
    expect(fs.truncate("/top", 10).ok).toBe(true);
    expect(fs.pool.used).toBe(3);
    expect(fs.truncate("/top", 2 * PAGE_SIZE).ok).toBe(true);
    const out = new Uint8Array(2 * PAGE_SIZE);
    expect(fs.read(node.value, 0, out)).toBe(2 * PAGE_SIZE);
    expect(out.subarray(0, 10).every((b) => b === 7)).toBe(true);
    expect(out.subarray(10).every((b) => b === 0)).toBe(true);
    expect(errnoOf(fs.truncate("/etc", 0))).toBe(Errno.EISDIR);
    expect(errnoOf(fs.truncate("/top", -1))).toBe(Errno.EINVAL);
    expect(errnoOf(fs.truncate("/top", 2 ** 41))).toBe(Errno.EFBIG);
    expect(errnoOf(fs.truncate("/none", 0))).toBe(Errno.ENOENT);
  });

  it("writes all or nothing: ENOSPC leaves the file and the pool as they were", () => {
    const fs = fresh(4 * PAGE_SIZE);
    const node = fs.lookup("/top");
    if (!node.ok || node.value.kind !== "file") throw new Error("no /top");
    expect(errnoOf(fs.write(node.value, 0, new Uint8Array(2 * PAGE_SIZE + 1)))).toBe(Errno.ENOSPC);
    expect(contents(fs, "/top")).toBe("top");
    expect(fs.pool.used).toBe(3);
    expect(fs.write(node.value, 1, new Uint8Array(PAGE_SIZE - 1).fill(1)).ok).toBe(true);
    expect(fs.pool.used).toBe(3);
    expect(fs.write(node.value, 10 * PAGE_SIZE, text("x")).ok).toBe(true);
    expect(fs.stat("/top")).toMatchObject({ value: { size: 10 * PAGE_SIZE + 1, pages: 2 } });
  });
});
