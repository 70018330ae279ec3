import type * as rt from "doorkit/runtime";
import { describe, expect, it } from "vitest";
import { FileSystem, OpenFlags, PAGE_SIZE } from "../../../examples/vfs/fs/index.js";
import { DEFAULT_CONFIG, parseServerArgs } from "../../../examples/vfs/server-args.js";
import { VfsService } from "../../../examples/vfs/vfs-service.js";
import { FileType, IO_MAX } from "../../../gen/examples/vfs/vfs.js";

/** Only the cookie matters to the service; the host is faked. */
const call = (cookie: number) => ({ cookie }) as rt.Call;

function service(watchErrno = 0) {
  const made = FileSystem.fromRamDisk({ capacity: 16 * PAGE_SIZE }, [{ path: "/f", bytes: new TextEncoder().encode("abc") }]);
  if (!made.ok) throw new Error("RAM disk");
  const watched: number[] = [];
  const closed: number[] = [];
  const svc = new VfsService(made.value, {
    watch: async (pid) => (watched.push(pid), watchErrno),
    closeDescriptor: async (desc) => void closed.push(desc),
  });
  return { svc, watched, closed };
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

  it("answers ENOSYS for leases and shared memory, and closes the memory descriptor it was given", async () => {
    const { svc, closed } = service();
    expect(await svc.read_lease({ buffer: 3 }, call(0))).toEqual({ errno: 38, count: 0 });
    expect(await svc.write_lease({ buffer: 4 }, call(0))).toEqual({ errno: 38, count: 0 });
    expect(await svc.map_shared({ memory: 5 }, call(0))).toEqual({ errno: 38 });
    expect(svc.read_shared()).toEqual({ errno: 38, count: 0 });
    expect(closed).toEqual([3, 4, 5]);
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
