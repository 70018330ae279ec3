/**
 * Threads and the intrusive FIFO queues they wait in. A thread is in at most
 * one queue at a time (the run queue, or an IPC object's senders or receivers,
 * or a process's waiters), so one pair of links serves all of them and
 * queueing allocates nothing.
 */
import { RegisterFile } from "../machine/registers.js";
import type { IpcObject } from "./ipc-object.js";
import type { Process } from "./process.js";
import type { Reference } from "./descriptor-table.js";
import type { Lease } from "./lease.js";

export type ThreadState =
  | "ready"
  | "running"
  /** queued on `sendObject`, its request still in its own buffer */
  | "send-blocked"
  /** its request delivered; waiting for `server` to answer */
  | "reply-blocked"
  | "receive-blocked"
  /** in process_wait on `waitFor` */
  | "wait-blocked"
  | "exited";

export class Thread {
  readonly kind = "thread" as const;
  readonly regs = new RegisterFile();
  state: ThreadState = "ready";

  // Queue links: written only by ThreadQueue.
  next: Thread | null = null;
  prev: Thread | null = null;
  queue: ThreadQueue | null = null;

  // IPC state: written only by ipc.ts and the kernel's exit paths.
  /** The reference the current outgoing call was sent through. */
  sendRef: Reference | null = null;
  sendObject: IpcObject | null = null;
  /** Server side: the thread whose call this thread has received and not answered. */
  caller: Thread | null = null;
  /** Sender side: the server thread holding this thread's call. */
  server: Thread | null = null;
  /** The object the current message came through, or the one being received on. */
  recvObject: IpcObject | null = null;
  /** The receive buffer while receive-blocked, and its space's generation when it was checked. */
  recvPtr = 0;
  recvSize = 0;
  recvGen = -1;
  /** Generations of the sender's space and descriptor table when its queued request was checked. */
  sendGen = -1;
  sendDescGen = -1;
  /** A blocked kernel call's reply buffer (process_wait). */
  waitFor: Process | null = null;
  waitPtr = 0;

  /** Leases this thread made and that are not revoked yet. */
  readonly leases: Lease[] = [];
  /** The handler every trap of this thread goes to (thread_sandbox), or null. */
  sandbox: Reference | null = null;
  /** While a trap of a sandboxed thread is with its handler: the registers it trapped with. */
  trapRegs: Int32Array | null = null;
  inTrap = false;

  /** Resolves the promise the thread awaits in its trap; set while it is off the processor. */
  resume: (() => void) | null = null;
  /** Made once so that blocking allocates no closure: `new Promise(t.park)` sets `resume`. */
  readonly park = (resolve: () => void): void => {
    this.resume = resolve;
  };
  /** User address of its stack page (the buffer of its kernel calls). */
  stackTop = 0;

  constructor(
    readonly tid: number,
    readonly process: Process,
    readonly argument: number,
    /** The first thread of its process: returning from it ends the process. */
    readonly main: boolean,
  ) {}

  get alive(): boolean {
    return this.state !== "exited";
  }
}

export class ThreadQueue {
  head: Thread | null = null;
  tail: Thread | null = null;
  length = 0;

  push(t: Thread): void {
    if (t.queue !== null) throw new Error(`thread ${t.tid} is already queued`);
    t.queue = this;
    t.prev = this.tail;
    t.next = null;
    if (this.tail) this.tail.next = t;
    else this.head = t;
    this.tail = t;
    this.length++;
  }

  shift(): Thread | null {
    const t = this.head;
    if (t) this.remove(t);
    return t;
  }

  remove(t: Thread): void {
    if (t.queue !== this) throw new Error(`thread ${t.tid} is not in this queue`);
    if (t.prev) t.prev.next = t.next;
    else this.head = t.next;
    if (t.next) t.next.prev = t.prev;
    else this.tail = t.prev;
    t.next = t.prev = null;
    t.queue = null;
    this.length--;
  }

  /** The n-th thread from the head (0-based), for the seeded scheduler. */
  at(n: number): Thread | null {
    let t = this.head;
    for (let i = 0; t && i < n; i++) t = t.next;
    return t;
  }
}
