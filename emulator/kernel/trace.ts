/**
 * The IPC trace hook: one event for every IPC step, reported as it happens.
 * The kernel reuses one event record (the IPC path allocates nothing), so a
 * hook copies what it keeps. Events with a `ptr` name where the message now
 * lies (`pid`'s or `peerPid`'s memory, see each kind); a tracer may read it
 * during the hook with `Kernel.debugRead`. A hook runs in the middle of a
 * kernel operation: it may read, but must not call back into the kernel
 * (spawn, kill, grant).
 */
import { MAX_MESSAGE_DESCRIPTORS } from "./abi.js";

export type IpcEventKind =
  /** A request reached a server: pid/tid sent it, peer received it at `ptr`; descriptors are the receiver's numbers. */
  | "request"
  /** A reply reached the caller: pid/tid answered, peer (the caller) has it at `ptr`; `retval`/`errno` as it sees them. */
  | "reply"
  /** A server answered with REPLY_ERROR `errno`. */
  | "reply-error"
  /** The kernel refused or aborted pid/tid's call (send, receive or reply) with `errno`. */
  | "fail"
  /** pid/tid made kernel call `fn`; `errno` 0 on success. */
  | "kernel-call"
  /** Process pid ended with `retval` as its status. */
  | "exit";

export interface IpcEvent {
  kind: IpcEventKind;
  /** Kernel entries so far: orders events in a run. */
  step: number;
  pid: number;
  tid: number;
  peerPid: number;
  peerTid: number;
  /** IPC object id (0 when none). */
  object: number;
  fn: number;
  dataSize: number;
  descCount: number;
  /** The first `descCount` entries are valid. */
  readonly descriptors: Int32Array;
  ptr: number;
  retval: number;
  errno: number;
}

export type TraceHook = (event: Readonly<IpcEvent>) => void;

export function newEvent(): IpcEvent {
  return {
    kind: "request",
    step: 0,
    pid: 0,
    tid: 0,
    peerPid: 0,
    peerTid: 0,
    object: 0,
    fn: 0,
    dataSize: 0,
    descCount: 0,
    descriptors: new Int32Array(MAX_MESSAGE_DESCRIPTORS),
    ptr: 0,
    retval: 0,
    errno: 0,
  };
}

/** A copy of an event that a hook may keep. */
export function snapshot(e: Readonly<IpcEvent>): Omit<IpcEvent, "descriptors"> & { descriptors: number[] } {
  return { ...e, descriptors: Array.from(e.descriptors.subarray(0, e.descCount)) };
}
