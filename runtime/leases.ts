/**
 * Leases for stubs and programs (docs/abi.md 1.5): the client lends a range of its
 * own memory for one call, the server copies through the kernel straight
 * between the two address spaces. The kernel calls are encoded here by hand,
 * as in descriptors.ts, because the runtime cannot depend on stubs generated
 * from idl/kernel.idl:
 *
 *   LEASE_CREATE 0x050 request { u32 address; u32 length; u32 access }  reply { i32; i32 } + lease descriptor
 *   LEASE_READ   0x051 request { u32 offset; u32 address; u32 length } + lease  reply { i32; i32; u32 count }
 *   LEASE_WRITE  0x052 request { u32 offset; u32 address; u32 length } + lease  reply { i32; i32; u32 count }
 *   LEASE_INFO   0x053 request {} + lease                               reply { i32; i32; u32 length; u32 access }
 *
 * Failures are DoorErrors of origin "kernel" (EIO: the lease was revoked,
 * the call that carried it is over).
 */
import { closeDescriptor, type Lease } from "./descriptors.js";
import { DoorError } from "./errors.js";
import type { Frame } from "./message.js";
import { packMessage } from "./registers.js";
import type { Trap } from "./trap.js";

export const LEASE_CREATE = 0x050;
export const LEASE_READ = 0x051;
export const LEASE_WRITE = 0x052;
export const LEASE_INFO = 0x053;

/** Lease access (idl/types.idl LeaseAccess): what the server may do with the bytes. */
export const LEASE_ACCESS = { read: 1, write: 2, readwrite: 3 } as const;
export type LeaseAccessName = keyof typeof LEASE_ACCESS;

/** A range of the caller's own memory. */
export interface UserRange {
  readonly address: number;
  readonly length: number;
}

async function kernelCall(
  trap: Trap,
  frame: Frame,
  fn: number,
  data: number,
  lease: number,
  replySize: number,
): Promise<void> {
  const args = trap.args;
  if (lease !== 0) frame.view.setUint32(data, lease, true);
  args[0] = fn;
  args[1] = 0;
  args[2] = frame.buffer.address;
  args[3] = packMessage(Math.max(replySize, data + 4), data, lease !== 0 ? 1 : 0);
  await trap.enter();
  if (args[0] === -1) throw new DoorError(args[1]!, "kernel");
}

/** Lends `range` of the caller's memory; the lease's descriptor, to send in one call and close after. */
export async function createLease(trap: Trap, frame: Frame, range: UserRange, access: LeaseAccessName): Promise<Lease> {
  const v = frame.view;
  v.setUint32(0, range.address >>> 0, true);
  v.setUint32(4, range.length >>> 0, true);
  v.setUint32(8, LEASE_ACCESS[access], true);
  await kernelCall(trap, frame, LEASE_CREATE, 12, 0, 12);
  return v.getUint32(8, true);
}

/**
 * Runs `call` with a lease on `range` and closes the lease after, whatever
 * happens: the client side of a method with a `lease<...>` parameter.
 */
export async function withLease<T>(
  trap: Trap,
  frame: Frame,
  range: UserRange,
  access: LeaseAccessName,
  call: (lease: Lease) => Promise<T>,
): Promise<T> {
  const lease = await createLease(trap, frame, range, access);
  try {
    return await call(lease);
  } finally {
    await closeDescriptor(trap, frame, lease);
  }
}

/**
 * Lends each of `ranges` with its access, in order: the leases a generated
 * client method sends. If one is refused, those already made are closed and
 * the DoorError is thrown.
 */
export async function lendAll(
  trap: Trap,
  frame: Frame,
  ranges: readonly UserRange[],
  access: readonly LeaseAccessName[],
): Promise<Lease[]> {
  const leases: Lease[] = [];
  try {
    for (let i = 0; i < ranges.length; i++) leases.push(await createLease(trap, frame, ranges[i]!, access[i]!));
  } catch (error) {
    await endLeases(trap, frame, leases);
    throw error;
  }
  return leases;
}

/** Closes the leases `lendAll` made, once the call that carried them is over (they are revoked by then). */
export async function endLeases(trap: Trap, frame: Frame, leases: readonly Lease[]): Promise<void> {
  for (const lease of leases) await closeDescriptor(trap, frame, lease);
}

/** The server's view of a lease it received: its length and access, and one-copy reads and writes. */
export class ServerLease {
  private constructor(
    private readonly trap: Trap,
    private readonly frame: Frame,
    readonly descriptor: Lease,
    readonly length: number,
    readonly access: number,
  ) {}

  /** Asks the kernel about `lease` (LEASE_INFO); throws DoorError EIO if it is already revoked. */
  static async open(trap: Trap, frame: Frame, lease: Lease): Promise<ServerLease> {
    await kernelCall(trap, frame, LEASE_INFO, 0, lease, 16);
    return new ServerLease(trap, frame, lease, frame.view.getUint32(8, true), frame.view.getUint32(12, true));
  }

  /** Copies up to `length` bytes of the lease from `offset` to `address` of the server's memory; the count copied. */
  read(offset: number, address: number, length: number): Promise<number> {
    return this.copy(LEASE_READ, offset, address, length);
  }

  /** Copies up to `length` bytes at `address` of the server's memory into the lease at `offset`; the count copied. */
  write(offset: number, address: number, length: number): Promise<number> {
    return this.copy(LEASE_WRITE, offset, address, length);
  }

  private async copy(fn: number, offset: number, address: number, length: number): Promise<number> {
    const v = this.frame.view;
    v.setUint32(0, offset >>> 0, true);
    v.setUint32(4, address >>> 0, true);
    v.setUint32(8, length >>> 0, true);
    await kernelCall(this.trap, this.frame, fn, 12, this.descriptor, 12);
    return v.getUint32(8, true);
  }
}
