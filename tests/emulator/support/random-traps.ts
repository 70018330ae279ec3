/**
 * The random-trap property, shared by the test suite (few runs) and
 * `npm run fuzz -- emulator-traps` (many): an attacker process issues random
 * register values into every trap while a victim server holds a secret. The
 * attacker may also receive on a second door (descriptor 2) that an innocent
 * client calls, so its random REPLYs reach a real caller. The emulator must
 * never throw, every trap must come back with a result or an errno, the
 * victim's and the innocent's memory and descriptors must not change, and
 * once all is killed every frame must return.
 */
import fc from "fast-check";
import { HEAP_BASE, Kernel } from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { REPLY_RECEIVE, RECEIVE, pack } from "./harness.js";

const ERRNOS = new Set([1, 2, 3, 4, 5, 7, 9, 11, 12, 13, 14, 16, 17, 22, 28, 32, 34, 35, 36, 38, 42, 43, 71, 90]);
const SECRET = 0x13579bdf;

const FUNCTIONS = [
  1, 2, 3, 4, 0, 0x10, 0x11, 0x20, 0x21, 0x22, 0x30, 0x32, 0x39, 0x3a, 0x40, 0x41, 0x42, 0x43, 0x50, 0x51, 0x52,
  0x53, 0x60, 0x61, 0x400, 0xfff, 0x1000, 0x7fff, 0x8000, 0x7fffffff, -1,
];

export interface RandomTrap {
  readonly fn: number;
  readonly target: number;
  readonly ptr: number;
  readonly sizes: number;
  readonly via: "int" | "sysenter";
}

export const randomTrap: fc.Arbitrary<RandomTrap> = fc.record({
  fn: fc.oneof(fc.constantFrom(...FUNCTIONS), fc.integer({ min: -0x80000000, max: 0x7fffffff })),
  target: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: -0x80000000, max: 0x7fffffff })),
  ptr: fc.oneof(
    fc.constantFrom(0, HEAP_BASE, HEAP_BASE + 4000, HEAP_BASE + 4096, 0xbffe0000, 0xc0000000, 0xfffffffc),
    fc.integer({ min: HEAP_BASE, max: HEAP_BASE + 8191 }),
    fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  ),
  sizes: fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 4095 }), fc.integer({ min: 0, max: 4095 }), fc.integer({ min: 0, max: 8 })).map(
      ([t, d, n]) => pack(t, d, n),
    ),
    fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  ),
  via: fc.constantFrom("int" as const, "sysenter" as const),
});

export interface CaseResult {
  /** What went wrong, or null. */
  readonly problem: string | null;
  /** Traps that came back to the attacker. */
  readonly executed: number;
}

export async function runCase(traps: readonly RandomTrap[]): Promise<CaseResult> {
  const kernel = new Kernel({ memoryBytes: 1 << 20, maxSteps: 10_000 });
  const problems: string[] = [];
  let executed = 0;
  let secretAt = 0;
  let innocent = 0;
  let innocentSecret = 0;
  let attacker = 0;
  const victim = kernel.spawn({
    name: "victim",
    privileged: true,
    program: async (sys: Sys) => {
      const door = await sys.kernel.ipcCreate(2, 0);
      const served = await sys.kernel.ipcCreate(2, 0);
      secretAt = await sys.kernel.memAlloc(0, 4096, 3);
      sys.memory.write32(secretAt, SECRET);
      const b = await sys.messageBuffer();
      innocent = kernel.spawn({
        name: "innocent",
        descriptors: [{ pid: sys.pid, descriptor: served, rights: 0x01 }],
        program: async (c: Sys) => {
          const own = await c.kernel.memAlloc(0, 4096, 3);
          c.memory.write32(own, SECRET);
          innocentSecret = own;
          const m = await c.messageBuffer();
          for (let i = 0; i < 4; i++) {
            c.trap.args.set([0x8000, 1, m.address, pack(64, 16, 0)]);
            await c.trap.enter();
            const [r0, r1, r2, r3] = c.trap.args;
            const failure = r0 === -1 && r2 !== 0;
            if (failure ? !(ERRNOS.has(r1!) && (r2 === 1 || r2 === 2)) : r2 !== 0 || ((r3! >>> 8) & 0xfff) > 64) {
              problems.push(`innocent got ${c.trap.args.join(",")}`);
            }
          }
          return 0;
        },
      });
      attacker = kernel.spawn({
        name: "attacker",
        descriptors: [
          { pid: sys.pid, descriptor: door, rights: 0x01 },
          { pid: sys.pid, descriptor: served, rights: 0x23 },
        ],
        program: async (a: Sys) => {
          await a.kernel.memAlloc(HEAP_BASE, 8192, 3);
          for (const t of traps) {
            const trap = t.via === "int" ? a.trap : a.sysenter;
            trap.args.set([t.fn, t.target, t.ptr, t.sizes]);
            await trap.enter();
            executed++;
            // A failure is -1, a known errno and origin 1 or 2; a reply may carry retval -1 with arg2 = 0.
            const [r0, r1, r2] = trap.args;
            if (r0 === -1 && r2 !== 0 && !(ERRNOS.has(r1!) && (r2 === 1 || r2 === 2))) {
              problems.push(`trap ${JSON.stringify(t)} -> ${trap.args.join(",")}`);
            }
          }
          return 0;
        },
      });
      if (attacker < 0) problems.push("attacker did not start");
      let r = [0, 0, 0, 0];
      const t = sys.trap;
      t.args.set([RECEIVE, door, b.address, pack(4095, 0, 0)]);
      for (;;) {
        await t.enter();
        r = Array.from(t.args);
        if (r[0] === -1) return 0;
        t.args.set([REPLY_RECEIVE, r[1]!, b.address, pack(4095, Math.min(r[3]! >>> 8 & 0xfff, 64), 0)]);
      }
    },
  });
  try {
    const end = await kernel.run();
    if (end.end === "step-limit") return { problem: null, executed };
    const info = kernel.processInfo(victim)!;
    if (info.state !== "live") problems.push(`victim ended: ${JSON.stringify(info)}`);
    const secret = kernel.debugRead(victim, secretAt, 4);
    if (secret === null || new DataView(secret.buffer).getUint32(0, true) !== SECRET) problems.push("victim memory changed");
    if (kernel.descriptorsOf(victim).length !== 2) problems.push("victim descriptors changed");
    const fault = kernel.processInfo(attacker)?.fault ?? null;
    if (fault !== null) problems.push(`attacker faulted: ${fault}`);
    const other = kernel.processInfo(innocent)!;
    if (other.fault !== null) problems.push(`innocent faulted: ${other.fault}`);
    if (other.state === "live") {
      const mine = kernel.debugRead(innocent, innocentSecret, 4);
      if (mine === null || new DataView(mine.buffer).getUint32(0, true) !== SECRET) problems.push("innocent memory changed");
      if (kernel.descriptorsOf(innocent).length !== 1) problems.push("innocent descriptors changed");
    }
    for (const p of kernel.listProcesses()) kernel.kill(p.pid, "end of case");
    if (kernel.usedFrames !== 0) problems.push(`${kernel.usedFrames} frames leaked`);
  } catch (e) {
    problems.push(`emulator threw: ${e instanceof Error ? e.stack : String(e)}`);
  }
  return { problem: problems.length === 0 ? null : problems.join("\n"), executed };
}

/** The property over `runs` cases of up to 12 traps. */
export async function checkRandomTraps(runs: number, seed?: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(randomTrap, { maxLength: 12 }), async (traps) => {
      const { problem } = await runCase(traps);
      if (problem !== null) throw new Error(problem);
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
}
