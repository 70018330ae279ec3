/**
 * Descriptors and leases as the stubs see them: plain numbers in the
 * descriptor area (0 = none), checked against their declared kind and rights
 * with the kernel's DESC_INFO, and closed with DESC_CLOSE when a request is
 * refused. Both calls are encoded here by hand because the runtime cannot
 * depend on stubs generated from idl/kernel.idl; a test compares these
 * offsets and numbers with that file's IR.
 *
 *   DESC_INFO  request { u32 target }            reply { i32 retval; i32 errno;
 *                                                        DescInfo { u32 kind; u32 rights;
 *                                                                   u32 cookie; bool owner } }
 *   DESC_CLOSE request { u32 target }            reply { i32 retval; i32 errno }
 */
import { DESC_CLOSE, DESC_INFO, RIGHT_READ, RIGHT_WRITE } from "./abi.js";
import { malformed } from "./errors.js";
import type { Frame } from "./message.js";
import { packMessage } from "./registers.js";
import type { Trap } from "./trap.js";

/** A descriptor number of the calling process. */
export type Descriptor = number;
/** A lease's descriptor (made with the kernel's lease_create). */
export type Lease = number;

/** DESC_INFO's message sizes: request 4 bytes, reply 8 + sizeof(DescInfo) = 24. */
export const DESC_INFO_REQUEST_SIZE = 4;
export const DESC_INFO_REPLY_SIZE = 24;
export const DESC_CLOSE_REPLY_SIZE = 8;

export interface DescriptorFacts {
  readonly kind: number;
  readonly rights: number;
}

/** Asks the kernel what `desc` names; null when the kernel refuses. Uses the frame's buffer. */
export async function describeDescriptor(trap: Trap, frame: Frame, desc: number): Promise<DescriptorFacts | null> {
  const args = trap.args;
  frame.view.setUint32(0, desc, true);
  args[0] = DESC_INFO;
  args[1] = 0;
  args[2] = frame.buffer.address;
  args[3] = packMessage(DESC_INFO_REPLY_SIZE, DESC_INFO_REQUEST_SIZE, 0);
  await trap.enter();
  if (args[0] === -1 || args[1] !== 0) return null;
  if (((args[3]! >>> 8) & 0xfff) < DESC_INFO_REPLY_SIZE) return null;
  return { kind: frame.view.getUint32(8, true), rights: frame.view.getUint32(12, true) };
}

/** Closes one of the caller's descriptors; errors are ignored (it may be gone already). */
export async function closeDescriptor(trap: Trap, frame: Frame, desc: number): Promise<void> {
  const args = trap.args;
  frame.view.setUint32(0, desc, true);
  args[0] = DESC_CLOSE;
  args[1] = 0;
  args[2] = frame.buffer.address;
  args[3] = packMessage(DESC_CLOSE_REPLY_SIZE, 4, 0);
  await trap.enter();
}

/** The rights a lease reference carries for its access: read, write or both. */
export function leaseRights(access: "read" | "write" | "readwrite"): number {
  return access === "read" ? RIGHT_READ : access === "write" ? RIGHT_WRITE : RIGHT_READ | RIGHT_WRITE;
}

/**
 * Checks that a received descriptor names a `kind` object (0 = any kind) with
 * at least `rights`; throws a CodecError otherwise. The frame's contents are
 * overwritten, so the request must already be decoded.
 */
export async function checkDescriptor(
  trap: Trap,
  frame: Frame,
  desc: number,
  kind: number,
  rights: number,
  label: string,
): Promise<void> {
  const facts = await describeDescriptor(trap, frame, desc);
  if (facts === null) return malformed(`${label}: descriptor ${desc} is not valid`);
  if (kind !== 0 && facts.kind !== kind) malformed(`${label}: descriptor ${desc} names object kind ${facts.kind}, expected ${kind}`);
  if ((facts.rights & rights) !== rights) malformed(`${label}: descriptor ${desc} lacks rights 0x${rights.toString(16)}`);
}
