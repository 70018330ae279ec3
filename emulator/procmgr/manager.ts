/**
 * The process manager's state and its operations (DESIGN 1.6), independent
 * of how requests arrive: the server program (`procmgr-program.ts`) decodes
 * a request, names the caller by the pid the kernel put in its cookie, and
 * calls one method here. Each method decides through `policy.ts` first and
 * only then acts, so a refusal leaves nothing changed.
 *
 * Identity: a caller is always a pid taken from the kernel-set cookie, never
 * from message data; its domain is the one it was spawned in and nothing here
 * changes it.
 */
import type { Manifest } from "../image/manifest.js";
import { PROCMGR_DOMAIN } from "../image/manifest.js";
import { Errno } from "./errno.js";
import { Namespace } from "./namespace.js";
import { checkName } from "./names.js";
import { type Decision, decideCreate, decideList, decideLookup, decideSpawn, objectTypeFor } from "./policy.js";

/** What the manager needs from the kernel; the server program implements it with kernel calls. */
export interface ProcmgrKernel {
  /** ipc_create: the owner reference (for the caller) and a reference the manager keeps. */
  createObject(system: boolean, typeId: number): Promise<Decision<{ readonly owner: number; readonly keep: number }>>;
  closeDescriptor(desc: number): Promise<void>;
  /** process_spawn: starts an image program in a domain; gives its pid and a process descriptor. */
  spawn(program: string, domainId: number): Promise<Decision<{ readonly pid: number; readonly process: number }>>;
  /** Sends an exit notification to the owner of the object `target` names. */
  notifyExit(target: number, pid: number, status: number): Promise<void>;
}

export interface ProcessRecord {
  readonly pid: number;
  readonly program: string;
  readonly domain: string;
  readonly parent: number;
  alive: boolean;
  status: number;
  /** References the manager keeps for anonymous objects this process created. */
  readonly anonymous: number[];
  /** Who asked to be told of this process's exit: the watcher's pid and its object. */
  readonly watchers: { readonly pid: number; readonly target: number }[];
}

/** The pid the kernel gives the process manager itself. */
export const PROCMGR_PID = 1;

export class ProcessManager {
  readonly namespace = new Namespace();
  private readonly processes = new Map<number, ProcessRecord>();
  private readonly domainIds: ReadonlyMap<string, number>;
  private readonly typeIds: ReadonlyMap<string, number>;

  constructor(
    readonly manifest: Manifest,
    private readonly kernel: ProcmgrKernel,
  ) {
    // Numbers the kernel stores: 0 is the manager's own domain and type.
    this.domainIds = new Map([[PROCMGR_DOMAIN, 0], ...Object.keys(manifest.policy.domains).map((d, i) => [d, i + 1] as const)]);
    this.typeIds = new Map(manifest.policy.types.map((t, i) => [t, i + 1]));
    this.processes.set(PROCMGR_PID, record(PROCMGR_PID, "procmgr", PROCMGR_DOMAIN, 0));
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

  /** Starts the autostart programs in manifest order; gives the init program's pid. */
  async boot(): Promise<Decision<number>> {
    let init = 0;
    for (const program of this.manifest.programs) {
      if (!program.autostart && program.name !== this.manifest.init) continue;
      const started = await this.start(program.name, PROCMGR_PID);
      if (!started.ok) return started;
      if (program.name === this.manifest.init) init = started.value.pid;
    }
    return { ok: true, value: init };
  }

  async create(pid: number, system: boolean, name: string | null): Promise<Decision<number>> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const taken = (n: string) => this.namespace.has(n);
    const decision = decideCreate(this.manifest.policy, caller.domain, { system, name }, taken);
    if (!decision.ok) return decision;
    const made = await this.kernel.createObject(system, this.typeId(decision.value));
    if (!made.ok) return made;
    const { owner, keep } = made.value;
    if (name === null) {
      caller.anonymous.push(keep);
    } else if (this.namespace.has(name)) {
      // Taken while the kernel call was in flight.
      await this.kernel.closeDescriptor(keep);
      await this.kernel.closeDescriptor(owner);
      return { ok: false, errno: Errno.EEXIST };
    } else {
      this.namespace.add({ name, ref: keep, type: decision.value, system, owner: pid });
    }
    return { ok: true, value: owner };
  }

  /** Gives the manager's reference to the named object, to be copied into the caller's table. */
  lookup(pid: number, name: string): Decision<number> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const decision = decideLookup(this.manifest.policy, caller.domain, name, (n) => this.namespace.get(n)?.type);
    if (!decision.ok) return decision;
    return { ok: true, value: this.namespace.get(name)!.ref };
  }

  /** Unregisters a name; only the process that registered it (or the manager) may. */
  async close(pid: number, name: string): Promise<Decision<0>> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const bad = checkName(name);
    if (bad !== 0) return { ok: false, errno: bad };
    const entry = this.namespace.get(name);
    if (!entry) return { ok: false, errno: Errno.ENOENT };
    if (entry.owner !== pid && caller.domain !== PROCMGR_DOMAIN) return { ok: false, errno: Errno.EPERM };
    this.namespace.remove(name);
    await this.kernel.closeDescriptor(entry.ref);
    return { ok: true, value: 0 };
  }

  list(pid: number, dir: string): Decision<string[]> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const decision = decideList(this.manifest.policy, caller.domain, dir);
    if (!decision.ok) return decision;
    return { ok: true, value: this.namespace.list(dir, decision.value) };
  }

  /** Spawns a program of the image in its manifest domain (never the caller's choice). */
  async spawn(pid: number, program: string): Promise<Decision<{ readonly pid: number; readonly process: number }>> {
    const caller = this.caller(pid);
    if (!caller) return { ok: false, errno: Errno.EPERM };
    const names = this.manifest.programs.map((p) => p.name);
    const decision = decideSpawn(this.manifest.policy, caller.domain, program, names);
    if (!decision.ok) return decision;
    return this.start(program, pid);
  }

  private async start(program: string, parent: number): Promise<Decision<{ readonly pid: number; readonly process: number }>> {
    const entry = this.manifest.programs.find((p) => p.name === program);
    if (!entry) return { ok: false, errno: Errno.ENOENT };
    const started = await this.kernel.spawn(program, this.domainId(entry.domain));
    if (!started.ok) return started;
    this.processes.set(started.value.pid, record(started.value.pid, program, entry.domain, parent));
    return started;
  }

  /**
   * Asks for a notification (to `target`, a reference the caller gave) when
   * process `watched` exits. The caller must be its parent or share its domain.
   */
  async watch(pid: number, watched: number, target: number): Promise<Decision<0>> {
    const caller = this.caller(pid);
    const subject = this.processes.get(watched);
    const refuse = async (errno: number): Promise<Decision<0>> => {
      await this.kernel.closeDescriptor(target);
      return { ok: false, errno };
    };
    if (!caller) return refuse(Errno.EPERM);
    if (!subject || !subject.alive || watched === PROCMGR_PID) return refuse(Errno.ESRCH);
    if (subject.parent !== pid && subject.domain !== caller.domain && caller.domain !== PROCMGR_DOMAIN) return refuse(Errno.EPERM);
    subject.watchers.push({ pid, target });
    return { ok: true, value: 0 };
  }

  /**
   * A process has ended (the kernel told the manager): its names and the
   * manager's references for it go, and its watchers are told.
   */
  async exited(pid: number, status: number): Promise<void> {
    const p = this.processes.get(pid);
    if (!p || !p.alive) return;
    p.alive = false;
    p.status = status;
    for (const entry of this.namespace.removeOwnedBy(pid)) await this.kernel.closeDescriptor(entry.ref);
    for (const ref of p.anonymous.splice(0)) await this.kernel.closeDescriptor(ref);
    for (const w of p.watchers.splice(0)) {
      if (this.processes.get(w.pid)?.alive) await this.kernel.notifyExit(w.target, pid, status);
      await this.kernel.closeDescriptor(w.target);
    }
    // Watches the ended process held on others are dropped too.
    for (const other of this.processes.values()) {
      for (let i = other.watchers.length - 1; i >= 0; i--) {
        if (other.watchers[i].pid !== pid) continue;
        const [w] = other.watchers.splice(i, 1);
        await this.kernel.closeDescriptor(w.target);
      }
    }
  }

  /** The type an object created by `domain` under `name` would get (for tools and tests). */
  typeFor(domain: string, name: string | null): string {
    return objectTypeFor(this.manifest.policy, domain, name);
  }
}

function record(pid: number, program: string, domain: string, parent: number): ProcessRecord {
  return { pid, program, domain, parent, alive: true, status: 0, anonymous: [], watchers: [] };
}
