/**
 * The process manager's state and its operations (docs/abi.md 1.6), independent
 * of how requests arrive: the server program (`procmgr-program.ts`) decodes
 * a request, names the caller by the pid the kernel put in its cookie, and
 * calls one method here. Each method decides through `policy.ts` first and
 * only then acts, so a refusal leaves nothing changed.
 *
 * Identity: a caller is always a pid taken from the kernel-set cookie, never
 * from message data; its domain is the one it was spawned in and nothing here
 * changes it.
 *
 * References: for every object it creates, the manager keeps the owner's
 * reference (a copy goes to the creator in the reply) and a send-only one
 * (copies go out on lookup). Both close when the creator exits, which
 * destroys the object: a name outlives neither.
 */
import type { Manifest } from "../image/manifest.js";
import { DEFAULT_ID, PROCMGR_DOMAIN } from "../image/manifest.js";
import { Errno } from "./errno.js";
import { type ListEntry, Namespace, type ObjectRefs } from "./namespace.js";
import { checkName } from "./names.js";
import { type Decision, decideCreate, decideList, decideLookup, decideSpawn, decideWatch } from "./policy.js";

/**
 * What the manager needs from the kernel. The server program implements it
 * with kernel calls over the traps of one thread; every method that acts
 * takes the port of the thread running it, since a thread may only trap for
 * itself.
 */
export interface ProcmgrKernel {
  /** ipc_create, then a send-only duplicate. */
  createObject(system: boolean, typeId: number): Promise<Decision<ObjectRefs>>;
  closeDescriptor(desc: number): Promise<void>;
  /** process_spawn: starts an image program in a domain; gives its pid and the manager's process descriptor. */
  spawn(program: string, domainId: number): Promise<Decision<{ readonly pid: number; readonly process: number }>>;
  /** Sends ProcmgrEvents.process_exited to the owner of the object `target` names. */
  notifyExit(target: number, pid: number, status: number): Promise<void>;
  /** desc_dup, then desc_set_cookie: a copy of `send` that the reply hands over with `cookie` in it. */
  stamped(send: number, cookie: number): Promise<Decision<number>>;
  /** process_kill: ends the process the manager's process descriptor names. */
  kill(process: number, status: number): Promise<Decision<0>>;
}

/** A RAM-disk file as the manager holds it: a read-only memory object the boot code made for it. */
export interface RamDiskObject {
  readonly path: string;
  readonly size: number;
  /** The manager's descriptor of the file's memory object (map, read, dup). */
  readonly descriptor: number;
}

/** What `identify` tells a server about a process. */
export interface Identity {
  readonly uid: number;
  readonly gid: number;
  readonly domain: string;
}

export interface ProcessRecord {
  readonly pid: number;
  readonly program: string;
  readonly domain: string;
  readonly parent: number;
  /** The manager's process descriptor for it (0 for the manager itself). */
  readonly process: number;
  alive: boolean;
  /** Its references closed and its subscribers told (`exited` ran). */
  cleaned: boolean;
  status: number;
  /** The manager's references to objects this process created and no name holds. */
  readonly objects: ObjectRefs[];
  /** Who asked to be told of this process's exit: the subscriber's pid and its object. */
  readonly watchers: { readonly pid: number; readonly target: number }[];
}

/** The pid the kernel gives the process manager itself: it is started first. */
export const PROCMGR_PID = 1;
/** `Events.EXIT` of idl/procmgr.idl. */
export const EVENT_EXIT = 0x1;

/**
 * Per-process quotas: each object costs the manager two descriptors and each
 * subscription one, out of its table of 1024, so no process may use them all.
 * Over quota: ENOSPC.
 */
export const MAX_OBJECTS_PER_PROCESS = 64;
export const MAX_SUBSCRIPTIONS_PER_PROCESS = 16;

export type WaitDecision =
  { readonly alive: false; readonly status: number } | { readonly alive: true; readonly process: number };

export class ProcessManager {
  readonly namespace = new Namespace();
  private readonly processes = new Map<number, ProcessRecord>();
  private readonly domainIds: ReadonlyMap<string, number>;
  private readonly typeIds: ReadonlyMap<string, number>;

  constructor(
    readonly manifest: Manifest,
    selfPid = PROCMGR_PID,
    private readonly ramDisk: readonly RamDiskObject[] = [],
  ) {
    // Numbers the kernel stores: 0 is the manager's own domain and type.
    this.domainIds = new Map([
      [PROCMGR_DOMAIN, 0],
      ...Object.keys(manifest.policy.domains).map((d, i) => [d, i + 1] as const),
    ]);
    this.typeIds = new Map(manifest.policy.types.map((t, i) => [t, i + 1]));
    this.processes.set(selfPid, record(selfPid, "procmgr", PROCMGR_DOMAIN, 0, 0));
  }

  domainId(domain: string): number {
    return this.domainIds.get(domain) ?? 0;
  }

  typeId(type: string): number {
    return this.typeIds.get(type) ?? 0;
  }

  process(pid: number): Readonly<ProcessRecord> | undefined {
    return this.processes.get(pid);
  }

  /** The caller's live record, or undefined when the pid is not one of ours. */
  private caller(pid: number): ProcessRecord | undefined {
    const p = this.processes.get(pid);
    return p?.alive ? p : undefined;
  }

  /** Starts the autostart programs (and init) in manifest order; gives the init program's pid. */
  async boot(kernel: ProcmgrKernel, selfPid = PROCMGR_PID): Promise<Decision<number>> {
    let init = 0;
    for (const program of this.manifest.programs) {
      if (!program.autostart && program.name !== this.manifest.init) continue;
      const started = await this.start(kernel, program.name, selfPid);
      if (!started.ok) return started;
      if (program.name === this.manifest.init) init = started.value.pid;
    }
    return { ok: true, value: init };
  }

  /** Creates an object for the caller; gives the owner reference to copy into its reply. */
  async create(kernel: ProcmgrKernel, pid: number, system: boolean, name: string | null): Promise<Decision<number>> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const decision = decideCreate(this.manifest.policy, caller.domain, { system, name }, (n) => this.namespace.has(n));
    if (!decision.ok) return decision;
    if (this.objectsOf(pid) >= MAX_OBJECTS_PER_PROCESS) return { ok: false, errno: Errno.ENOSPC };
    const made = await kernel.createObject(system, this.typeId(decision.value));
    if (!made.ok) return made;
    const refs = made.value;
    if (name === null) {
      caller.objects.push(refs);
    } else if (this.namespace.has(name) || !caller.alive) {
      // Taken, or the caller gone, while the kernel call was in flight.
      await closeBoth(kernel, refs);
      return { ok: false, errno: caller.alive ? Errno.EEXIST : Errno.ESRCH };
    } else {
      this.namespace.add({ name, refs, type: decision.value, system, owner: pid });
    }
    return { ok: true, value: refs.owner };
  }

  /** Gives the manager's send reference to the named object, to copy into the caller's reply. */
  lookup(pid: number, name: string): Decision<number> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const decision = decideLookup(this.manifest.policy, caller.domain, name, (n) => this.namespace.get(n)?.type);
    if (!decision.ok) return decision;
    return { ok: true, value: this.namespace.get(name)!.refs.send };
  }

  /**
   * A send reference to the named object whose cookie is the caller's pid,
   * handed over by the reply: the server's first cookie from it names the client.
   */
  async lookupStamped(kernel: ProcmgrKernel, pid: number, name: string): Promise<Decision<number>> {
    const found = this.lookup(pid, name);
    return found.ok ? kernel.stamped(found.value, pid) : found;
  }

  /** The RAM-disk files, in the image's order, for a program the manifest gives `ramDisk`. */
  ramdiskFiles(pid: number): Decision<readonly RamDiskObject[]> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    if (this.manifest.programs.find((p) => p.name === caller.program)?.ramDisk !== true) {
      return { ok: false, errno: Errno.EACCES };
    }
    return { ok: true, value: this.ramDisk };
  }

  /** The manager's descriptor and the size of a RAM-disk file, for a program the manifest gives `ramDisk`. */
  ramdiskOpen(pid: number, path: string): Decision<RamDiskObject> {
    const files = this.ramdiskFiles(pid);
    if (!files.ok) return files;
    const file = files.value.find((f) => f.path === path);
    if (!file) return { ok: false, errno: Errno.ENOENT };
    return file.descriptor === 0 ? { ok: false, errno: Errno.ENOMEM } : { ok: true, value: file };
  }

  /** The identity the manifest gives process `subject`'s program; the manager's own is uid 0, gid 0. */
  identify(pid: number, subject: number): Decision<Identity> {
    if (!this.caller(pid)) return { ok: false, errno: Errno.EPERM };
    const p = this.processes.get(subject);
    if (!p || !p.alive) return { ok: false, errno: Errno.ESRCH };
    if (p.domain === PROCMGR_DOMAIN) return { ok: true, value: { uid: 0, gid: 0, domain: p.domain } };
    const entry = this.manifest.programs.find((e) => e.name === p.program);
    return { ok: true, value: { uid: entry?.uid ?? DEFAULT_ID, gid: entry?.gid ?? DEFAULT_ID, domain: p.domain } };
  }

  /** Ends the caller with `status` (process_kill); its clean-up follows through its waiter, as for any exit. */
  async exit(kernel: ProcmgrKernel, pid: number, status: number): Promise<Decision<0>> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    if (caller.process === 0) return { ok: false, errno: Errno.EINVAL };
    return kernel.kill(caller.process, status);
  }

  /** Unregisters a name; only the process that registered it (or the manager) may. The object lives on. */
  close(pid: number, name: string): Decision<0> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const bad = checkName(name);
    if (bad !== 0) return { ok: false, errno: bad };
    const entry = this.namespace.get(name);
    if (!entry) return { ok: false, errno: Errno.ENOENT };
    if (entry.owner !== pid && caller.domain !== PROCMGR_DOMAIN) return { ok: false, errno: Errno.EPERM };
    this.namespace.remove(name);
    this.processes.get(entry.owner)?.objects.push(entry.refs);
    return { ok: true, value: 0 };
  }

  list(pid: number, dir: string): Decision<ListEntry[]> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const decision = decideList(this.manifest.policy, caller.domain, dir);
    if (!decision.ok) return decision;
    return { ok: true, value: this.namespace.list(dir, decision.value) };
  }

  /** Spawns a program of the image in its manifest domain (never the caller's choice). */
  async spawn(
    kernel: ProcmgrKernel,
    pid: number,
    program: string,
  ): Promise<Decision<{ readonly pid: number; readonly process: number }>> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const names = this.manifest.programs.map((p) => p.name);
    const decision = decideSpawn(this.manifest.policy, caller.domain, program, names);
    if (!decision.ok) return decision;
    return this.start(kernel, program, pid);
  }

  private async start(
    kernel: ProcmgrKernel,
    program: string,
    parent: number,
  ): Promise<Decision<{ readonly pid: number; readonly process: number }>> {
    const entry = this.manifest.programs.find((p) => p.name === program);
    if (!entry) return { ok: false, errno: Errno.ENOENT };
    const started = await kernel.spawn(program, this.domainId(entry.domain));
    if (!started.ok) return started;
    const { pid, process } = started.value;
    this.processes.set(pid, record(pid, program, entry.domain, parent, process));
    return started;
  }

  /** A child's status if it has ended, else the process descriptor to wait on. Only the parent may wait (else ESRCH). */
  wait(pid: number, child: number): Decision<WaitDecision> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const p = this.processes.get(child);
    if (!p || p.parent !== pid) return { ok: false, errno: Errno.ESRCH };
    return { ok: true, value: p.alive ? { alive: true, process: p.process } : { alive: false, status: p.status } };
  }

  /**
   * Asks for `events` of process `watched`, sent to `target` (a reference the
   * caller gave, which the manager now holds). The caller must be its parent,
   * share its domain, or have `watch` (policy decideWatch). On refusal the
   * caller of this method closes `target`.
   */
  subscribe(pid: number, watched: number, events: number, target: number): Decision<0> {
    const caller = this.caller(pid);
    const subject = this.processes.get(watched);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    if ((events & EVENT_EXIT) === 0) return { ok: false, errno: Errno.EINVAL };
    if (!subject || !subject.alive || subject.process === 0) return { ok: false, errno: Errno.ESRCH };
    const allowed = decideWatch(this.manifest.policy, caller.domain, {
      domain: subject.domain,
      isChild: subject.parent === pid,
    });
    if (!allowed.ok) return allowed;
    if (this.subscriptionsOf(pid) >= MAX_SUBSCRIPTIONS_PER_PROCESS) return { ok: false, errno: Errno.ENOSPC };
    subject.watchers.push({ pid, target });
    return { ok: true, value: 0 };
  }

  private objectsOf(pid: number): number {
    return this.namespace.countOwnedBy(pid) + (this.processes.get(pid)?.objects.length ?? 0);
  }

  private subscriptionsOf(pid: number): number {
    let n = 0;
    for (const p of this.processes.values()) for (const w of p.watchers) if (w.pid === pid) n++;
    return n;
  }

  /**
   * The synchronous part of an exit, for whoever learns of it first (a `wait`
   * or the waiter thread): the process is no longer alive and its names are
   * gone; `exited` closes the references later.
   */
  ended(pid: number, status: number): void {
    const p = this.processes.get(pid);
    if (!p || !p.alive) return;
    p.alive = false;
    p.status = status;
    p.objects.unshift(...this.namespace.removeOwnedBy(pid).map((e) => e.refs));
  }

  /**
   * A process has ended (the manager's waiter learned it from the kernel):
   * its names and the manager's references for it go, and its subscribers
   * are told.
   */
  async exited(kernel: ProcmgrKernel, pid: number, status: number): Promise<void> {
    const p = this.processes.get(pid);
    if (!p || p.cleaned) return;
    p.cleaned = true;
    this.ended(pid, status);
    const refs = p.objects.splice(0);
    const watchers = p.watchers.splice(0);
    for (const r of refs) await closeBoth(kernel, r);
    // Subscriptions the ended process held on others are dropped too.
    for (const other of this.processes.values()) {
      for (let i = other.watchers.length - 1; i >= 0; i--) {
        if (other.watchers[i].pid !== pid) continue;
        const [w] = other.watchers.splice(i, 1);
        await kernel.closeDescriptor(w.target);
      }
    }
    // Last: a notification waits until its subscriber answers it.
    for (const w of watchers) {
      if (this.processes.get(w.pid)?.alive) await kernel.notifyExit(w.target, pid, status);
      await kernel.closeDescriptor(w.target);
    }
  }
}

async function closeBoth(kernel: ProcmgrKernel, refs: ObjectRefs): Promise<void> {
  await kernel.closeDescriptor(refs.send);
  await kernel.closeDescriptor(refs.owner);
}

function record(pid: number, program: string, domain: string, parent: number, process: number): ProcessRecord {
  return { pid, program, domain, parent, process, alive: true, cleaned: false, status: 0, objects: [], watchers: [] };
}
