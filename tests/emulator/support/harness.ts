/**
 * Helpers for emulator tests: a kernel with a door, raw trap calls that
 * return the four result registers, and the arg3 packing.
 */
import { Kernel, type KernelOptions } from "../../../emulator/kernel/index.js";
import type { ProgramEntry, Sys } from "../../../emulator/program/index.js";

export const pack = (total: number, data: number, descN: number) => ((total << 20) | (data << 8) | descN) | 0;

/** Sets the four argument registers, traps, and returns a copy of the results. */
export async function trap(sys: Sys, a0: number, a1: number, a2: number, a3: number, via: "int" | "sysenter" = "int") {
  const t = via === "int" ? sys.trap : sys.sysenter;
  t.args[0] = a0;
  t.args[1] = a1;
  t.args[2] = a2;
  t.args[3] = a3;
  await t.enter();
  return [t.args[0]!, t.args[1]!, t.args[2]!, t.args[3]!] as const;
}

export interface World {
  readonly kernel: Kernel;
  /** pid of the owner process that holds the door as descriptor 1 (a privileged "server"). */
  readonly ownerPid: number;
}

/**
 * Boots a kernel whose first process (privileged) creates a door of `objectClass`
 * and runs `server(sys, door)`; `clients` start with a SEND reference to it as descriptor 1.
 */
export function world(
  server: (sys: Sys, door: number) => Promise<number>,
  clients: readonly ProgramEntry[],
  options: KernelOptions & { objectClass?: number; clientRights?: number } = {},
): World {
  const kernel = new Kernel({ memoryBytes: 4 * 1024 * 1024, ...options });
  const ownerPid = kernel.spawn({
    name: "server",
    privileged: true,
    program: async (sys) => {
      const door = await sys.kernel.ipcCreate(options.objectClass ?? 2, 0);
      if (door < 0) return 100;
      for (const c of clients) {
        const pid = kernel.spawn({ program: c, descriptors: [{ pid: sys.pid, descriptor: door, rights: options.clientRights ?? 0x01 }] });
        if (pid < 0) return 101;
      }
      return server(sys, door);
    },
  });
  return { kernel, ownerPid };
}

export const RECEIVE = 1;
export const REPLY = 2;
export const REPLY_RECEIVE = 3;
export const REPLY_ERROR = 4;

/** A server that answers every request with `retval` = the request's first word + 1 and errno word 7. */
export async function adder(sys: Sys, door: number): Promise<number> {
  const buf = await sys.messageBuffer();
  let r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
  for (;;) {
    if (r[0] === -1) return r[1];
    buf.view.setInt32(0, buf.view.getInt32(0, true) + 1, true);
    buf.view.setInt32(4, 7, true);
    r = await trap(sys, REPLY_RECEIVE, r[1], buf.address, pack(4095, 8, 0));
  }
}

/** Boots, runs to the end, and returns the kernel. */
export async function run(
  server: (sys: Sys, door: number) => Promise<number>,
  clients: readonly ProgramEntry[],
  options: KernelOptions & { objectClass?: number; clientRights?: number } = {},
) {
  const w = world(server, clients, options);
  const result = await w.kernel.run();
  return { ...w, result };
}

/** Runs one unprivileged program alone; returns the kernel after the run. */
export async function solo(entry: ProgramEntry, options: KernelOptions = {}) {
  const kernel = new Kernel({ memoryBytes: 2 * 1024 * 1024, ...options });
  const pid = kernel.spawn({ program: entry });
  const result = await kernel.run();
  return { kernel, pid, result };
}
