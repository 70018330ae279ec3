/**
 * Random deaths: servers with several receiving threads, clients calling
 * them, and a killer that ends random processes at random moments. No run
 * may throw, every result a client sees is a reply or an errno, and once all
 * is killed every frame is back.
 */
import fc from "fast-check";
import { EIO, Kernel } from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { RECEIVE, REPLY_RECEIVE, pack } from "./harness.js";

export interface Scenario {
  readonly serverThreads: number;
  readonly clients: number;
  readonly calls: number;
  /** [yields before the kill, index of the victim among the started processes] */
  readonly kills: readonly (readonly [number, number])[];
  readonly seed: number;
}

async function serverThread(t: Sys, door: number): Promise<number> {
  const b = await t.messageBuffer();
  const a = t.trap.args;
  a.set([RECEIVE, door, b.address, pack(4095, 0, 0)]);
  for (;;) {
    await t.trap.enter();
    if (a[0] === -1) return 0;
    b.view.setInt32(0, b.view.getInt32(0, true) * 2, true);
    a.set([REPLY_RECEIVE, 0, b.address, pack(4095, 8, 0)]);
  }
}

export async function runScenario(s: Scenario): Promise<{ problems: string[]; replies: number }> {
  const kernel = new Kernel({ memoryBytes: 2 << 20, seed: s.seed, maxSteps: 50_000 });
  const problems: string[] = [];
  const pids: number[] = [];
  let replies = 0;
  const server = kernel.spawn({
    privileged: true,
    program: async (sys) => {
      const door = await sys.kernel.ipcCreate(2, 0);
      for (let i = 0; i < s.clients; i++) {
        pids.push(
          kernel.spawn({
            descriptors: [{ pid: sys.pid, descriptor: door, rights: 0x01 }],
            program: async (c) => {
              const b = await c.messageBuffer();
              for (let j = 0; j < s.calls; j++) {
                b.view.setInt32(0, j + 1, true);
                c.trap.args.set([0x8000, 1, b.address, pack(64, 4, 0)]);
                await c.trap.enter();
                const [r0, r1, r2] = c.trap.args;
                const ok = r2 === 0 ? r0 === 2 * (j + 1) : r0 === -1 && r1 === EIO && r2 === 1;
                if (ok && r2 === 0) replies++;
                if (!ok) problems.push(`client ${c.pid} call ${j}: ${c.trap.args.join(",")}`);
              }
              return 0;
            },
          }),
        );
      }
      for (let i = 1; i < s.serverThreads; i++) await sys.createThread((t) => serverThread(t, door));
      return serverThread(sys, door);
    },
  });
  pids.unshift(server);
  kernel.spawn({
    program: async (sys) => {
      for (const [wait, victim] of s.kills) {
        for (let i = 0; i < wait; i++) await sys.kernel.threadYield();
        kernel.kill(pids[victim % pids.length]!, "killed at random");
      }
      return 0;
    },
  });
  try {
    await kernel.run();
    for (const p of kernel.listProcesses()) kernel.kill(p.pid, "end");
    if (kernel.usedFrames !== 0) problems.push(`${kernel.usedFrames} frames leaked`);
  } catch (e) {
    problems.push(`emulator threw: ${e instanceof Error ? e.stack : String(e)}`);
  }
  return { problems, replies };
}

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  serverThreads: fc.integer({ min: 1, max: 3 }),
  clients: fc.integer({ min: 1, max: 4 }),
  calls: fc.integer({ min: 1, max: 6 }),
  kills: fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.nat()), { maxLength: 3 }),
  seed: fc.nat(),
});

/** The property over `runs` random scenarios. */
export async function checkRandomFaults(runs: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      const { problems } = await runScenario(s);
      if (problems.length > 0) throw new Error(problems.join("\n"));
    }),
    { numRuns: runs },
  );
}
