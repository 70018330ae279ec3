/**
 * Leases: a byte range of one thread's memory lent for one call (docs/abi.md 1.5).
 * The lease travels as a descriptor in the request; the server copies
 * through lease_read and lease_write straight between the two address spaces,
 * bounds-checked per byte against [address, address + length). The lease is
 * revoked when the call that carried it is answered (REPLY, REPLY_ERROR, or
 * EIO when the server dies), when its thread ends, or when its last
 * descriptor closes; a revoked lease answers EIO.
 */
import type { Thread } from "./thread.js";

export const LEASE_READ = 1;
export const LEASE_WRITE = 2;
export const LEASE_READWRITE = 3;

export class Lease {
  readonly kind = "lease" as const;
  revoked = false;
  /** Carried in the lessor's current call: revoked when that call ends. */
  lent = false;
  /** Open descriptors naming it. */
  references = 0;

  constructor(
    readonly id: number,
    readonly lessor: Thread,
    readonly address: number,
    readonly length: number,
    readonly access: number,
  ) {}
}

/** Revokes `lease` and forgets it in its thread's list. */
export function revokeLease(lease: Lease): void {
  if (lease.revoked) return;
  lease.revoked = true;
  const list = lease.lessor.leases;
  const i = list.indexOf(lease);
  if (i >= 0) list.splice(i, 1);
}

/** The call of `t` has ended: the leases it carried are revoked. */
export function endLentLeases(t: Thread): void {
  const list = t.leases;
  if (list.length === 0) return;
  for (let i = list.length - 1; i >= 0; i--) {
    const l = list[i]!;
    if (l.lent) {
      l.revoked = true;
      list.splice(i, 1);
    }
  }
}

/** `t` has ended: every lease it made is revoked. */
export function revokeAllLeases(t: Thread): void {
  for (const l of t.leases) l.revoked = true;
  t.leases.length = 0;
}
