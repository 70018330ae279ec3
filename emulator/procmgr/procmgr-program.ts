/**
 * The process manager as a program: the first process the kernel starts.
 * It serves idl/procmgr.idl on the door the kernel routes target-0 calls in
 * 0x0400-0x0FFF to, through the stub generated from that file, with several
 * threads so that a `wait` blocks one thread and not the manager. It spawns
 * the image's programs, and for each child a waiter thread blocks in the
 * kernel's process_wait and then cleans up after it (`ProcessManager.exited`).
 *
 * The caller of every request is the cookie the kernel gives it (its pid).
 * A refusal is a REPLY_ERROR with its errno (origin "server" at the client).
 */
import * as rt from "../../runtime/index.js";
import {
  type DirEntry,
  LIST_MAX,
  PROCMGR_BUFFER_SIZE,
  ProcmgrDispatcher,
  ProcmgrEventsClient,
  type ProcmgrServer,
  ProcmgrSizes,
  RAMDISK_LIST_MAX,
  type RamDiskEntry,
} from "../../gen/idl/procmgr.js";
import { KernelClient as KernelStub } from "../../gen/idl/kernel.js";
import { ObjectClass } from "../../gen/idl/types.js";
import type { Manifest } from "../image/manifest.js";
import type { ProgramEntry, Sys } from "../program/program.js";
import { Errno } from "./errno.js";
import { type ProcmgrKernel, ProcessManager, type RamDiskObject } from "./manager.js";
import type { ListEntry } from "./namespace.js";

/**
 * Reports from the manager to the code that booted it (never needed to do
 * its work): which object a name was registered for, for the trace.
 */
export interface ProcmgrHost {
  registered?(name: string, ownerDesc: number): void;
  /** The manager could not start the image (boot failed with this errno). */
  bootFailed?(errno: number): void;
}

export interface ProcmgrConfig {
  readonly manifest: Manifest;
  /** The manager's owner descriptor of the door the kernel routes process-manager calls to. */
  readonly door: number;
  readonly host: ProcmgrHost;
  /** Threads receiving on the door (at least 1). */
  readonly serveThreads?: number;
  /** The RAM-disk files as memory objects in the manager's table, made by the boot code. */
  readonly ramDisk?: readonly RamDiskObject[];
}

const SERVE_THREADS = 3;
/**
 * Live children the manager can track: each has a waiter thread, and the
 * kernel gives a process at most 64 threads (the serving ones included).
 */
export const MAX_LIVE_CHILDREN = 64 - SERVE_THREADS - 1;
const DIR_NAME_BYTES = 64;
const PATH_BYTES = 255;

/** A refusal on its way to the serve loop, which answers it with REPLY_ERROR. */
class Refusal extends Error {
  constructor(readonly errno: number) {
    super(`refused with errno ${errno}`);
  }
}

function refuse(errno: number): never {
  throw new Refusal(errno);
}

/** The generated dispatcher, with refusals turned into REPLY_ERROR instead of EIO. */
class RefusingDispatcher implements rt.Dispatcher {
  readonly bufferSize: number;
  constructor(private readonly inner: ProcmgrDispatcher) {
    this.bufferSize = inner.bufferSize;
  }
  async dispatch(call: rt.Call): Promise<rt.Outcome> {
    try {
      return await this.inner.dispatch(call);
    } catch (error) {
      if (error instanceof Refusal) return { kind: "reject", errno: error.errno, reason: error.message };
      throw error;
    }
  }
}

/** The manager's waiter threads, one per live child. */
interface Waiters {
  count(): number;
  start(sys: Sys, desc: number, pid: number): Promise<void>;
}

/** The kernel port of one thread of the manager: its own traps and stack page. */
function portOf(sys: Sys, waiters: Waiters): ProcmgrKernel {
  return {
    async createObject(system, typeId) {
      const owner = await sys.kernel.ipcCreate(system ? ObjectClass.SYSTEM : ObjectClass.USER, typeId);
      if (owner < 0) return { ok: false, errno: -owner };
      // DUP too: each lookup hands out a stamped send-only copy of it.
      const send = await sys.kernel.descDup(owner, rt.RIGHT_SEND | rt.RIGHT_DUP);
      if (send < 0) {
        await sys.kernel.descClose(owner);
        return { ok: false, errno: -send };
      }
      return { ok: true, value: { owner, send } };
    },
    async closeDescriptor(desc) {
      await sys.kernel.descClose(desc);
    },
    async spawn(program, domainId) {
      if (waiters.count() >= MAX_LIVE_CHILDREN) return { ok: false, errno: Errno.EAGAIN };
      // The stub generated from kernel.idl: process_spawn's retval is the new pid.
      let started: { retval: number; process: number };
      try {
        started = await new KernelStub(sys.trap, sys.stack).process_spawn(program, domainId);
      } catch (error) {
        if (error instanceof rt.DoorError) return { ok: false, errno: error.errno };
        throw error;
      }
      await waiters.start(sys, started.process, started.retval);
      return { ok: true, value: { pid: started.retval, process: started.process } };
    },
    async stamped(send, cookie) {
      const copy = await sys.kernel.descDup(send, rt.RIGHT_SEND);
      if (copy < 0) return { ok: false, errno: -copy };
      const set = await sys.kernel.descSetCookie(copy, cookie);
      if (set < 0) {
        await sys.kernel.descClose(copy);
        return { ok: false, errno: -set };
      }
      return { ok: true, value: copy };
    },
    async kill(process, status) {
      const r = await sys.kernel.processKill(process, status);
      return r < 0 ? { ok: false, errno: -r } : { ok: true, value: 0 };
    },
    async notifyExit(target, pid, status) {
      try {
        await new ProcmgrEventsClient(sys.trap, sys.stack, target).process_exited(pid, status);
      } catch (error) {
        // A subscriber that is gone or refuses the notification changes nothing here.
        if (!(error instanceof rt.DoorError)) throw error;
      }
    },
  };
}

export function procmgrProgram(config: ProcmgrConfig): ProgramEntry {
  return async (sys) => {
    const waiting = new Map<number, number>();
    const servers = new Map<rt.Trap, Sys>();
    const waiter: ProgramEntry = async (tsys) => {
      const desc = tsys.argument;
      const result = await tsys.kernel.processWait(desc);
      // A number is an errno: the descriptor is not a process reference, which the manager never hands here.
      if (typeof result === "number") return 1;
      await manager.exited(port(tsys), waiting.get(desc) ?? 0, result.status);
      waiting.delete(desc);
      await tsys.kernel.descClose(desc);
      return 0;
    };
    const waiters: Waiters = {
      count: () => waiting.size,
      async start(tsys, desc, pid) {
        waiting.set(desc, pid);
        await tsys.createThread(waiter, desc);
      },
    };
    const port = (tsys: Sys) => portOf(tsys, waiters);
    const manager = new ProcessManager(config.manifest, sys.pid, config.ramDisk ?? []);
    const dispatcher = new RefusingDispatcher(new ProcmgrDispatcher(serverFor(manager, config.host, servers, port)));
    const serveOne: ProgramEntry = async (tsys) => {
      servers.set(tsys.trap, tsys);
      const buffer = await tsys.messageBuffer(PROCMGR_BUFFER_SIZE);
      return rt.serve(tsys.trap, buffer, config.door, dispatcher);
    };

    const booted = await manager.boot(port(sys), sys.pid);
    if (!booted.ok) {
      config.host.bootFailed?.(booted.errno);
      return booted.errno;
    }
    for (let i = 1; i < Math.max(1, config.serveThreads ?? SERVE_THREADS); i++) await sys.createThread(serveOne);
    return serveOne(sys);
  };
}

function serverFor(
  manager: ProcessManager,
  host: ProcmgrHost,
  servers: ReadonlyMap<rt.Trap, Sys>,
  port: (sys: Sys) => ProcmgrKernel,
): ProcmgrServer {
  const ok = <T>(d: { ok: true; value: T } | { ok: false; errno: number }): T => (d.ok ? d.value : refuse(d.errno));
  /** The serving thread that received `call`: kernel calls must trap on it. */
  const thread = (call: rt.Call): Sys => servers.get(call.trap) ?? refuse(Errno.EIO);
  return {
    async create({ object_class, name }, call) {
      const named = name === "" ? null : name;
      const owner = ok(
        await manager.create(port(thread(call)), call.cookie, object_class === ObjectClass.SYSTEM, named),
      );
      if (named !== null) host.registered?.(named, owner);
      return { object: owner };
    },
    async lookup({ name }, call) {
      // Refused before the stamped copy is made: a reply the caller cannot take would leave it here.
      if (call.callerTotalSize < ProcmgrSizes.lookup.reply.total) refuse(Errno.E2BIG);
      return { object: ok(await manager.lookupStamped(port(thread(call)), call.cookie, name)) };
    },
    close({ name }, call) {
      ok(manager.close(call.cookie, name));
    },
    async spawn({ program }, call) {
      const started = ok(await manager.spawn(port(thread(call)), call.cookie, program));
      return { pid: started.pid, process: started.process };
    },
    async wait({ pid }, call) {
      const decision = ok(manager.wait(call.cookie, pid));
      if (!decision.alive) return { status: decision.status };
      const result = await thread(call).kernel.processWait(decision.process);
      if (typeof result === "number") return result < 0 ? refuse(-result) : { status: result };
      // Its names and identity go before the parent hears of it; the waiter thread does the rest.
      manager.ended(pid, result.status);
      return { status: result.status };
    },
    async exit({ status }, call) {
      // The caller is gone once this returns: the reply is dropped by the kernel.
      ok(await manager.exit(port(thread(call)), call.cookie, status));
    },
    list({ directory, cursor }, call) {
      const entries = ok(manager.list(call.cookie, directory));
      if (cursor > entries.length) refuse(Errno.EINVAL);
      const page = entries.slice(cursor, cursor + LIST_MAX).map(dirEntry);
      const next = cursor + page.length < entries.length ? cursor + page.length : 0;
      return { entries: page, next };
    },
    subscribe({ pid, events, target }, call) {
      ok(manager.subscribe(call.cookie, pid, events, target));
    },
    ramdisk_open({ path }, call) {
      // The reply copies the manager's own reference (map, read, dup): the object stays read-only.
      const file = ok(manager.ramdiskOpen(call.cookie, path));
      return { size: file.size, file: file.descriptor };
    },
    identify({ pid }, call) {
      return ok(manager.identify(call.cookie, pid));
    },
    ramdisk_list({ cursor }, call) {
      const files = ok(manager.ramdiskFiles(call.cookie));
      if (cursor > files.length) refuse(Errno.EINVAL);
      const page = files.slice(cursor, cursor + RAMDISK_LIST_MAX).map(ramDiskEntry);
      const next = cursor + page.length < files.length ? cursor + page.length : 0;
      return { entries: page, next };
    },
  };
}

const utf8 = new TextEncoder();

/** A RAM-disk file as idl/procmgr.idl's RamDiskEntry; a longer path is cut at 255 bytes. */
function ramDiskEntry(f: RamDiskObject): RamDiskEntry {
  const path = new Uint8Array(PATH_BYTES);
  const bytes = utf8.encode(f.path).subarray(0, PATH_BYTES);
  path.set(bytes);
  return { path, path_length: bytes.length, size: f.size };
}

/** A listing entry as idl/procmgr.idl's DirEntry; a longer component is cut at 64 bytes. */
function dirEntry(e: ListEntry): DirEntry {
  const name = new Uint8Array(DIR_NAME_BYTES);
  const bytes = utf8.encode(e.name).subarray(0, DIR_NAME_BYTES);
  name.set(bytes);
  return {
    name,
    name_length: bytes.length,
    directory: e.directory,
    object_class: e.system ? ObjectClass.SYSTEM : ObjectClass.USER,
  };
}
