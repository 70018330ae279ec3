/**
 * The Vfs interface over the file system: decodes nothing (the generated
 * dispatcher did) and keeps one table of open files per client. A client is
 * the reference it calls through: its first call arrives with cookie 0, and
 * the reply stores the client's number as the reference's new cookie.
 *
 * Every method runs to completion without giving up the processor, except
 * `attach` (which asks the process manager), so each read and write is atomic
 * with respect to every other, whichever serving thread runs it.
 */
import * as rt from "doorkit/runtime";
import {
  type DirEntry as WireDirEntry,
  FileType as WireFileType,
  type Stat as WireStat,
  type VfsServer,
  IO_MAX,
  LEASE_MAX,
  READDIR_MAX,
} from "../../gen/examples/vfs/vfs.js";
import { Errno, type FileSystem, OpenFiles, type Result, type Stat } from "./fs/index.js";

/** What the service needs of the process it runs in. */
export interface ServiceHost {
  /** Asks to be told when process `pid` exits; resolves to 0 or an errno. */
  watch(pid: number, call: rt.Call): Promise<number>;
  /** Closes a descriptor the service was given and does not keep. */
  closeDescriptor(desc: number, call: rt.Call): Promise<void>;
  /** The lease a request brought, or an errno (EBADF not a lease, EIO revoked). */
  openLease(lease: number, call: rt.Call): Promise<LeaseAccess | number>;
  /**
   * Copies `count` bytes at the server's `address` to the start of lease `lease` in one
   * kernel call, without asking about the lease first; the count copied (the kernel clips
   * it to the lease) or -errno (EBADF not a lease, EACCES not writable, EIO revoked).
   */
  writeLease(lease: number, address: number, count: number, call: rt.Call): Promise<number>;
  /** Maps the first `length` bytes of a memory object into the server; the mapping, or -errno. */
  mapShared(memory: number, length: number, call: rt.Call): Promise<SharedMapping | number>;
  /** Unmaps a mapping `mapShared` made (and closes its lease). */
  unmapShared(mapping: SharedMapping, call: rt.Call): Promise<void>;
  /** Copies `count` bytes at the server's `address` into the mapping at `at`, in one kernel call; 0 or an errno. */
  copyToShared(mapping: SharedMapping, at: number, address: number, count: number, call: rt.Call): Promise<number>;
  /** Copies `length` bytes of the mapping at `at` to the server's `address`, in one kernel call; 0 or an errno. */
  copyFromShared(mapping: SharedMapping, at: number, address: number, length: number, call: rt.Call): Promise<number>;
  /** Copies `bytes` into the server's memory at `address` (a shared mapping). */
  writeMemory(address: number, bytes: Uint8Array): void;
  /** Copies bytes of the server's memory at `address` into all of `dest`. */
  readMemory(address: number, dest: Uint8Array): void;
  /** The server's address of a file page, or -1 when the page is not in its memory. */
  cacheAddress(page: Uint8Array): number;
}

/** One received lease, for the call that brought it. */
export interface LeaseAccess {
  readonly length: number;
  /** rt.LEASE_ACCESS bits: what the server may do. */
  readonly access: number;
  /** Copies `bytes` into the staging area at `at`, for `write`. */
  stage(bytes: Uint8Array, at: number): void;
  /** Copies the first `count` staged bytes to the start of the lease; 0 or an errno. */
  write(count: number): Promise<number>;
  /** Copies the lease's first `length` bytes into the staging area; 0 or an errno. */
  read(length: number): Promise<number>;
  /** Copies staged bytes from `at` into all of `dest`. */
  unstage(dest: Uint8Array, at: number): void;
  /** Copies `count` bytes at the server's `address` to the start of the lease, in one kernel call; 0 or an errno. */
  copyOut(address: number, count: number): Promise<number>;
  /** Copies the lease's first `length` bytes to the server's `address`, in one kernel call; 0 or an errno. */
  copyIn(address: number, length: number): Promise<number>;
}

/**
 * A client's shared memory object as mapped in the server, with a lease the
 * server made over that mapping (-1: none), through which the kernel copies
 * between it and the page cache.
 */
export interface SharedMapping {
  readonly address: number;
  readonly length: number;
  readonly lease: number;
}

interface Client {
  readonly files: OpenFiles;
  pid: number;
  shared: SharedMapping | null;
}

const NO_STAT: WireStat = { type: WireFileType.FILE, size: 0n, pages: 0, opens: 0, id: 0 };
const NO_DATA = new Uint8Array(0);
/** Bytes from which a shared transfer is left to the kernel (bench/vfs.bench.ts: slower at 4 KiB, as fast at 64 KiB). */
const SHARED_KERNEL_COPY = 16 * 1024;
const encoder = new TextEncoder();

export class VfsService implements VfsServer {
  readonly #clients = new Map<number, Client>();
  #nextClient = 1;
  /** One buffer for inline reads: the reply is encoded from it before the next call runs. */
  readonly #scratch = new Uint8Array(IO_MAX);

  constructor(
    readonly fs: FileSystem,
    readonly host: ServiceHost,
  ) {}

  /** Clients with state, for tests and the README's figures. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /**
   * Process `pid` exited: every client it attached as loses its open files.
   * Returns their shared mappings, for the caller to unmap.
   */
  processExited(pid: number): SharedMapping[] {
    const released: SharedMapping[] = [];
    for (const [cookie, client] of this.#clients) {
      if (client.pid !== pid) continue;
      client.files.closeAll();
      if (client.shared) released.push(client.shared);
      this.#clients.delete(cookie);
    }
    return released;
  }

  async attach({ pid }: { pid: number }, call: rt.Call) {
    const client = this.#client(call);
    const errno = await this.host.watch(pid, call);
    if (errno === 0) client.pid = pid;
    return { errno };
  }

  open({ path, flags }: { path: string; flags: number }, call: rt.Call) {
    const r = this.#client(call).files.open(path, flags);
    return r.ok ? { handle: r.value } : { errno: r.errno, handle: 0 };
  }

  close({ handle }: { handle: number }, call: rt.Call) {
    return { errno: errnoOf(this.#client(call).files.close(handle)) };
  }

  read({ handle, length }: { handle: number; length: number }, call: rt.Call) {
    const r = this.#client(call).files.read(handle, this.#scratch.subarray(0, Math.min(length, IO_MAX)));
    return r.ok ? { data: this.#scratch.subarray(0, r.value) } : { errno: r.errno, data: NO_DATA };
  }

  write({ handle, data }: { handle: number; data: Uint8Array }, call: rt.Call) {
    const r = this.#client(call).files.write(handle, data);
    return r.ok ? { count: r.value } : { errno: r.errno, count: 0 };
  }

  pread({ handle, offset, length }: { handle: number; offset: bigint; length: number }, call: rt.Call) {
    const r = this.#client(call).files.pread(handle, safe(offset), this.#scratch.subarray(0, Math.min(length, IO_MAX)));
    return r.ok ? { data: this.#scratch.subarray(0, r.value) } : { errno: r.errno, data: NO_DATA };
  }

  pwrite({ handle, offset, data }: { handle: number; offset: bigint; data: Uint8Array }, call: rt.Call) {
    const r = this.#client(call).files.pwrite(handle, safe(offset), data);
    return r.ok ? { count: r.value } : { errno: r.errno, count: 0 };
  }

  seek({ handle, offset, whence }: { handle: number; offset: bigint; whence: number }, call: rt.Call) {
    const r = this.#client(call).files.seek(handle, safe(offset), whence);
    return r.ok ? { offset: BigInt(r.value) } : { errno: r.errno, offset: 0n };
  }

  stat({ path }: { path: string }) {
    return statReply(this.fs.stat(path));
  }

  fstat({ handle }: { handle: number }, call: rt.Call) {
    return statReply(this.#client(call).files.fstat(handle));
  }

  readdir({ path, cursor }: { path: string; cursor: number }) {
    const r = this.fs.readdir(path, cursor, READDIR_MAX);
    if (!r.ok) return { errno: r.errno, entries: [], next: 0 };
    return { entries: r.value.entries.map(wireEntry), next: r.value.next };
  }

  mkdir({ path }: { path: string }) {
    return { errno: errnoOf(this.fs.mkdir(path)) };
  }

  unlink({ path }: { path: string }) {
    return { errno: errnoOf(this.fs.unlink(path)) };
  }

  rmdir({ path }: { path: string }) {
    return { errno: errnoOf(this.fs.rmdir(path)) };
  }

  rename({ from, to }: { from: string; to: string }) {
    return { errno: errnoOf(this.fs.rename(from, to)) };
  }

  truncate({ path, size }: { path: string; size: bigint }) {
    return { errno: errnoOf(this.fs.truncate(path, safe(size))) };
  }

  ftruncate({ handle, size }: { handle: number; size: bigint }, call: rt.Call) {
    return { errno: errnoOf(this.#client(call).files.ftruncate(handle, safe(size))) };
  }

  // Leases: when the file's pages under the transfer are one run of the
  // server's memory, the kernel copies between them and the lease in one call,
  // made in the same synchronous step as the look-up (so nothing else runs in
  // between); otherwise the bytes are read from the page cache into the
  // staging area, or written to it, in one synchronous step between the
  // kernel copies. Either way each call is atomic.
  async read_lease(req: { handle: number; offset: bigint; length: number; buffer: number }, call: rt.Call) {
    const files = this.#client(call).files;
    try {
      if (req.length > LEASE_MAX) return { errno: Errno.EINVAL, count: 0 };
      const run = new Run(this.host);
      const found = files.preadSpans(req.handle, safe(req.offset), req.length, run.sink);
      if (found.ok && found.value === req.length && found.value > 0 && run.address >= 0) {
        // The copy's count stands for lease_info: the kernel clips it to the lease, so a
        // short count is a lease shorter than `length` (the lent bytes may hold part of it).
        const copied = await this.host.writeLease(req.buffer, run.address, found.value, call);
        if (copied === found.value) return { count: copied };
        return { errno: copied < 0 ? -copied : Errno.EFAULT, count: 0 };
      }
      const lease = await this.#lease(req.buffer, req.length, rt.LEASE_ACCESS.write, call);
      if (typeof lease === "number") return { errno: lease, count: 0 };
      if (found.ok && found.value > 0 && run.address >= 0) {
        const errno = await lease.copyOut(run.address, found.value);
        return errno === 0 ? { count: found.value } : { errno, count: 0 };
      }
      const read = files.preadPieces(req.handle, safe(req.offset), req.length, (piece, at) => lease.stage(piece, at));
      if (!read.ok) return { errno: read.errno, count: 0 };
      const errno = await lease.write(read.value);
      return errno === 0 ? { count: read.value } : { errno, count: 0 };
    } finally {
      await this.host.closeDescriptor(req.buffer, call);
    }
  }

  async write_lease(req: { handle: number; offset: bigint; length: number; buffer: number }, call: rt.Call) {
    const files = this.#client(call).files;
    try {
      const lease = await this.#lease(req.buffer, req.length, rt.LEASE_ACCESS.read, call);
      if (typeof lease === "number") return { errno: lease, count: 0 };
      const run = new Run(this.host);
      const over = files.overwriteSpans(req.handle, safe(req.offset), req.length, run.sink);
      if (over.ok && over.value && req.length > 0 && run.address >= 0) {
        const errno = await lease.copyIn(run.address, req.length);
        return errno === 0 ? { count: req.length } : { errno, count: 0 };
      }
      const errno = await lease.read(req.length);
      if (errno !== 0) return { errno, count: 0 };
      const r = files.pwritePieces(req.handle, safe(req.offset), req.length, (piece, at) => lease.unstage(piece, at));
      return r.ok ? { count: r.value } : { errno: r.errno, count: 0 };
    } finally {
      await this.host.closeDescriptor(req.buffer, call);
    }
  }

  async map_shared({ memory, length }: { memory: number; length: number }, call: rt.Call) {
    const client = this.#client(call);
    try {
      if (length === 0 || length > LEASE_MAX) return { errno: Errno.EINVAL };
      const mapping = await this.host.mapShared(memory, length, call);
      if (typeof mapping === "number") return { errno: -mapping };
      const old = client.shared;
      client.shared = mapping;
      // The client may have exited while the server mapped: its mapping goes at once.
      if (this.#clients.get(call.cookie) !== client) await this.host.unmapShared(client.shared, call);
      if (old) await this.host.unmapShared(old, call);
      return { errno: 0 };
    } finally {
      await this.host.closeDescriptor(memory, call);
    }
  }

  // Shared memory: like leases, one kernel copy when the file's pages are one
  // run of the server's memory, made in the look-up's synchronous step; below
  // SHARED_KERNEL_COPY the trap costs more than the server's own copy.
  async read_shared({ handle, offset, at, length }: { handle: number; offset: bigint; at: number; length: number }, call: rt.Call) {
    const client = this.#client(call);
    const shared = client.shared;
    if (!shared || at + length > shared.length) return { errno: Errno.EINVAL, count: 0 };
    const run = new Run(this.host);
    const found = client.files.preadSpans(handle, safe(offset), length, run.sink);
    if (found.ok && found.value >= SHARED_KERNEL_COPY && run.address >= 0 && shared.lease >= 0) {
      const errno = await this.host.copyToShared(shared, at, run.address, found.value, call);
      return errno === 0 ? { count: found.value } : { errno, count: 0 };
    }
    const base = shared.address + at;
    // Straight from the page cache into the mapping: the only copy.
    const read = client.files.preadPieces(handle, safe(offset), length, (piece, pos) => this.host.writeMemory(base + pos, piece));
    return read.ok ? { count: read.value } : { errno: read.errno, count: 0 };
  }

  async write_shared({ handle, offset, at, length }: { handle: number; offset: bigint; at: number; length: number }, call: rt.Call) {
    const client = this.#client(call);
    const shared = client.shared;
    if (!shared || at + length > shared.length) return { errno: Errno.EINVAL, count: 0 };
    const run = new Run(this.host);
    const over = client.files.overwriteSpans(handle, safe(offset), length, run.sink);
    if (over.ok && over.value && length >= SHARED_KERNEL_COPY && run.address >= 0 && shared.lease >= 0) {
      const errno = await this.host.copyFromShared(shared, at, run.address, length, call);
      return errno === 0 ? { count: length } : { errno, count: 0 };
    }
    const base = shared.address + at;
    // Straight from the mapping into the page cache: the only copy.
    const r = client.files.pwritePieces(handle, safe(offset), length, (piece, pos) => this.host.readMemory(base + pos, piece));
    return r.ok ? { count: r.value } : { errno: r.errno, count: 0 };
  }

  /** The request's lease, checked: at most LEASE_MAX, at least `length` bytes, with `access`. */
  async #lease(desc: number, length: number, access: number, call: rt.Call): Promise<LeaseAccess | number> {
    if (length > LEASE_MAX) return Errno.EINVAL;
    const lease = await this.host.openLease(desc, call);
    if (typeof lease === "number") return lease;
    if ((lease.access & access) === 0) return Errno.EACCES;
    return lease.length < length ? Errno.EFAULT : lease;
  }

  /** The caller's state; a first call makes it and its number becomes the cookie. */
  #client(call: rt.Call): Client {
    let client = this.#clients.get(call.cookie);
    if (!client) {
      if (call.cookie === 0) call.cookie = this.#nextClient++;
      client = { files: new OpenFiles(this.fs), pid: 0, shared: null };
      this.#clients.set(call.cookie, client);
    }
    return client;
  }
}

/** Whether the spans handed to `sink` are one run of the server's memory: from `address`, or -1. */
class Run {
  address = -1;
  #end = -1;

  constructor(readonly host: ServiceHost) {}

  readonly sink = (page: Uint8Array, within: number, length: number, at: number): void => {
    const base = this.host.cacheAddress(page);
    const address = base < 0 ? -1 : base + within;
    if (at === 0) this.address = address;
    else if (address !== this.#end) this.address = -1;
    this.#end = this.address < 0 ? -1 : address + length;
  };
}

function errnoOf(r: Result<unknown>): number {
  return r.ok ? 0 : r.errno;
}

/** A u64/i64 from the wire as a number; beyond 2^53 it is no valid offset or size (NaN: EINVAL). */
function safe(value: bigint): number {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : NaN;
}

function statReply(r: Result<Stat>) {
  if (!r.ok) return { errno: r.errno, st: NO_STAT };
  const s = r.value;
  const type = s.type === "file" ? WireFileType.FILE : WireFileType.DIRECTORY;
  return { st: { type, size: BigInt(s.size), pages: s.pages, opens: s.opens, id: s.id } };
}

function wireEntry(e: { name: string; type: "file" | "directory"; size: number }): WireDirEntry {
  const bytes = encoder.encode(e.name);
  const name = new Uint8Array(255);
  name.set(bytes);
  return { name, name_length: bytes.length, type: e.type === "file" ? WireFileType.FILE : WireFileType.DIRECTORY, size: BigInt(e.size) };
}
