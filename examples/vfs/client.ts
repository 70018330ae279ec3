/**
 * The client library: the calls a program expects of a file system. Reads
 * and writes take any length at any alignment of the caller's bytes.
 * `pread` and `pwrite` up to IO_MAX bytes go inline in the message; longer
 * ones by lease, LEASE_MAX bytes per call (`transfer` chooses otherwise).
 * `preadAt`/`pwriteAt` lend a range of this process's memory directly (one
 * copy), and `mapShared` with `preadShared`/`pwriteShared` move bytes through
 * a memory object both sides map (no copy across the boundary). A transfer
 * of several calls is atomic per call only (a failure part way throws, with
 * the earlier parts done). A failed call throws a
 * `VfsError` with the server's errno; a failure of the IPC itself (the server
 * gone: EIO from the kernel) stays a `DoorError`.
 *
 *   const vfs = await connect(sys);
 *   const fd = await vfs.open("/etc/motd", OpenFlags.READ);
 *   const n = await vfs.read(fd, bytes);
 *
 * One `Vfs` makes one call at a time (it owns a message buffer): give each
 * thread its own with `vfs.forThread(threadSys)`. All of them are the same
 * client to the server, so they share open files, as threads share
 * descriptors in POSIX.
 */
import * as rt from "doorkit/runtime";
import { FileType, IO_MAX, LEASE_MAX, OpenFlags, PATH_MAX, type Stat, VFS_BUFFER_SIZE, VfsClient, type Whence } from "../../gen/examples/vfs/vfs.js";
import { PROCMGR_BUFFER_SIZE, ProcmgrClient } from "../../gen/idl/procmgr.js";
import type { Sys } from "../../emulator/program/program.js";
import { Errno, errnoName } from "./fs/errno.js";

export { FileType, IO_MAX, LEASE_MAX, OpenFlags, Whence } from "../../gen/examples/vfs/vfs.js";
export type { Stat } from "../../gen/examples/vfs/vfs.js";

export class VfsError extends Error {
  constructor(
    readonly errno: number,
    readonly call: string,
  ) {
    super(`${call}: ${errnoName(errno)}`);
    this.name = "VfsError";
  }
}

export interface Entry {
  readonly name: string;
  readonly type: "file" | "directory";
  readonly size: number;
}

/**
 * How `pread`, `pwrite`, `readFile` and `writeFile` move bytes: "auto" inline
 * up to IO_MAX bytes and by lease beyond, or always one way.
 */
export type Transfer = "auto" | "inline" | "lease";

/** A memory object mapped here and in the server: `length` bytes at `address` of this process. */
export interface SharedRegion {
  readonly address: number;
  readonly length: number;
}

const MEM_SHARED = 1;
const PROT_READ_WRITE = 3;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A path longer than the message's bound is the server's ENAMETOOLONG, said before sending. */
function pathArg(path: string, call: string): string {
  if (encoder.encode(path).length > PATH_MAX) throw new VfsError(Errno.ENAMETOOLONG, call);
  return path;
}

function check<T extends { errno: number }>(result: T, call: string): T {
  if (result.errno !== 0) throw new VfsError(result.errno, call);
  return result;
}

/**
 * Looks the server up (waiting until it has registered) and attaches: tells
 * it this process's id so that its files close when it exits. A server not
 * allowed to watch this process answers EPERM; the files then stay open
 * until closed, and `attached` says so.
 */
export async function connect(sys: Sys, name = "/sys/vfs"): Promise<Vfs> {
  const buffer = await sys.messageBuffer(Math.max(VFS_BUFFER_SIZE, PROCMGR_BUFFER_SIZE));
  const procmgr = new ProcmgrClient(sys.trap, buffer);
  let object = 0;
  while (object === 0) {
    try {
      object = (await procmgr.lookup(name)).object;
    } catch (error) {
      if (!(error instanceof rt.DoorError && error.errno === rt.ENOENT)) throw error;
      await sys.kernel.threadYield();
    }
  }
  const vfs = new Vfs(sys, buffer, object);
  vfs.attached = (await vfs.client.attach(sys.pid)).errno === 0;
  return vfs;
}

/** A server that answers more bytes than asked for breaks the protocol: EPROTO, not a write past `dest`. */
function sized(data: Uint8Array, asked: number, call: string): Uint8Array {
  if (data.length > asked) throw new VfsError(Errno.EPROTO, call);
  return data;
}

/** The server writes all of a chunk or fails; any other count (0 would loop forever) is EPROTO. */
function counted(count: number, length: number, call: string): number {
  if (count !== length) throw new VfsError(Errno.EPROTO, call);
  return count;
}

/** A kernel call's -errno as the VfsError of `call`. */
function kernelResult(result: number, call: string): number {
  if (result < 0) throw new VfsError(-result, call);
  return result;
}

export class Vfs {
  readonly client: VfsClient;
  /** Whether the server will close this client's files when the process exits. */
  attached = false;
  transfer: Transfer = "auto";
  /** Where `pread`/`pwrite` by lease stage the caller's bytes: LEASE_MAX bytes, made on first use. */
  #stage = 0;

  constructor(
    readonly sys: Sys,
    buffer: rt.MessageBuffer,
    readonly object: number,
  ) {
    this.client = new VfsClient(sys.trap, buffer, object);
  }

  /** The same client, for another thread: its own buffer, the same reference. */
  async forThread(sys: Sys): Promise<Vfs> {
    const vfs = new Vfs(sys, await sys.messageBuffer(VFS_BUFFER_SIZE), this.object);
    vfs.attached = this.attached;
    vfs.transfer = this.transfer;
    return vfs;
  }

  async open(path: string, flags: OpenFlags): Promise<number> {
    return check(await this.client.open(pathArg(path, "open"), flags), "open").handle;
  }

  async close(fd: number): Promise<void> {
    check(await this.client.close(fd), "close");
  }

  /**
   * Reads into all of `dest` from the handle's offset, fewer bytes only at
   * the end of the file. Inline always: the lease calls name their offset.
   */
  async read(fd: number, dest: Uint8Array): Promise<number> {
    let done = 0;
    while (done < dest.length) {
      const want = Math.min(IO_MAX, dest.length - done);
      const { data } = check(await this.client.read(fd, want), "read");
      if (data.length === 0) break;
      dest.set(sized(data, want, "read"), done);
      done += data.length;
    }
    return done;
  }

  async write(fd: number, src: Uint8Array): Promise<number> {
    let done = 0;
    do {
      const chunk = src.subarray(done, done + IO_MAX);
      done += counted(check(await this.client.write(fd, chunk), "write").count, chunk.length, "write");
    } while (done < src.length);
    return done;
  }

  async pread(fd: number, dest: Uint8Array, offset: number): Promise<number> {
    if (this.#byLease(dest.length)) return this.#stageRead(fd, dest, offset);
    let done = 0;
    while (done < dest.length) {
      const want = Math.min(IO_MAX, dest.length - done);
      const { data } = check(await this.client.pread(fd, BigInt(offset + done), want), "pread");
      if (data.length === 0) break;
      dest.set(sized(data, want, "pread"), done);
      done += data.length;
    }
    return done;
  }

  async pwrite(fd: number, src: Uint8Array, offset: number): Promise<number> {
    if (this.#byLease(src.length)) return this.#stageWrite(fd, src, offset);
    let done = 0;
    do {
      const chunk = src.subarray(done, done + IO_MAX);
      done += counted(check(await this.client.pwrite(fd, BigInt(offset + done), chunk), "pwrite").count, chunk.length, "pwrite");
    } while (done < src.length);
    return done;
  }

  /**
   * Reads from `offset` into `range` of this process's memory, lent to the
   * server (one copy, into exactly those bytes); fewer only at the end of the file.
   */
  async preadAt(fd: number, range: rt.UserRange, offset: number): Promise<number> {
    let done = 0;
    while (done < range.length) {
      const want = Math.min(LEASE_MAX, range.length - done);
      const lent = { address: range.address + done, length: want };
      const { count } = check(await this.client.read_lease(fd, BigInt(offset + done), want, lent), "read_lease");
      if (count > want) throw new VfsError(Errno.EPROTO, "read_lease");
      done += count;
      if (count < want) break;
    }
    return done;
  }

  /** Writes `range` of this process's memory at `offset`, lent to the server (one copy). */
  async pwriteAt(fd: number, range: rt.UserRange, offset: number): Promise<number> {
    let done = 0;
    while (done < range.length) {
      const want = Math.min(LEASE_MAX, range.length - done);
      const lent = { address: range.address + done, length: want };
      done += counted(check(await this.client.write_lease(fd, BigInt(offset + done), want, lent), "write_lease").count, want, "write_lease");
    }
    return done;
  }

  /**
   * Creates a memory object of `length` bytes (at most LEASE_MAX), maps it
   * here and gives it to the server, which maps it too: the region for
   * `preadShared` and `pwriteShared`, for every thread of this client. It
   * replaces the client's previous one in the server; unmapping the old one
   * here is the caller's.
   */
  async mapShared(length: number): Promise<SharedRegion> {
    const k = this.sys.kernel;
    const memory = kernelResult(await k.memCreate(length, MEM_SHARED), "map_shared");
    try {
      const address = kernelResult(await k.memMap(memory, 0, 0, length, PROT_READ_WRITE), "map_shared");
      try {
        check(await this.client.map_shared(memory, length), "map_shared");
      } catch (error) {
        await k.memUnmap(address, length);
        throw error;
      }
      return { address, length };
    } finally {
      await k.descClose(memory);
    }
  }

  /** Copies at most `length` bytes of the file at `offset` into the shared region at `at`; fewer only at the end of the file. */
  async preadShared(fd: number, offset: number, at: number, length: number): Promise<number> {
    const { count } = check(await this.client.read_shared(fd, BigInt(offset), at, length), "read_shared");
    if (count > length) throw new VfsError(Errno.EPROTO, "read_shared");
    return count;
  }

  /** Copies `length` bytes of the shared region at `at` into the file at `offset`. */
  async pwriteShared(fd: number, offset: number, at: number, length: number): Promise<number> {
    return counted(check(await this.client.write_shared(fd, BigInt(offset), at, length), "write_shared").count, length, "write_shared");
  }

  #byLease(length: number): boolean {
    return this.transfer === "lease" || (this.transfer === "auto" && length > IO_MAX);
  }

  /** The staging area for leases of bytes outside this process's memory. */
  async #staged(): Promise<number> {
    if (this.#stage === 0) this.#stage = kernelResult(await this.sys.kernel.memAlloc(0, LEASE_MAX, PROT_READ_WRITE), "lease");
    return this.#stage;
  }

  async #stageRead(fd: number, dest: Uint8Array, offset: number): Promise<number> {
    const stage = await this.#staged();
    let done = 0;
    while (done < dest.length) {
      const want = Math.min(LEASE_MAX, dest.length - done);
      const n = await this.preadAt(fd, { address: stage, length: want }, offset + done);
      dest.set(this.sys.memory.readBytes(stage, n), done);
      done += n;
      if (n < want) break;
    }
    return done;
  }

  async #stageWrite(fd: number, src: Uint8Array, offset: number): Promise<number> {
    const stage = await this.#staged();
    let done = 0;
    do {
      const chunk = src.subarray(done, done + LEASE_MAX);
      this.sys.memory.writeBytes(stage, chunk);
      done += await this.pwriteAt(fd, { address: stage, length: chunk.length }, offset + done);
    } while (done < src.length);
    return done;
  }

  async seek(fd: number, offset: number, whence: Whence): Promise<number> {
    return Number(check(await this.client.seek(fd, BigInt(offset), whence), "seek").offset);
  }

  async stat(path: string): Promise<Stat> {
    return check(await this.client.stat(pathArg(path, "stat")), "stat").st;
  }

  async fstat(fd: number): Promise<Stat> {
    return check(await this.client.fstat(fd), "fstat").st;
  }

  /** Every entry of a directory, over as many calls as it takes. */
  async readdir(path: string): Promise<Entry[]> {
    const all: Entry[] = [];
    let cursor = 0;
    do {
      const { entries, next } = check(await this.client.readdir(pathArg(path, "readdir"), cursor), "readdir");
      for (const e of entries) {
        all.push({ name: decoder.decode(e.name.subarray(0, e.name_length)), type: e.type === FileType.FILE ? "file" : "directory", size: Number(e.size) });
      }
      cursor = next;
    } while (cursor !== 0);
    return all;
  }

  async mkdir(path: string): Promise<void> {
    check(await this.client.mkdir(pathArg(path, "mkdir")), "mkdir");
  }

  async unlink(path: string): Promise<void> {
    check(await this.client.unlink(pathArg(path, "unlink")), "unlink");
  }

  async rmdir(path: string): Promise<void> {
    check(await this.client.rmdir(pathArg(path, "rmdir")), "rmdir");
  }

  async rename(from: string, to: string): Promise<void> {
    check(await this.client.rename(pathArg(from, "rename"), pathArg(to, "rename")), "rename");
  }

  async truncate(path: string, size: number): Promise<void> {
    check(await this.client.truncate(pathArg(path, "truncate"), BigInt(size)), "truncate");
  }

  async ftruncate(fd: number, size: number): Promise<void> {
    check(await this.client.ftruncate(fd, BigInt(size)), "ftruncate");
  }

  /** A whole file's contents. */
  async readFile(path: string): Promise<Uint8Array> {
    const fd = await this.open(path, OpenFlags.READ);
    try {
      const bytes = new Uint8Array(Number((await this.fstat(fd)).size));
      return bytes.subarray(0, await this.pread(fd, bytes, 0));
    } finally {
      await this.close(fd);
    }
  }

  /** Creates or replaces a file's contents. */
  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    const fd = await this.open(path, OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.TRUNC);
    try {
      await this.pwrite(fd, bytes, 0);
    } finally {
      await this.close(fd);
    }
  }
}
