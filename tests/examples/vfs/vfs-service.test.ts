import type * as rt from "doorkit/runtime";
import { describe, expect, it } from "vitest";
import { FileSystem, OpenFlags, PAGE_SIZE } from "../../../examples/vfs/fs/index.js";
import { DEFAULT_CONFIG, parseServerArgs } from "../../../examples/vfs/server-args.js";
import { VfsService } from "../../../examples/vfs/vfs-service.js";
import { FileType, IO_MAX, LEASE_MAX } from "../../../gen/examples/vfs/vfs.js";

/** Only the cookie matters to the service; the host is faked. */
const call = (cookie: number) => ({ cookie }) as rt.Call;

/** A lease of the fake host: the lender's bytes, what the server may do, whether it was revoked. */
interface FakeLease {
  bytes: Uint8Array;
  access: number;
  revoked?: boolean;
}

const SHARED_AT = 0x4000_0000;

/** Where the fake host says the file pages lie when `cached`: one run from CACHE_AT. */
const CACHE_AT = 0x2000_0000;

function service(watchErrno = 0, cached = false) {
  const made = FileSystem.fromRamDisk({ capacity: 16 * PAGE_SIZE }, [{ path: "/f", bytes: new TextEncoder().encode("abc") }]);
  if (!made.ok) throw new Error("RAM disk");
  const watched: number[] = [];
  const closed: number[] = [];
  const leases = new Map<number, FakeLease>();
  /** Memory objects by descriptor; mapped ones by address. */
  const objects = new Map<number, Uint8Array>();
  const mapped = new Map<number, Uint8Array>();
  const unmapped: number[] = [];
  /** Cache pages by address, when `cached`; and how often the service asked about a lease. */
  const pages = new Map<number, Uint8Array>();
  const asked = { leaseInfo: 0 };
  const memoryAt = (address: number) => {
    const base = Math.floor((address - SHARED_AT) / 0x10_0000) * 0x10_0000 + SHARED_AT;
    return { region: mapped.get(base)!, at: address - base };
  };
  const svc = new VfsService(made.value, {
    watch: async (pid) => (watched.push(pid), watchErrno),
    closeDescriptor: async (desc) => void closed.push(desc),
    openLease: async (desc) => {
      asked.leaseInfo++;
      const lease = leases.get(desc);
      if (!lease) return 9;
      if (lease.revoked) return 5;
      const staged = new Uint8Array(LEASE_MAX);
      return {
        length: lease.bytes.length,
        access: lease.access,
        stage: (bytes, at) => staged.set(bytes, at),
        write: async (count) => (lease.revoked ? 5 : (lease.bytes.set(staged.subarray(0, count)), 0)),
        read: async (length) => (lease.revoked ? 5 : (staged.set(lease.bytes.subarray(0, length)), 0)),
        unstage: (dest, at) => dest.set(staged.subarray(at, at + dest.length)),
        copyOut: async () => 38,
        copyIn: async () => 38,
      };
    },
    writeLease: async (desc, address, count) => {
      const lease = leases.get(desc);
      if (!lease) return -9;
      if ((lease.access & 2) === 0) return -13;
      if (lease.revoked) return -5;
      const copied = Math.min(count, lease.bytes.length);
      const page = pages.get(address - (address % PAGE_SIZE))!;
      lease.bytes.set(page.subarray(address % PAGE_SIZE, (address % PAGE_SIZE) + copied));
      return copied;
    },
    mapShared: async (desc, length) => {
      const object = objects.get(desc);
      if (!object) return -9;
      if (length > object.length) return -22;
      const address = SHARED_AT + mapped.size * 0x10_0000;
      mapped.set(address, object);
      return { address, length, lease: -1 };
    },
    unmapShared: async (mapping) => void unmapped.push(mapping.address),
    writeMemory: (address, bytes) => {
      const { region, at } = memoryAt(address);
      region.set(bytes, at);
    },
    readMemory: (address, dest) => {
      const { region, at } = memoryAt(address);
      dest.set(region.subarray(at, at + dest.length));
    },
    cacheAddress: (page) => {
      if (!cached) return -1;
      for (const [address, known] of pages) if (known === page) return address;
      const address = CACHE_AT + pages.size * PAGE_SIZE;
      pages.set(address, page);
      return address;
    },
    copyToShared: async () => 38,
    copyFromShared: async () => 38,
  });
  return { svc, watched, closed, leases, objects, unmapped, asked };
}

describe("VfsService", () => {
  it("gives each new client a cookie and keeps its handles apart from others'", () => {
    const { svc } = service();
    const a = call(0);
    expect(svc.open({ path: "/f", flags: OpenFlags.READ }, a)).toEqual({ handle: 1 });
    expect(a.cookie).toBe(1);
    const b = call(0);
    svc.open({ path: "/f", flags: OpenFlags.READ }, b);
    expect(b.cookie).toBe(2);
    expect(svc.read({ handle: 1, length: 10 }, call(1))).toEqual({ data: new TextEncoder().encode("abc") });
    expect(svc.close({ handle: 1 }, call(2))).toEqual({ errno: 0 });
    expect(svc.close({ handle: 1 }, call(2))).toEqual({ errno: 9 });
    expect(svc.fstat({ handle: 1 }, call(1)).st.opens).toBe(1);
  });

  it("closes the files of an attached client when its process exits, and only those", async () => {
    const { svc, watched } = service();
    const a = call(0);
    expect(await svc.attach({ pid: 7 }, a)).toEqual({ errno: 0 });
    expect(watched).toEqual([7]);
    svc.open({ path: "/f", flags: OpenFlags.READ }, a);
    svc.open({ path: "/f", flags: OpenFlags.READ }, call(0));
    svc.processExited(8);
    expect(svc.stat({ path: "/f" }).st.opens).toBe(2);
    svc.processExited(7);
    expect(svc.stat({ path: "/f" }).st.opens).toBe(1);
    expect(svc.clientCount).toBe(1);
  });

  it("reports a refused watch and then keeps the client's files on the pid's exit", async () => {
    const { svc } = service(1);
    const a = call(0);
    expect(await svc.attach({ pid: 7 }, a)).toEqual({ errno: 1 });
    svc.open({ path: "/f", flags: OpenFlags.READ }, a);
    svc.processExited(7);
    expect(svc.stat({ path: "/f" }).st.opens).toBe(1);
  });

  it("caps an inline read at IO_MAX and refuses offsets beyond 2^53", () => {
    const { svc } = service();
    const c = call(0);
    svc.open({ path: "/f", flags: OpenFlags.READ | OpenFlags.WRITE }, c);
    expect(svc.pwrite({ handle: 1, offset: 0n, data: new Uint8Array(IO_MAX).fill(1) }, c)).toEqual({ count: IO_MAX });
    expect(svc.pread({ handle: 1, offset: 0n, length: 100_000 }, c).data.length).toBe(IO_MAX);
    expect(svc.pread({ handle: 1, offset: 1n << 60n, length: 1 }, c).errno).toBe(22);
    expect(svc.seek({ handle: 1, offset: -1n, whence: 2 }, c)).toEqual({ offset: BigInt(IO_MAX - 1) });
    expect(svc.truncate({ path: "/f", size: 1n << 60n }).errno).toBe(22);
  });

  it("stat and readdir speak the wire's types", () => {
    const { svc } = service();
    expect(svc.stat({ path: "/f" })).toEqual({ st: { type: FileType.FILE, size: 3n, pages: 1, opens: 0, id: 2 } });
    expect(svc.stat({ path: "/g" }).errno).toBe(2);
    const { entries, next } = svc.readdir({ path: "/", cursor: 0 }) as { entries: { name: Uint8Array; name_length: number }[]; next: number };
    expect(next).toBe(0);
    expect(entries).toHaveLength(1);
    expect(entries[0].name).toHaveLength(255);
    expect(new TextDecoder().decode(entries[0].name.subarray(0, entries[0].name_length))).toBe("f");
  });

  it("reads into a lease and writes from one, the lease's first `length` bytes only", async () => {
    const { svc, closed, leases } = service();
    const c = call(0);
    svc.open({ path: "/f", flags: OpenFlags.READ | OpenFlags.WRITE }, c);
    const out = new Uint8Array(8).fill(0xee);
    leases.set(3, { bytes: out, access: 2 });
    expect(await svc.read_lease({ handle: 1, offset: 1n, length: 5, buffer: 3 }, c)).toEqual({ count: 2 });
    expect([...out]).toEqual([0x62, 0x63, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee]);
    leases.set(4, { bytes: new Uint8Array([1, 2, 3, 4, 5, 6]), access: 1 });
    expect(await svc.write_lease({ handle: 1, offset: 2n, length: 4, buffer: 4 }, c)).toEqual({ count: 4 });
    expect(svc.pread({ handle: 1, offset: 0n, length: 10 }, c)).toEqual({ data: new Uint8Array([0x61, 0x62, 1, 2, 3, 4]) });
    expect(closed).toEqual([3, 4]);
  });

  it.each([
    ["a revoked lease", { access: 3, revoked: true }, 5, 5],
    ["a lease shorter than the length", { access: 3, length: 3 }, 14, 14],
    ["a lease without the access", { access: 0 }, 13, 13],
    ["a read-only lease to read into, a write-only one to write from", { access: 1 }, 13, 0],
    ["a length beyond LEASE_MAX", { access: 3, ask: LEASE_MAX + 1 }, 22, 22],
  ] as const)("refuses %s, changing nothing, and closes it", async (_, lease, readErrno, writeErrno) => {
    const { svc, closed, leases } = service();
    const c = call(0);
    svc.open({ path: "/f", flags: OpenFlags.READ | OpenFlags.WRITE }, c);
    const length = "ask" in lease ? lease.ask : 4;
    const bytes = new Uint8Array("length" in lease ? lease.length : 4).fill(9);
    leases.set(3, { bytes, access: lease.access, revoked: "revoked" in lease });
    expect(await svc.read_lease({ handle: 1, offset: 0n, length, buffer: 3 }, c)).toEqual(readErrno ? { errno: readErrno, count: 0 } : { count: 3 });
    if (readErrno) expect(bytes.every((b) => b === 9)).toBe(true);
    leases.set(4, { bytes: bytes.fill(9), access: lease.access === 1 ? 2 : lease.access, revoked: "revoked" in lease });
    const wrote = await svc.write_lease({ handle: 1, offset: 0n, length, buffer: 4 }, c);
    if (writeErrno) {
      expect(wrote).toEqual({ errno: writeErrno, count: 0 });
      expect(svc.stat({ path: "/f" }).st.size).toBe(3n);
    } else expect(wrote.errno).toBe(13);
    expect(closed).toEqual([3, 4]);
  });

  it("reads over cache pages in one copy without asking about the lease; a short copy is EFAULT", async () => {
    const { svc, closed, leases, asked } = service(0, true);
    const c = call(0);
    svc.open({ path: "/f", flags: OpenFlags.READ }, c);
    const out = new Uint8Array(4).fill(0xee);
    leases.set(3, { bytes: out, access: 2 });
    expect(await svc.read_lease({ handle: 1, offset: 0n, length: 3, buffer: 3 }, c)).toEqual({ count: 3 });
    expect([...out]).toEqual([0x61, 0x62, 0x63, 0xee]);
    expect(asked.leaseInfo).toBe(0);
    leases.set(4, { bytes: new Uint8Array(2), access: 2 });
    expect(await svc.read_lease({ handle: 1, offset: 0n, length: 3, buffer: 4 }, c)).toEqual({ errno: 14, count: 0 });
    leases.set(5, { bytes: new Uint8Array(3), access: 2, revoked: true });
    expect(await svc.read_lease({ handle: 1, offset: 0n, length: 3, buffer: 5 }, c)).toEqual({ errno: 5, count: 0 });
    expect(await svc.read_lease({ handle: 1, offset: 0n, length: 3, buffer: 6 }, c)).toEqual({ errno: 9, count: 0 });
    expect(asked.leaseInfo).toBe(0);
    // Past the end of the file the copy's count says nothing of the lease: it is asked about.
    leases.set(7, { bytes: new Uint8Array(2), access: 2 });
    expect(await svc.read_lease({ handle: 1, offset: 0n, length: 5, buffer: 7 }, c)).toEqual({ errno: 14, count: 0 });
    expect(asked.leaseInfo).toBe(1);
    expect(closed).toEqual([3, 4, 5, 6, 7]);
  });

  it("answers EBADF for a descriptor that is not a lease, and for a bad handle", async () => {
    const { svc, leases } = service();
    expect(await svc.read_lease({ handle: 1, offset: 0n, length: 1, buffer: 7 }, call(0))).toEqual({ errno: 9, count: 0 });
    leases.set(3, { bytes: new Uint8Array(1), access: 3 });
    expect(await svc.write_lease({ handle: 5, offset: 0n, length: 1, buffer: 3 }, call(0))).toEqual({ errno: 9, count: 0 });
  });

  it("copies between the file and a client's shared object, inside its bounds only", async () => {
    const { svc, closed, objects, unmapped } = service();
    const c = call(0);
    svc.open({ path: "/f", flags: OpenFlags.READ | OpenFlags.WRITE }, c);
    expect(await svc.read_shared({ handle: 1, offset: 0n, at: 0, length: 1 }, c)).toEqual({ errno: 22, count: 0 });
    const object = new Uint8Array(16);
    objects.set(5, object);
    expect(await svc.map_shared({ memory: 5, length: 16 }, c)).toEqual({ errno: 0 });
    expect(closed).toEqual([5]);
    expect(await svc.read_shared({ handle: 1, offset: 0n, at: 14, length: 3 }, c)).toEqual({ errno: 22, count: 0 });
    expect(await svc.read_shared({ handle: 1, offset: 1n, at: 13, length: 3 }, c)).toEqual({ count: 2 });
    expect([...object.subarray(12)]).toEqual([0, 0x62, 0x63, 0]);
    object.set([7, 8, 9], 0);
    expect(await svc.write_shared({ handle: 1, offset: 3n, at: 0, length: 3 }, c)).toEqual({ count: 3 });
    expect(svc.pread({ handle: 1, offset: 0n, length: 10 }, c)).toEqual({ data: new Uint8Array([0x61, 0x62, 0x63, 7, 8, 9]) });
    expect(await svc.write_shared({ handle: 2, offset: 0n, at: 0, length: 1 }, c)).toEqual({ errno: 9, count: 0 });
    // Another client has no shared object.
    expect((await svc.read_shared({ handle: 1, offset: 0n, at: 0, length: 1 }, call(0))).errno).toBe(22);
    // A second object replaces the first, which the server unmaps.
    objects.set(6, new Uint8Array(32));
    expect(await svc.map_shared({ memory: 6, length: 32 }, c)).toEqual({ errno: 0 });
    expect(unmapped).toEqual([SHARED_AT]);
    expect(await svc.read_shared({ handle: 1, offset: 0n, at: 20, length: 12 }, c)).toEqual({ count: 6 });
  });

  it("refuses a bad memory descriptor, a length past the object or of 0, and gives the mapping back at exit", async () => {
    const { svc, closed, objects } = service();
    const c = call(0);
    expect(await svc.map_shared({ memory: 8, length: 16 }, c)).toEqual({ errno: 9 });
    objects.set(5, new Uint8Array(16));
    expect(await svc.map_shared({ memory: 5, length: 17 }, c)).toEqual({ errno: 22 });
    expect(await svc.map_shared({ memory: 5, length: 0 }, c)).toEqual({ errno: 22 });
    expect(await svc.map_shared({ memory: 5, length: LEASE_MAX + 1 }, c)).toEqual({ errno: 22 });
    expect(closed).toEqual([8, 5, 5, 5]);
    await svc.attach({ pid: 4 }, c);
    expect(await svc.map_shared({ memory: 5, length: 16 }, c)).toEqual({ errno: 0 });
    expect(svc.processExited(4)).toEqual([{ address: SHARED_AT, length: 16, lease: -1 }]);
  });
});

describe("server arguments", () => {
  it("takes a name, a capacity and a thread count", () => {
    expect(parseServerArgs([])).toEqual({ ok: true, config: DEFAULT_CONFIG });
    expect(parseServerArgs(["/sys/fs2", "--capacity=8192", "--threads=5"])).toEqual({ ok: true, config: { name: "/sys/fs2", capacity: 8192, threads: 5 } });
  });

  it.each([["--threads=0"], ["--threads=33"], ["--capacity=-1"], ["fs"], ["--verbose"]])("refuses %j", (arg) => {
    expect(parseServerArgs([arg]).ok).toBe(false);
  });
});
