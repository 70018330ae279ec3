/**
 * The memory property, shared by tests/emulator/memory/memory-properties.test.ts
 * and fuzz/emulator-memory.fuzz.ts: random sequences of mem_alloc, mem_create + mem_map, unmapping,
 * closing, writes, reads, leases sent to a server, and garbage memory calls,
 * by two processes on a machine short of memory (so pages go to swap),
 * never crash the kernel, never show a process bytes another process wrote
 * into its private memory, and leave no frame or swap slot behind.
 */
import fc from "fast-check";
import { Kernel } from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { RECEIVE, REPLY_RECEIVE, pack, trap } from "./harness.js";

const PAGE = 4096;
const GARBAGE_BASE = 0x7000_0000;

type Op =
  | { k: "alloc"; pages: number }
  | { k: "create"; pages: number }
  | { k: "unmap"; i: number }
  | { k: "close"; i: number }
  | { k: "write"; i: number; off: number; len: number }
  | { k: "read"; i: number }
  | { k: "lease"; i: number; off: number; len: number; access: number }
  | { k: "garbage"; desc: number; a: number; b: number; c: number; prot: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant("alloc" as const), pages: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ k: fc.constant("create" as const), pages: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ k: fc.constant("unmap" as const), i: fc.nat(7) }),
  fc.record({ k: fc.constant("close" as const), i: fc.nat(7) }),
  fc.record({ k: fc.constant("write" as const), i: fc.nat(7), off: fc.nat(9 * PAGE), len: fc.nat(3 * PAGE) }),
  fc.record({ k: fc.constant("read" as const), i: fc.nat(7) }),
  fc.record({
    k: fc.constant("lease" as const),
    i: fc.nat(7),
    off: fc.nat(9 * PAGE),
    len: fc.nat(3 * PAGE),
    access: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({
    k: fc.constant("garbage" as const),
    desc: fc.nat(6),
    a: fc.oneof(
      fc.constant(0),
      fc.nat(0x40_0000).map((n) => GARBAGE_BASE + n),
    ),
    b: fc.nat(0x2_0000),
    c: fc.nat(0x2_0000),
    prot: fc.nat(4),
  }),
);

interface Region {
  address: number;
  length: number;
  memory: number;
  /** What the region must hold: the model every read is compared with. */
  shadow: Uint8Array;
}

/** A client running `ops`; every byte it reads back must be what it wrote there (0 where it did not). */
function client(ops: readonly Op[], secret: number, failures: string[]) {
  return async (sys: Sys): Promise<number> => {
    const buf = await sys.messageBuffer();
    const regions: Region[] = [];
    const check = (r: Region, what: string) => {
      const bytes = sys.memory.readBytes(r.address, r.length);
      const bad = bytes.findIndex((b, i) => b !== r.shadow[i]);
      if (bad >= 0) failures.push(`${secret}: ${what} byte ${bad} = ${bytes[bad]}, not ${r.shadow[bad]}`);
    };
    for (const o of ops) {
      const r =
        regions[o.k === "alloc" || o.k === "create" || o.k === "garbage" ? 0 : o.i % Math.max(1, regions.length)];
      switch (o.k) {
        case "alloc": {
          const address = await sys.kernel.memAlloc(0, o.pages * PAGE, 3);
          if (address > 0)
            regions.push({ address, length: o.pages * PAGE, memory: 0, shadow: new Uint8Array(o.pages * PAGE) });
          break;
        }
        case "create": {
          const memory = await sys.kernel.memCreate(o.pages * PAGE, 0);
          const address = memory > 0 ? await sys.kernel.memMap(memory, 0, 0, o.pages * PAGE, 3) : -1;
          if (address > 0)
            regions.push({ address, length: o.pages * PAGE, memory, shadow: new Uint8Array(o.pages * PAGE) });
          else if (memory > 0) await sys.kernel.descClose(memory);
          break;
        }
        case "unmap":
          if (r === undefined) break;
          if ((await sys.kernel.memUnmap(r.address, r.length)) !== 0) failures.push("unmap refused");
          regions.splice(regions.indexOf(r), 1);
          if (r.memory > 0) await sys.kernel.descClose(r.memory);
          break;
        case "close":
          if (r !== undefined && r.memory > 0) {
            await sys.kernel.descClose(r.memory);
            r.memory = 0;
          }
          break;
        case "write": {
          if (r === undefined) break;
          const off = o.off % r.length;
          const bytes = new Uint8Array(Math.min(o.len, r.length - off)).map(
            (_, i) => secret ^ (((off + i) * 13) & 0x0f),
          );
          sys.memory.writeBytes(r.address + off, bytes);
          r.shadow.set(bytes, off);
          break;
        }
        case "read":
          if (r !== undefined) check(r, "read");
          break;
        case "lease": {
          const address = r === undefined ? GARBAGE_BASE : r.address + o.off;
          const lease = await sys.kernel.leaseCreate(address, o.len, o.access);
          if (lease < 0) break;
          buf.view.setUint32(0, o.len, true);
          buf.view.setUint32(4, lease, true);
          const res = await trap(sys, 0x8000, 1, buf.address, pack(4095, 4, 1));
          if (res[0] !== 0 && res[0] !== 1) failures.push(`server saw ${res[0]} bytes that were not the client's`);
          await sys.kernel.descClose(lease);
          break;
        }
        case "garbage":
          await sys.kernel.memMap(o.desc, o.a, o.b, o.c, o.prot);
          await sys.kernel.memUnmap(o.a, o.b);
          await sys.kernel.leaseRead(o.desc, o.b, o.a, o.c);
          await sys.kernel.leaseWrite(o.desc, o.b, o.a, o.c);
          break;
      }
    }
    for (const r of regions) check(r, "final");
    return 0;
  };
}

/** Reads each lease whole; replies 0 if every byte is 0 or a client's secret, 1 if it could not read, else the count of others. */
async function leaseReader(sys: Sys, door: number): Promise<number> {
  const buf = await sys.messageBuffer();
  const scratch = await sys.kernel.memAlloc(0, 4 * PAGE, 3);
  sys.memory.writeBytes(scratch, new Uint8Array(4 * PAGE).fill(0x5e));
  let r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
  while (r[0] !== -1) {
    const lease = buf.view.getUint32(4, true);
    const n = await sys.kernel.leaseRead(lease, 0, scratch, 4 * PAGE);
    let answer = 1;
    if (n >= 0) {
      const bytes = sys.memory.readBytes(scratch, n);
      answer = bytes.filter((b) => b !== 0 && (b & 0xf0) !== 0xa0 && (b & 0xf0) !== 0xb0).length;
      if (answer === 1) answer = 2;
    }
    buf.view.setInt32(0, answer, true);
    buf.view.setInt32(4, 0, true);
    r = await trap(sys, REPLY_RECEIVE, 0, buf.address, pack(4095, 8, 0));
  }
  return 0;
}

export interface MemoryRunStats {
  pageOuts: number;
  leasesRead: number;
}

/**
 * Checks the property over `runs` random scenarios; throws (with fast-check's
 * counterexample) on the first failure; returns what the runs exercised.
 */
export async function checkRandomMemory(runs: number, seed?: number): Promise<MemoryRunStats> {
  const stats: MemoryRunStats = { pageOuts: 0, leasesRead: 0 };
  await fc.assert(
    fc.asyncProperty(
      fc.array(op, { minLength: 20, maxLength: 60 }),
      fc.array(op, { minLength: 20, maxLength: 60 }),
      fc.nat(5),
      async (a, b, schedule) => {
        const kernel = new Kernel({ memoryBytes: 40 * PAGE, swapBytes: 160 * PAGE, seed: schedule, maxSteps: 100_000 });
        const failures: string[] = [];
        const server = kernel.spawn({
          name: "server",
          privileged: true,
          program: async (sys) => {
            const door = await sys.kernel.ipcCreate(2, 0);
            kernel.spawn({
              program: client(a, 0xa1, failures),
              descriptors: [{ pid: sys.pid, descriptor: door, rights: 1 }],
            });
            kernel.spawn({
              program: client(b, 0xb2, failures),
              descriptors: [{ pid: sys.pid, descriptor: door, rights: 1 }],
            });
            return leaseReader(sys, door);
          },
        });
        kernel.traceHook = (e) => {
          if (e.kind === "kernel-call" && e.fn === 0x051 && e.errno === 0) stats.leasesRead++;
        };
        await kernel.run();
        stats.pageOuts += kernel.pager.pageOuts;
        kernel.kill(server, "end of run");
        for (const p of kernel.listProcesses()) {
          if (p.fault !== null && p.pid !== server) failures.push(`${p.name} killed: ${p.fault}`);
        }
        if (kernel.usedFrames !== 0) failures.push(`${kernel.usedFrames} frames left`);
        if (kernel.usedSwapSlots !== 0) failures.push(`${kernel.usedSwapSlots} swap slots left`);
        if (failures.length > 0) throw new Error(failures.join("\n"));
      },
    ),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
  return stats;
}
