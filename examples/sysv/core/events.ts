/**
 * What the core reports besides a call's own answer: waits that ended
 * (the daemon replies to those callers) and segments that went away (the
 * daemon frees their memory). Drained with SysV.takeEvents().
 */
import type { Limits } from "./constants.js";
import type { Result, WaiterToken } from "./result.js";

/** A message as msgrcv hands it out: its type and text (truncated to the receiver's size). */
export interface Received {
  readonly mtype: number;
  readonly mtext: Uint8Array;
}

export type SysvEvent<M> =
  | {
      readonly kind: "semop";
      readonly waiter: WaiterToken;
      readonly pid: number;
      readonly result: Result<0>;
    }
  | {
      readonly kind: "msgsnd";
      readonly waiter: WaiterToken;
      readonly pid: number;
      readonly result: Result<0>;
    }
  | {
      readonly kind: "msgrcv";
      readonly waiter: WaiterToken;
      readonly pid: number;
      readonly result: Result<Received>;
    }
  | {
      readonly kind: "shm-destroyed";
      readonly shmid: number;
      readonly memory: M | undefined;
    };

/** What each part of the core shares: limits, the clock, the event sink, waiter tokens. */
export interface Context<M> {
  readonly limits: Limits;
  /** Seconds since the epoch, for the *_time fields of IPC_STAT. */
  now(): number;
  emit(event: SysvEvent<M>): void;
  newToken(): WaiterToken;
}
