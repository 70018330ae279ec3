/**
 * How a call can fail. A client call ends in exactly one of three ways
 * (docs/abi.md 1.2), and the API keeps them apart:
 *
 *   1. the kernel refused or aborted the call: `DoorError`, origin "kernel"
 *      (arg0 = -1, arg2 = 1: EBADF, EFAULT, E2BIG, EIO when the server died, ...);
 *   2. the server answered with REPLY_ERROR: `DoorError`, origin "server"
 *      (arg0 = -1, arg2 = 2: EPROTO for a malformed request, ENOSYS for an
 *      unknown function, EIO when the implementation threw, ...);
 *   3. the server replied normally: no exception; the result carries the
 *      reply's `retval` and `errno` words, which belong to the interface.
 *
 * Two more origins never come from the wire: "client" when the stub refused
 * the arguments before trapping (nothing was sent), and "protocol" when a
 * reply arrived but broke the interface's layout (it is not decoded).
 */
import { EINVAL, EPROTO, errnoName } from "./abi.js";

export type DoorErrorOrigin = "kernel" | "server" | "client" | "protocol";

export class DoorError extends Error {
  override readonly name = "DoorError";

  constructor(
    readonly errno: number,
    readonly origin: DoorErrorOrigin,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(`${errnoName(errno)} from the ${origin}${detail ? `: ${detail}` : ""}`, options);
  }
}

/**
 * Thrown by an implementation to answer the call with REPLY_ERROR `errno`
 * (the caller gets a DoorError of origin "server") instead of a reply. Any
 * other exception answers EIO.
 */
export class ReplyError extends Error {
  override readonly name = "ReplyError";

  constructor(
    readonly errno: number,
    reason?: string,
  ) {
    super(reason ?? errnoName(errno));
  }
}

/**
 * A value that does not fit its IDL type: thrown by the codec helpers and by
 * generated encoders and decoders, and turned by their callers into the
 * right `DoorError` or REPLY_ERROR. Never escapes a generated stub.
 */
export class CodecError extends Error {
  override readonly name = "CodecError";
}

/** Throws a CodecError; typed `never` so that it ends a decode expression. */
export function malformed(message: string): never {
  throw new CodecError(message);
}

/** The stub refused a call's arguments (origin "client", EINVAL). */
export function refusedArguments(error: unknown): DoorError {
  const detail = error instanceof Error ? error.message : String(error);
  return new DoorError(EINVAL, "client", detail, { cause: error });
}

/** A reply that does not decode (origin "protocol", EPROTO). */
export function malformedReply(error: unknown): DoorError {
  const detail = error instanceof Error ? error.message : String(error);
  return new DoorError(EPROTO, "protocol", detail, { cause: error });
}
