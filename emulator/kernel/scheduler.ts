/**
 * The scheduler: one processor, threads run until they block, yield or exit
 * (no preemption: programs only give up the processor in a trap). Handlers
 * never call it; they return the thread to run next and the kernel applies
 * that here. With seed 0 the ready queue is strict FIFO; another seed picks
 * among ready threads with a xorshift generator, so the same image and seed
 * always give the same order of events.
 */
import { ThreadQueue, type Thread } from "./thread.js";

export class Scheduler {
  readonly ready = new ThreadQueue();
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0 || 0;
  }

  makeReady(t: Thread): void {
    t.state = "ready";
    this.ready.push(t);
  }

  /** Takes the next thread to run off the ready queue, or null when none is ready. */
  pickNext(): Thread | null {
    const n = this.ready.length;
    if (n === 0) return null;
    if (this.state === 0 || n === 1) return this.ready.shift();
    const t = this.ready.at(this.random() % n)!;
    this.ready.remove(t);
    return t;
  }

  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
}
