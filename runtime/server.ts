/**
 * The server loop (docs/abi.md 1.2 and 1.3): RECEIVE once, then for each
 * message dispatch and answer with REPLY_RECEIVE, which also waits for the next.
 *
 *   request refused by validation -> close its descriptors, REPLY_ERROR (EPROTO,
 *                                    ENOSYS for an unknown function), go on
 *   implementation throws          -> REPLY_ERROR EIO, go on (a ReplyError: its
 *                                    own errno)
 *   reply larger than the caller's -> REPLY_ERROR E2BIG, go on (also when the
 *   buffer                            kernel fails REPLY_RECEIVE with E2BIG)
 *   caller's table has no room for -> REPLY_ERROR ENOSPC, go on
 *   the reply's descriptors
 *   RECEIVE itself fails           -> `serve` rejects with a DoorError "kernel"
 *                                    (EINTR just receives again)
 */
import { E2BIG, EINTR, EIO, ENOSPC, ENOSYS, EPROTO, MAX_MESSAGE_SIZE, RECEIVE, REPLY_ERROR, REPLY_RECEIVE, EINVAL } from "./abi.js";
import { closeDescriptor, checkDescriptor } from "./descriptors.js";
import { DoorError, ReplyError } from "./errors.js";
import { Frame } from "./message.js";
import { align4, dataSizeOf, descCountOf, packMessage, packReceive, totalSizeOf } from "./registers.js";
import type { MessageBuffer, Trap } from "./trap.js";

/**
 * The message being served. One object per serve loop, reused: it is valid
 * until the implementation's promise settles.
 */
export class Call {
  fn = 0;
  /**
   * The cookie of the reference the client called through; the value here when
   * the reply goes out is stored into that reference (section 1.5).
   */
  cookie = 0;
  dataSize = 0;
  descCount = 0;
  /** The caller's msgTotalSize: the largest reply it can take. */
  callerTotalSize = 0;
  readonly frame: Frame;
  readonly trap: Trap;
  readonly #reply: { kind: "reply"; dataSize: number; descriptors: number } = { kind: "reply", dataSize: 0, descriptors: 0 };

  constructor(trap: Trap, frame: Frame) {
    this.trap = trap;
    this.frame = frame;
  }

  /**
   * `replied(dataSize, descriptors)` without an allocation: the Call's own
   * reply outcome, overwritten by the next message (generated dispatchers).
   */
  replied(dataSize: number, descriptors: number): Outcome {
    const reply = this.#reply;
    reply.dataSize = dataSize;
    reply.descriptors = descriptors;
    return reply;
  }

  /** Checks a received descriptor's kind (0 = any) and rights with the kernel. */
  checkDescriptor(desc: number, kind: number, rights: number, label: string): Promise<void> {
    return checkDescriptor(this.trap, this.frame, desc, kind, rights, label);
  }
}

/** What an implementation's method returns: the reply, now or later. */
export type Answer<R> = R | Promise<R>;

/** What a dispatcher decided for one message. */
export type Outcome =
  | { readonly kind: "reply"; readonly dataSize: number; readonly descriptors: number }
  | { readonly kind: "reject"; readonly errno: number; readonly reason: string };

export interface Dispatcher {
  /** The largest message of the interface: the buffer must be at least this big. */
  readonly bufferSize: number;
  /**
   * Decodes and validates the message, calls the implementation, encodes the
   * reply; synchronously when the implementation answers synchronously.
   */
  dispatch(call: Call): Answer<Outcome>;
}

/** What the loop tells `onEvent` about messages that were not answered normally. */
export type ServeEvent =
  | { readonly kind: "rejected"; readonly fn: number; readonly errno: number; readonly reason: string }
  | { readonly kind: "refused"; readonly fn: number; readonly errno: number; readonly reason: string }
  | { readonly kind: "failed"; readonly fn: number; readonly error: unknown }
  | { readonly kind: "reply-too-big"; readonly fn: number; readonly size: number; readonly callerTotalSize: number };

export interface ServeOptions {
  onEvent?: (event: ServeEvent) => void;
}

/** What a method without out-parameters encodes when its implementation returns nothing. */
export const noReply: { readonly retval?: number; readonly errno?: number } = Object.freeze({});

export function replied(dataSize: number, descriptors: number): Outcome {
  return { kind: "reply", dataSize, descriptors };
}

/** A request that failed validation: EPROTO, with the reason for `onEvent`. */
export function rejected(error: unknown): Outcome {
  return { kind: "reject", errno: EPROTO, reason: error instanceof Error ? error.message : String(error) };
}

export function unknownFunction(call: Call): Outcome {
  return { kind: "reject", errno: ENOSYS, reason: `no method has function number ${call.fn}` };
}

/**
 * Encodes the implementation's answer with `reply`: at once for a value, when
 * it settles for a promise, so a synchronous implementation costs no extra
 * promise. A throw (or rejection) reaches `serve`, which answers EIO.
 */
export function answered<R>(answer: Answer<R>, call: Call, reply: (call: Call, value: R) => Outcome): Answer<Outcome> {
  return answer instanceof Promise ? answer.then((value: R) => reply(call, value)) : reply(call, answer);
}

/**
 * Serves `object` (a descriptor with RECEIVE) until receiving fails; never
 * resolves otherwise. The buffer must hold the interface's largest message.
 */
export async function serve(
  trap: Trap,
  buffer: MessageBuffer,
  object: number,
  dispatcher: Dispatcher,
  options: ServeOptions = {},
): Promise<never> {
  const frame = new Frame(buffer);
  const call = new Call(trap, frame);
  const total = Math.min(buffer.size, MAX_MESSAGE_SIZE);
  const received = new Uint32Array(256);
  const args = trap.args;
  const onEvent = options.onEvent ?? (() => {});
  if (!((object & 0xffff) === object)) throw new DoorError(EINVAL, "client", `${String(object)} is not a descriptor`);
  if (total < dispatcher.bufferSize || buffer.bytes.length < dispatcher.bufferSize) {
    throw new DoorError(EINVAL, "client", `the server needs a message buffer of ${dispatcher.bufferSize} bytes`);
  }

  await receive(trap, buffer, object, total);
  for (;;) {
    if (args[0] === -1) {
      if (args[1] === EINTR) {
        await receive(trap, buffer, object, total);
        continue;
      }
      throw new DoorError(args[1]!, "kernel", "receive failed");
    }
    call.fn = args[0]!;
    call.cookie = args[1]!;
    call.dataSize = dataSizeOf(args[3]!);
    call.descCount = descCountOf(args[3]!);
    call.callerTotalSize = totalSizeOf(args[3]!);
    const descAt = align4(call.dataSize);
    for (let i = 0; i < call.descCount; i++) received[i] = frame.view.getUint32(descAt + 4 * i, true);

    let outcome: Outcome;
    try {
      const pending = dispatcher.dispatch(call);
      outcome = pending instanceof Promise ? await pending : pending;
    } catch (error) {
      if (error instanceof ReplyError) onEvent({ kind: "refused", fn: call.fn, errno: error.errno, reason: error.message });
      else onEvent({ kind: "failed", fn: call.fn, error });
      await replyError(trap, error instanceof ReplyError ? error.errno : EIO);
      await receive(trap, buffer, object, total);
      continue;
    }
    if (outcome.kind === "reject") {
      onEvent({ kind: "rejected", fn: call.fn, errno: outcome.errno, reason: outcome.reason });
      for (let i = 0; i < call.descCount; i++) await closeDescriptor(trap, frame, received[i]!);
      await replyError(trap, outcome.errno);
      await receive(trap, buffer, object, total);
      continue;
    }
    const size = align4(outcome.dataSize) + 4 * outcome.descriptors;
    if (size > call.callerTotalSize) {
      onEvent({ kind: "reply-too-big", fn: call.fn, size, callerTotalSize: call.callerTotalSize });
      await replyError(trap, E2BIG);
      await receive(trap, buffer, object, total);
      continue;
    }
    args[0] = REPLY_RECEIVE;
    args[1] = call.cookie;
    args[2] = buffer.address;
    args[3] = packMessage(total, outcome.dataSize, outcome.descriptors);
    await trap.enter();
    if (args[0] === -1 && args[1] === E2BIG) {
      // The reply did not fit: the call is still open (section 1.3).
      onEvent({ kind: "reply-too-big", fn: call.fn, size, callerTotalSize: call.callerTotalSize });
      await replyError(trap, E2BIG);
      await receive(trap, buffer, object, total);
    } else if (args[0] === -1 && args[1] === ENOSPC) {
      // The caller's descriptor table cannot take the reply's descriptors: the call is still open.
      await replyError(trap, ENOSPC);
      await receive(trap, buffer, object, total);
    }
  }
}

async function receive(trap: Trap, buffer: MessageBuffer, object: number, total: number): Promise<void> {
  const args = trap.args;
  args[0] = RECEIVE;
  args[1] = object;
  args[2] = buffer.address;
  args[3] = packReceive(total);
  await trap.enter();
}

async function replyError(trap: Trap, errno: number): Promise<void> {
  const args = trap.args;
  args[0] = REPLY_ERROR;
  args[1] = errno;
  args[2] = 0;
  args[3] = 0;
  await trap.enter();
}
