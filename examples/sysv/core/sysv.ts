/**
 * The whole System V IPC state of one system: semaphore sets, message
 * queues and shared memory segments, as a deterministic state machine.
 * No I/O, no clock of its own, no promises: the daemon calls it with the
 * caller's identity, replies at once to `ok`/`error`, keeps `blocked`
 * callers waiting, and after every call drains `takeEvents()` to reply to
 * the waits that ended and free the memory of destroyed segments.
 */
import { LINUX_LIMITS, type Limits } from "./constants.js";
import { EAGAIN, EINTR } from "./errno.js";
import type { Context, SysvEvent } from "./events.js";
import { MessageQueues } from "./msg.js";
import type { WaiterToken } from "./result.js";
import { Semaphores } from "./sem.js";
import { SharedMemory } from "./shm.js";

export interface SysvOptions {
  /** Defaults to Linux's (LINUX_LIMITS). */
  readonly limits?: Partial<Limits>;
  /** Seconds since the epoch for the *_time fields; defaults to always 0. */
  readonly now?: () => number;
}

/** Why a wait ends from outside: its timeout passed (EAGAIN) or a signal came (EINTR). */
export type CancelReason = "timeout" | "interrupt";

export class SysV<M = unknown> {
  readonly sem: Semaphores<M>;
  readonly msg: MessageQueues<M>;
  readonly shm: SharedMemory<M>;
  readonly limits: Limits;
  #events: SysvEvent<M>[] = [];
  #nextToken = 1;

  constructor(options: SysvOptions = {}) {
    this.limits = { ...LINUX_LIMITS, ...options.limits };
    const now = options.now ?? (() => 0);
    const ctx: Context<M> = {
      limits: this.limits,
      now,
      emit: (event) => this.#events.push(event),
      newToken: () => this.#nextToken++,
    };
    this.sem = new Semaphores(ctx);
    this.msg = new MessageQueues(ctx);
    this.shm = new SharedMemory(ctx);
  }

  /** The events since the last call, oldest first. */
  takeEvents(): SysvEvent<M>[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /** Ends a wait from outside; false when `waiter` is not waiting (it completed already). */
  cancel(waiter: WaiterToken, reason: CancelReason): boolean {
    const errno = reason === "timeout" ? EAGAIN : EINTR;
    return this.sem.cancel(waiter, errno) || this.msg.cancel(waiter, errno);
  }

  /**
   * A process exited: its waits vanish without a reply, its SEM_UNDO
   * adjustments are applied (which may complete other waits), and its
   * segments are detached (which may destroy some).
   */
  exitProcess(pid: number): void {
    this.msg.exitProcess(pid);
    this.sem.exitProcess(pid);
    this.shm.exitProcess(pid);
  }
}
