/**
 * IPC round trips on the emulator, against what a user could do instead:
 *
 *   generated stubs   CounterClient.ping -> kernel -> CounterDispatcher -> ping() -> REPLY_RECEIVE -> client
 *   raw traps         the same round trip with hand-written register traps (no stubs);
 *                     the mixed rows show which side's stubs cost what
 *   direct await     `await impl.ping()` in one async function: the limit
 *   promise hand-off  two async functions in one realm passing a resolver back and forth,
 *                     and the same with the server in its own node:vm context
 *   MessageChannel    a request and a reply over Node's MessageChannel
 *
 * Then heap growth over 1,000,000 raw round trips, measured after a full GC
 * when the process runs with --expose-gc:
 *   node --expose-gc --import tsx bench/run.ts ipc
 */
import { createContext, runInContext } from "node:vm";
import { MessageChannel } from "node:worker_threads";
import { Kernel } from "../emulator/kernel/index.js";
import type { Sys } from "../emulator/program/index.js";
import type { MessageBuffer, Trap } from "../runtime/trap.js";
import { generateStubs } from "../tests/emulator/support/generate.js";
import { fmt, printTable } from "./table.js";

const CALLS = 300_000;
const ROUNDS = 3;

/** Calls per second of wall time, and per second of this process's CPU time (the machine is shared). */
type Rate = readonly [wall: number, cpu: number];

async function best(measure: () => Promise<Rate>): Promise<Rate> {
  let wall = 0;
  let cpu = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const [w, c] = await measure();
    wall = Math.max(wall, w);
    cpu = Math.max(cpu, c);
  }
  return [wall, cpu];
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Times `run` (which makes `calls` calls) in wall and CPU time. */
async function rate(calls: number, run: () => Promise<void>): Promise<Rate> {
  const wall = performance.now();
  const cpu = cpuMs();
  await run();
  return [(calls * 1000) / (performance.now() - wall), (calls * 1000) / (cpuMs() - cpu)];
}

interface CounterModule {
  CounterClient: new (trap: Trap, buffer: MessageBuffer, target: number) => { ping(): Promise<unknown> };
  serveCounter(trap: Trap, buffer: MessageBuffer, object: number, impl: object): Promise<never>;
}

const impl = { ping: () => {}, add: () => ({ total: 0 }), greet: () => ({ greeting: "" }), swap: () => ({ same: 0, fresh: 0 }) };

/** Boots a server and one client that makes `calls` calls; returns the client's calls per second. */
async function onEmulator(
  server: (sys: Sys, door: number) => Promise<number>,
  client: (sys: Sys, calls: number) => Promise<void>,
  calls: number,
): Promise<Rate> {
  const kernel = new Kernel({ memoryBytes: 1 << 20 });
  let measured: Rate | null = null;
  kernel.spawn({
    privileged: true,
    program: async (sys) => {
      const door = await sys.kernel.ipcCreate(2, 0);
      kernel.spawn({
        descriptors: [{ pid: sys.pid, descriptor: door, rights: 0x01 }],
        program: async (c) => {
          measured = await rate(calls, () => client(c, calls));
          return 0;
        },
      });
      return server(sys, door);
    },
  });
  await kernel.run();
  const failed = kernel.listProcesses().find((p) => p.fault !== null);
  if (failed !== undefined || measured === null) throw new Error(`benchmark program failed: ${failed?.fault ?? "no result"}`);
  return measured;
}

/** Answers every call with an 8-byte reply (retval 0, errno 0), as a generated reply would be. */
async function rawServer(sys: Sys, door: number): Promise<number> {
  const b = await sys.messageBuffer();
  const a = sys.trap.args;
  a[0] = 1;
  a[1] = door;
  a[2] = b.address;
  a[3] = 4095 << 20;
  for (;;) {
    await sys.trap.enter();
    if (a[0] === -1) return 0;
    a[0] = 3;
    a[1] = 0;
    a[2] = b.address;
    a[3] = (4095 << 20) | (8 << 8);
  }
}

async function rawClient(sys: Sys, calls: number): Promise<void> {
  const a = sys.trap.args;
  const b = await sys.messageBuffer();
  for (let i = 0; i < calls; i++) {
    a[0] = 0x8000;
    a[1] = 1;
    a[2] = b.address;
    a[3] = 8 << 20;
    await sys.trap.enter();
    if (a[0] !== 0) throw new Error(`raw call failed: ${a.join(",")}`);
  }
}

async function directAwait(calls: number): Promise<Rate> {
  const call = { cookie: 0 };
  const handler = async () => impl.ping();
  return rate(calls, async () => {
    for (let i = 0; i < calls; i++) await handler.call(call);
  });
}

async function promiseHandOff(calls: number): Promise<Rate> {
  let toServer: (() => void) | null = null;
  let toClient: (() => void) | null = null;
  const server = async () => {
    for (;;) {
      await new Promise<void>((r) => (toServer = r));
      toClient!();
    }
  };
  void server();
  return rate(calls, async () => {
    for (let i = 0; i < calls; i++) {
      const reply = new Promise<void>((r) => (toClient = r));
      toServer!();
      await reply;
    }
  });
}

/** The hand-off with the server loop compiled in a separate node:vm context (its own globals and Promise). */
async function vmHandOff(calls: number): Promise<Rate> {
  let toServer: (() => void) | null = null;
  let toClient: (() => void) | null = null;
  const hooks = { park: (r: () => void) => (toServer = r), reply: () => toClient!() };
  const start = runInContext(
    "(hooks) => (async () => { for (;;) { await new Promise((r) => hooks.park(r)); hooks.reply(); } })()",
    createContext({}),
  ) as (h: typeof hooks) => Promise<void>;
  void start(hooks);
  return rate(calls, async () => {
    for (let i = 0; i < calls; i++) {
      const reply = new Promise<void>((r) => (toClient = r));
      toServer!();
      await reply;
    }
  });
}

async function messageChannel(calls: number): Promise<Rate> {
  const { port1, port2 } = new MessageChannel();
  port2.on("message", (m) => port2.postMessage(m));
  let resolve: ((v: unknown) => void) | null = null;
  port1.on("message", (m) => resolve!(m));
  const measured = await rate(calls, async () => {
    for (let i = 0; i < calls; i++) {
      const reply = new Promise((r) => (resolve = r));
      port1.postMessage(i);
      await reply;
    }
  });
  port1.close();
  port2.close();
  return measured;
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc!();
  return process.memoryUsage().heapUsed;
}

/** Heap after a full GC before and after `calls` round trips made by `loop` (after 1,000 warm-up calls). */
async function heapGrowth(
  server: (sys: Sys, door: number) => Promise<number>,
  client: (sys: Sys) => Promise<(n: number) => Promise<void>>,
  calls: number,
): Promise<[number, number] | null> {
  if (typeof (globalThis as { gc?: unknown }).gc !== "function") return null;
  let before = 0;
  let after = 0;
  await onEmulator(
    server,
    async (sys, n) => {
      const loop = await client(sys);
      await loop(1000);
      before = heapUsed();
      await loop(n);
      after = heapUsed();
    },
    calls,
  );
  return [before, after];
}

export default async function ipcBench(): Promise<void> {
  const counter = (await import(generateStubs("tests/emulator/usertests/idl/counter.idl", "emulator/counter"))) as CounterModule;
  const stubServer = async (sys: Sys, door: number) => {
    await counter.serveCounter(sys.trap, await sys.messageBuffer(), door, impl);
    return 0;
  };
  const stubClient = async (sys: Sys, calls: number) => {
    const c = new counter.CounterClient(sys.trap, await sys.messageBuffer(), 1);
    for (let i = 0; i < calls; i++) await c.ping();
  };
  // Warm up every path once so that the measured runs are compiled code.
  await onEmulator(stubServer, stubClient, 20_000);
  await onEmulator(rawServer, rawClient, 20_000);
  await directAwait(20_000);
  await promiseHandOff(20_000);
  await vmHandOff(20_000);
  await messageChannel(5_000);

  // Each figure is the best of ROUNDS runs: on a shared machine the best run is the least disturbed one.
  const direct = await best(() => directAwait(CALLS));
  const rows: [string, Rate][] = [
    ["emulator, generated stubs", await best(() => onEmulator(stubServer, stubClient, CALLS))],
    ["emulator, stub client + raw server", await best(() => onEmulator(rawServer, stubClient, CALLS))],
    ["emulator, raw client + stub server", await best(() => onEmulator(stubServer, rawClient, CALLS))],
    ["emulator, raw traps", await best(() => onEmulator(rawServer, rawClient, CALLS))],
    ["direct await of the handler", direct],
    ["promise hand-off, one realm", await best(() => promiseHandOff(CALLS))],
    ["promise hand-off, node:vm contexts", await best(() => vmHandOff(CALLS))],
    ["MessageChannel round trip", await best(() => messageChannel(CALLS / 3))],
  ];
  // CPU time counts only this process's work: on a loaded machine it is the steadier figure.
  const stubs = rows[0]![1];
  printTable(
    `IPC null-call round trips (${fmt(CALLS)} calls, best of ${ROUNDS}; goal: emulator >= 1,000,000/s)`,
    ["path", "calls/s", "calls/CPU-s", "vs direct await (CPU)", "emulator stubs vs this (CPU)"],
    rows.map(([name, [wall, cpu]]) => [
      name,
      fmt(wall),
      fmt(cpu),
      `${fmt(cpu / direct[1], 3)}x`,
      `${fmt(stubs[1] / cpu, 2)}x`,
    ]),
  );
  console.log(
    `goal: generated stubs >= 1,000,000 round trips/s -> ${fmt(stubs[0])}/s wall, ${fmt(stubs[1])}/CPU-s ` +
      `${stubs[1] >= 1_000_000 ? "(met in CPU time)" : "(missed)"}`,
  );

  const rawLoop = async (sys: Sys) => (n: number) => rawClient(sys, n);
  const stubLoop = async (sys: Sys) => {
    const c = new counter.CounterClient(sys.trap, await sys.messageBuffer(), 1);
    return async (n: number) => {
      for (let i = 0; i < n; i++) await c.ping();
    };
  };
  const heaps: [string, [number, number] | null][] = [
    ["raw traps", await heapGrowth(rawServer, rawLoop, 1_000_000)],
    ["generated stubs", await heapGrowth(stubServer, stubLoop, 1_000_000)],
  ];
  printTable(
    "Heap over 1,000,000 round trips (after full GC)",
    ["path", "before", "after", "growth"],
    heaps.map(([name, heap]) =>
      heap === null
        ? [name, "n/a", "n/a", "run: node --expose-gc --import tsx bench/run.ts ipc"]
        : [name, `${fmt(heap[0] / 1024)} KiB`, `${fmt(heap[1] / 1024)} KiB`, `${fmt((heap[1] - heap[0]) / 1024, 1)} KiB`],
    ),
  );
}
