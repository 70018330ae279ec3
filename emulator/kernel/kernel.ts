/**
 * The microkernel: owns the machine, the processes and the scheduler, and is
 * the one entry for traps. Programs reach it only through `enterTrap` (via
 * their Trap objects); the process manager and the image loader use the
 * public methods below (spawn, descriptors, domains, exit status, trace).
 *
 * Who mutates what: ipc.ts owns the IPC fields of threads and the object
 * queues; this file owns process and thread lifetimes, descriptor tables and
 * the current thread; kernel-calls.ts only calls the methods here.
 */
import { PAGE_SIZE } from "../machine/addresses.js";
import { Machine, DEFAULT_MEMORY_BYTES } from "../machine/machine.js";
import type { Mmu } from "../machine/paging.js";
import { TrapGate, type TrapVia } from "../machine/traps.js";
import type { ProgramEntry } from "../program/program.js";
import { FAULT_STATUS } from "../program/program.js";
import { startProgramThread } from "../program/sys.js";
import { EAGAIN, EBADF, ENOENT, ENOMEM, ENOSPC, ESRCH, RIGHT_DUP, RIGHT_RECEIVE, RIGHT_SEND } from "./abi.js";
import { AddressSpace, PROT_READ, PROT_WRITE, STACK_STRIDE, STACK_TOP } from "./address-space.js";
import { Reference, objectNumber } from "./descriptor-table.js";
import { IpcObject } from "./ipc-object.js";
import { revokeAllLeases, revokeLease, type Lease } from "./lease.js";
import { fileObject } from "./memory-calls.js";
import type { Backing, MemoryObject } from "./memory-object.js";
import { Pager } from "./pager.js";
import { sandboxTrap } from "./sandbox.js";
import { abortObject, detachThread, type Next } from "./ipc.js";
import { CallContext, finishWait } from "./kernel-calls.js";
import { Process } from "./process.js";
import { Scheduler } from "./scheduler.js";
import { syscall } from "./syscalls.js";
import { Thread } from "./thread.js";
import { newEvent, type IpcEvent, type IpcEventKind, type TraceHook } from "./trace.js";

export interface KernelOptions {
  readonly memoryBytes?: number;
  /** 0: FIFO ready queue; otherwise a seeded pick among ready threads. */
  readonly seed?: number;
  /** Stop the run after this many traps. */
  readonly maxSteps?: number;
  /** Bytes of the swap device (0: none; physical memory is then all there is). */
  readonly swapBytes?: number;
}

export interface SpawnOptions {
  readonly program: ProgramEntry | string;
  readonly name?: string;
  readonly domain?: number;
  /** May create IPC objects and spawn processes (the process manager). */
  readonly privileged?: boolean;
  /** The vector of its system-call gate (default 0x80): the hook for emulating another system's traps. */
  readonly trapVector?: number;
  /** References copied into the new process, in order (its descriptors 1..N when its table is empty). */
  readonly descriptors?: readonly { readonly pid: number; readonly descriptor: number; readonly rights?: number }[];
}

export type RunEnd = "all-exited" | "idle" | "step-limit";

export interface RunResult {
  /** all-exited: no process left; idle: every remaining thread is blocked; step-limit: maxSteps reached. */
  readonly end: RunEnd;
  readonly steps: number;
}

export interface ProcessInfo {
  readonly pid: number;
  readonly name: string;
  readonly domain: number;
  readonly privileged: boolean;
  readonly state: "live" | "exited";
  readonly exitStatus: number;
  readonly fault: string | null;
  readonly threads: number;
  readonly descriptors: number;
  readonly pages: number;
}

export interface DescriptorInfo {
  readonly descriptor: number;
  readonly kind: "door" | "process" | "thread" | "memory" | "lease";
  readonly rights: number;
  readonly cookie: number;
  readonly owner: boolean;
  /** Door id, pid, tid, memory object id or lease id. */
  readonly object: number;
}

const RESOLVED = Promise.resolve();
const NEVER = new Promise<void>(() => {});

export class Kernel {
  readonly machine: Machine;
  readonly mmu: Mmu;
  readonly scheduler: Scheduler;
  readonly pager: Pager;
  /** @internal Scratch for kernel calls (kernel-calls.ts). */
  readonly call = new CallContext();
  /** @internal The one trace record, reused for every event. */
  readonly event: IpcEvent = newEvent();
  traceHook: TraceHook | null = null;
  /** @internal The door that target-0 process-manager calls go to. */
  procmgrDoor: IpcObject | null = null;

  private readonly processes = new Map<number, Process>();
  private readonly programs = new Map<string, ProgramEntry>();
  private readonly exitHooks: ((pid: number, status: number) => void)[] = [];
  private readonly gate: TrapGate<Thread, Next>;
  private readonly maxSteps: number;
  private current: Thread | null = null;
  private steps = 0;
  private nextPid = 1;
  private nextTid = 1;
  private nextDoor = 1;
  /** @internal Ids of the next memory object and lease. */
  readonly ids = { memory: 1, lease: 1 };
  private live = 0;
  private finished: RunResult | null = null;
  private onFinish: ((r: RunResult) => void) | null = null;
  /** An emulator bug: the run stops and `run()` rejects with it. */
  private panicked: unknown = null;
  private onPanic: ((error: unknown) => void) | null = null;

  constructor(options: KernelOptions = {}) {
    this.machine = new Machine({ memoryBytes: options.memoryBytes ?? DEFAULT_MEMORY_BYTES });
    this.mmu = this.machine.mmu;
    this.pager = new Pager(this.machine.memory, this.mmu, options.swapBytes ?? 0);
    this.scheduler = new Scheduler(options.seed ?? 0);
    this.maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;
    this.gate = new TrapGate<Thread, Next>({
      syscall: (t) => syscall(this, t),
      fault: (t, vector) => {
        this.exitProcess(t.process, FAULT_STATUS, `general protection fault ${vector} (int to a gate it may not use)`);
        return null;
      },
    });
  }

  // ---- public API: boot, process manager, tools ----

  /** Makes `entry` available to process_spawn under `name`. */
  registerProgram(name: string, entry: ProgramEntry): void {
    this.programs.set(name, entry);
  }

  /** Starts a process; returns its pid, or -errno (ENOENT unknown program, ENOMEM, ENOSPC, EBADF). */
  spawn(options: SpawnOptions): number {
    const entry = typeof options.program === "string" ? this.programs.get(options.program) : options.program;
    if (entry === undefined) return -ENOENT;
    const refs: Reference[] = [];
    for (const d of options.descriptors ?? []) {
      const ref = this.processes.get(d.pid)?.descriptors.get(d.descriptor);
      if (ref === undefined || ref === null) return -EBADF;
      refs.push(new Reference(ref.object, ref.rights & (d.rights ?? ref.rights), 0, false));
    }
    const name = options.name ?? (typeof options.program === "string" ? options.program : entry.name || "program");
    const p = this.newProcess(name, options.domain ?? 0, options.privileged ?? false);
    if (p === null) return -ENOMEM;
    if (options.trapVector !== undefined) p.syscallVector = options.trapVector & 0xff;
    const initial = refs.map((r) => (this.retain(r), p.descriptors.install(r)));
    const t = this.createThread(p, entry, 0, initial);
    if (typeof t === "number") {
      this.exitProcess(p, -1, "could not start");
      return -t;
    }
    return p.pid;
  }

  /** Creates an IPC object owned by `pid`; returns the owner descriptor, or -errno. */
  createDoorFor(pid: number, objectClass: number, securityType: number): number {
    const p = this.processes.get(pid);
    if (p === undefined || !p.alive) return -ESRCH;
    if (p.descriptors.room < 1) return -ENOSPC;
    return this.createDoor(p, objectClass, securityType);
  }

  /** Copies `pid`'s reference `descriptor` into `toPid` (rights narrowed to `rights`); returns the new number or -errno. */
  grant(pid: number, descriptor: number, toPid: number, rights = 0xffffffff, cookie = 0): number {
    const ref = this.processes.get(pid)?.descriptors.get(descriptor);
    const to = this.processes.get(toPid);
    if (ref === undefined || ref === null) return -EBADF;
    if (to === undefined || !to.alive) return -ESRCH;
    if (to.descriptors.room < 1) return -ENOSPC;
    const copy = new Reference(ref.object, ref.rights & rights, cookie, false);
    this.retain(copy);
    return to.descriptors.install(copy);
  }

  /**
   * Names the door (`descriptor` of `pid`, which must own it) that receives
   * process-manager calls sent with target 0. Each process reaches it through
   * an implicit reference whose cookie starts as the sender's pid.
   */
  setProcessManager(pid: number, descriptor: number): boolean {
    const ref = this.processes.get(pid)?.descriptors.get(descriptor);
    if (!ref || ref.object.kind !== "door" || !ref.owner) return false;
    this.procmgrDoor = ref.object;
    for (const p of this.processes.values()) p.procmgrRef = this.procmgrRefOf(p);
    return true;
  }

  processInfo(pid: number): ProcessInfo | null {
    const p = this.processes.get(pid);
    if (p === undefined) return null;
    return {
      pid,
      name: p.name,
      domain: p.domain,
      privileged: p.privileged,
      state: p.state,
      exitStatus: p.exitStatus,
      fault: p.fault,
      threads: p.threads.length,
      descriptors: p.descriptors.size,
      pages: p.alive ? p.space.pageCount : 0,
    };
  }

  listProcesses(): ProcessInfo[] {
    return [...this.processes.keys()].map((pid) => this.processInfo(pid)!);
  }

  descriptorsOf(pid: number): DescriptorInfo[] {
    const p = this.processes.get(pid);
    if (p === undefined) return [];
    return [...p.descriptors.entries()].map((r) => ({
      descriptor: r.number,
      kind: r.object.kind,
      rights: r.rights,
      cookie: r.cookie,
      owner: r.owner,
      object: objectNumber(r.object),
    }));
  }

  /**
   * Gives `pid` a memory object over a RAM-disk file's bytes (read-only,
   * paged in from them on first use) or a file a server keeps in memory
   * (`file-cache`: never paged out); returns the descriptor, or -errno.
   */
  createFileObject(pid: number, backing: Exclude<Backing, { kind: "anonymous" }>, size: number): number {
    const p = this.processes.get(pid);
    if (p === undefined || !p.alive) return -ESRCH;
    return fileObject(this, p, backing, size);
  }

  /** @internal Installs a new reference to `object` in `p` (room already checked); returns its number. */
  installObject(p: Process, object: MemoryObject | Lease, rights: number): number {
    const ref = new Reference(object, rights, 0, false);
    this.retain(ref);
    return p.descriptors.install(ref);
  }

  /** Swap slots in use (for leak checks). */
  get usedSwapSlots(): number {
    return this.pager.usedSlots;
  }

  /** Reads a process's memory without side effects (for tracers and tests); null if any byte is unmapped. */
  debugRead(pid: number, va: number, length: number): Uint8Array | null {
    const p = this.processes.get(pid);
    if (p === undefined || !p.alive) return null;
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const pa = this.mmu.resolve(p.space.cr3, (va + i) >>> 0, 4);
      // A page paged out is read where it is, without bringing it back.
      const b = pa >= 0 ? this.mmu.memory.bytes[pa]! : this.pager.peek(p.space.cr3, (va + i) >>> 0);
      if (b < 0) return null;
      out[i] = b;
    }
    return out;
  }

  /** Ends a process from outside (a tool, or the process manager's policy). */
  kill(pid: number, reason: string): boolean {
    const p = this.processes.get(pid);
    if (p === undefined || !p.alive) return false;
    const wasCurrent = this.current !== null && this.current.process === p;
    this.guard(() => {
      this.exitProcess(p, FAULT_STATUS, reason);
      if (wasCurrent && this.finished === null) this.switchTo(null);
    });
    return true;
  }

  /** Calls `hook` when a process has ended (inside the kernel: read, but do not spawn or kill from it). */
  onExit(hook: (pid: number, status: number) => void): void {
    this.exitHooks.push(hook);
  }

  get usedFrames(): number {
    return this.machine.memory.usedFrames;
  }

  get stepCount(): number {
    return this.steps;
  }

  /**
   * Runs until every process has exited, every thread is blocked, or
   * maxSteps. Rejects if the emulator itself fails (a bug, never a program's
   * doing): the machine stops there rather than carry on in a broken state.
   */
  run(): Promise<RunResult> {
    if (this.panicked !== null) return Promise.reject(this.panicked);
    if (this.finished !== null) return Promise.resolve(this.finished);
    const done = new Promise<RunResult>((resolve, reject) => {
      this.onFinish = resolve;
      this.onPanic = reject;
    });
    if (this.current === null) this.guard(() => this.switchTo(null));
    return done;
  }

  /** Runs a kernel step; an exception is an emulator bug and stops the machine. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (this.panicked !== null) return;
      this.panicked = error;
      this.finished = { end: "idle", steps: this.steps };
      this.current = null;
      this.onPanic?.(error);
    }
  }

  // ---- the trap entry ----

  /** @internal A thread executes `int vector` (or sysenter): the kernel runs, then some thread continues. */
  enterTrap(t: Thread, via: TrapVia, vector: number): Promise<void> {
    if (this.finished !== null) return NEVER;
    if (t !== this.current || t.state !== "running") {
      if (t.process.alive) this.exitProcess(t.process, FAULT_STATUS, "trap from a thread that is not running");
      return NEVER;
    }
    if (++this.steps > this.maxSteps) {
      this.finish("step-limit");
      return NEVER;
    }
    let next: Next = null;
    try {
      if (t.sandbox !== null) next = sandboxTrap(this, t, via, vector);
      else next = via === "int" ? this.gate.int(t, vector, t.process.syscallVector) : this.gate.sysenter(t);
    } catch (error) {
      this.guard(() => {
        throw error;
      });
      return NEVER;
    }
    if (next === t) return RESOLVED;
    const parked = t.alive ? new Promise<void>(t.park) : NEVER;
    this.guard(() => this.switchTo(next));
    return parked;
  }

  private switchTo(next: Thread | null): void {
    const t = next ?? this.scheduler.pickNext();
    this.current = t;
    if (t === null) {
      this.finish(this.live === 0 ? "all-exited" : "idle");
      return;
    }
    t.state = "running";
    const resume = t.resume;
    if (resume === null) throw new Error(`thread ${t.tid} has no continuation`);
    t.resume = null;
    resume();
  }

  private finish(end: RunEnd): void {
    if (this.finished !== null) return;
    this.finished = { end, steps: this.steps };
    this.onFinish?.(this.finished);
  }

  // ---- lifetimes (called by kernel-calls.ts and program/sys.ts) ----

  private newProcess(name: string, domain: number, privileged: boolean): Process | null {
    const space = AddressSpace.create(this.machine.memory, this.mmu, this.pager);
    if (space === null) return null;
    const p = new Process(this.nextPid++, name, domain, privileged, space);
    p.procmgrRef = this.procmgrRefOf(p);
    this.processes.set(p.pid, p);
    this.live++;
    return p;
  }

  private procmgrRefOf(p: Process): Reference | null {
    return this.procmgrDoor === null ? null : new Reference(this.procmgrDoor, RIGHT_SEND, p.pid, false);
  }

  /** @internal Starts a thread in `p` at `entry`; the thread or an errno (EAGAIN: no stack slot, ENOMEM). */
  createThread(p: Process, entry: ProgramEntry, argument: number, initial: readonly number[] = []): Thread | number {
    let slot = 0;
    while (slot < 64 && p.space.isMapped(STACK_TOP - (slot + 1) * STACK_STRIDE)) slot++;
    if (slot === 64) return EAGAIN;
    const stack = STACK_TOP - (slot + 1) * STACK_STRIDE;
    if (p.space.allocate(stack, PAGE_SIZE, PROT_READ | PROT_WRITE) !== 0) return ENOMEM;
    const frame = p.space.pin(stack);
    const t = new Thread(this.nextTid++, p, argument, p.threads.length === 0);
    t.stackTop = stack;
    t.regs.regs[7] = stack + PAGE_SIZE;
    p.threads.push(t);
    t.resume = startProgramThread(this, t, entry, frame, initial);
    this.scheduler.makeReady(t);
    return t;
  }

  /** @internal A thread's entry function returned. */
  threadReturned(t: Thread, status: number): void {
    this.guard(() => this.endThread(t, status));
  }

  private endThread(t: Thread, status: number): void {
    if (!t.alive || this.finished !== null) return;
    const wasCurrent = this.current === t;
    if (t.main) this.exitProcess(t.process, status | 0, null);
    else this.exitThread(t, status | 0);
    if (wasCurrent) this.switchTo(null);
  }

  /** @internal A thread's code threw: the process is killed. */
  threadFaulted(t: Thread, error: unknown): void {
    this.guard(() => this.faultThread(t, error));
  }

  private faultThread(t: Thread, error: unknown): void {
    if (!t.process.alive || this.finished !== null) return;
    const wasCurrent = this.current !== null && this.current.process === t.process;
    this.exitProcess(t.process, FAULT_STATUS, error instanceof Error ? error.message : String(error));
    if (wasCurrent) this.switchTo(null);
  }

  /** @internal Ends one thread; the last one ends the process with `status`. */
  exitThread(t: Thread, status: number): void {
    detachThread(this, t);
    this.releaseThreadState(t);
    t.state = "exited";
    const p = t.process;
    p.space.unpin(t.stackTop);
    p.space.unmap(t.stackTop, PAGE_SIZE);
    p.threads.splice(p.threads.indexOf(t), 1);
    if (p.threads.length === 0) this.exitProcess(p, status, null);
  }

  /**
   * @internal Ends a process: its threads stop (their calls fail, calls they
   * hold get EIO), its references close (owned doors are destroyed), its
   * frames return, and process_wait callers get `status`.
   */
  exitProcess(p: Process, status: number, fault: string | null): void {
    if (!p.alive) return;
    p.state = "exited";
    p.exitStatus = status;
    p.fault = fault;
    this.live--;
    for (const t of p.threads) {
      detachThread(this, t);
      this.releaseThreadState(t);
      t.state = "exited";
    }
    p.threads.length = 0;
    for (const ref of [...p.descriptors.entries()]) this.closeDescriptor(p, ref.number);
    if (this.procmgrDoor !== null && this.procmgrDoor.owner === p) this.procmgrDoor = null;
    p.space.destroy();
    for (let w = p.waiters.shift(); w !== null; w = p.waiters.shift()) finishWait(this, w, p.exitStatus);
    if (this.traceHook !== null) {
      this.fillEvent("exit", p.pid, 0, 0, 0, 0, 0, 0, 0, 0, status, 0);
      this.traceHook(this.event);
    }
    for (const hook of this.exitHooks) hook(p.pid, status);
  }

  /** @internal Spawns an image program for process_spawn; the caller's new descriptor, or an errno. */
  spawnFromProgram(name: string, domain: number, parent: Process): Reference | number {
    if (!this.programs.has(name)) return ENOENT;
    const pid = this.spawn({ program: name, domain });
    if (pid < 0) return -pid;
    const ref = new Reference(this.processes.get(pid)!, RIGHT_DUP, 0, false);
    parent.descriptors.install(ref);
    return ref;
  }

  // ---- objects and descriptors ----

  /** @internal Creates a door owned by `p`; returns the owner descriptor (room already checked). */
  createDoor(p: Process, objectClass: number, securityType: number): number {
    const obj = new IpcObject(this.nextDoor++, objectClass, securityType, p);
    const ref = new Reference(obj, RIGHT_SEND | RIGHT_RECEIVE | RIGHT_DUP, 0, true);
    this.retain(ref);
    return p.descriptors.install(ref);
  }

  /** @internal Every waiting sender and receiver gets EIO; the object accepts nothing more. */
  destroyDoor(obj: IpcObject): void {
    if (obj.alive) abortObject(this, obj);
  }

  /** Its leases are revoked and its sandbox handler reference dropped. */
  private releaseThreadState(t: Thread): void {
    revokeAllLeases(t);
    if (t.sandbox !== null) {
      this.unref(t.sandbox);
      t.sandbox = null;
    }
  }

  /** @internal Counts a new reference to its object. */
  retain(ref: Reference): void {
    const o = ref.object;
    if (o.kind === "door" || o.kind === "memory" || o.kind === "lease") o.references++;
  }

  /** @internal Drops a reference's count: a memory object nothing names is freed, a lease nobody holds revoked. */
  unref(ref: Reference): void {
    const o = ref.object;
    if (o.kind === "door") o.references--;
    else if (o.kind === "memory") {
      o.references--;
      this.pager.objectUnmapped(o);
    } else if (o.kind === "lease") {
      if (--o.references === 0) revokeLease(o);
    }
  }

  /** @internal A second reference with at most `rights`; returns its number (room already checked). */
  duplicate(p: Process, ref: Reference, rights: number): number {
    const copy = new Reference(ref.object, ref.rights & rights, ref.cookie, false);
    this.retain(copy);
    return p.descriptors.install(copy);
  }

  /** @internal Closes descriptor `n` of `p`; closing the owner reference destroys the door. */
  closeDescriptor(p: Process, n: number): boolean {
    const ref = p.descriptors.remove(n);
    if (ref === null) return false;
    this.unref(ref);
    if (ref.object.kind === "door" && ref.owner) this.destroyDoor(ref.object);
    return true;
  }

  // ---- trace ----

  private fillEvent(
    kind: IpcEventKind,
    pid: number,
    tid: number,
    peerPid: number,
    peerTid: number,
    object: number,
    fn: number,
    dataSize: number,
    descCount: number,
    ptr: number,
    retval: number,
    errno: number,
  ): void {
    const e = this.event;
    e.kind = kind;
    e.step = this.steps;
    e.pid = pid;
    e.tid = tid;
    e.peerPid = peerPid;
    e.peerTid = peerTid;
    e.object = object;
    e.fn = fn;
    e.dataSize = dataSize;
    e.descCount = descCount;
    e.ptr = ptr;
    e.retval = retval;
    e.errno = errno;
  }

  /** @internal */
  traceMessage(
    kind: IpcEventKind,
    from: Thread,
    to: Thread,
    object: number,
    fn: number,
    dataSize: number,
    descCount: number,
    ptr: number,
    retval: number,
    errno: number,
  ): void {
    const f = from.process.pid;
    this.fillEvent(kind, f, from.tid, to.process.pid, to.tid, object, fn, dataSize, descCount, ptr, retval, errno);
    this.traceHook!(this.event);
  }

  /** @internal */
  traceFail(t: Thread, errno: number): void {
    if (this.traceHook === null) return;
    this.fillEvent("fail", t.process.pid, t.tid, 0, 0, 0, t.regs.args[0]!, 0, 0, 0, -1, errno);
    this.traceHook(this.event);
  }

  /** @internal */
  traceKernelCall(t: Thread, fn: number, errno: number): void {
    this.fillEvent("kernel-call", t.process.pid, t.tid, 0, 0, 0, fn, 0, 0, 0, errno === 0 ? 0 : -1, errno);
    this.traceHook!(this.event);
  }
}
