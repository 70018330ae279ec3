/**
 * Boots sysvd and its clients on a bare emulated kernel, doing the process
 * manager's part by hand: one door per client, created by the daemon, whose
 * only send reference goes to that client at spawn. Tests and benchmarks
 * use it until the process manager hands out identity-stamped references.
 */
import { Kernel, type RunResult } from "../../emulator/kernel/index.js";
import type { ProgramEntry } from "../../emulator/program/program.js";
import { serveSysv } from "./sysvd.js";

const SYSTEM = 1;
const SEND = 1;

export interface SysvClientSpec {
  readonly name: string;
  /** Starts with the daemon's door as its descriptor 1 (`sys.descriptors[0]`). */
  readonly program: ProgramEntry;
  readonly uid: number;
  readonly gid: number;
  readonly groups?: readonly number[];
}

export interface SysvRun {
  readonly end: RunResult;
  /** Each client's exit status by name; undefined for one that did not exit. */
  readonly statuses: Record<string, number | undefined>;
}

export interface SysvRunOptions {
  readonly memoryBytes?: number;
  /** Kernel entries before the run stops. */
  readonly maxSteps?: number;
}

export async function runSysv(clients: readonly SysvClientSpec[], options: SysvRunOptions = {}): Promise<SysvRun> {
  const kernel = new Kernel({ memoryBytes: options.memoryBytes ?? 8 << 20, maxSteps: options.maxSteps ?? 1_000_000 });
  const status = new Map<number, number>();
  kernel.onExit((pid, s) => status.set(pid, s));
  const pids: number[] = [];
  kernel.spawn({
    name: "sysvd",
    privileged: true,
    program: async (sys) => {
      const doors: number[] = [];
      for (let i = 0; i < clients.length; i++) doors.push(await sys.kernel.ipcCreate(SYSTEM, 0));
      for (const [i, c] of clients.entries()) {
        const descriptors = [{ pid: sys.pid, descriptor: doors[i]!, rights: SEND }];
        pids.push(kernel.spawn({ name: c.name, program: c.program, descriptors }));
      }
      const served = clients.map((c, i) => ({
        door: doors[i]!,
        caller: { pid: pids[i]!, uid: c.uid, gid: c.gid, groups: c.groups },
      }));
      return serveSysv(sys, served);
    },
  });
  const end = await kernel.run();
  return { end, statuses: Object.fromEntries(clients.map((c, i) => [c.name, status.get(pids[i]!)])) };
}
