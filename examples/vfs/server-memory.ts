/**
 * The kernel side of the service's bulk data: leases through the runtime's
 * `ServerLease`, shared objects through `mem_map` and a lease the server
 * makes over its own mapping, so that the kernel copies straight between
 * the page cache (cache-pages.ts) and the client's bytes. When the file's
 * pages under a transfer are not one run of the cache (holes, a write that
 * grows the file), the bytes go through a serving thread's staging area of
 * LEASE_MAX bytes in the server's memory (pages made on first use).
 */
import * as rt from "doorkit/runtime";
import { LEASE_MAX } from "../../gen/examples/vfs/vfs.js";
import type { Sys } from "../../emulator/program/program.js";
import type { LeaseAccess, ServiceHost, SharedMapping } from "./vfs-service.js";

const PROT_READ_WRITE = 3;
const LEASE_READ_WRITE = 3;

interface Thread {
  readonly sys: Sys;
  readonly stage: number;
}

export class ServerMemory implements Pick<ServiceHost, "openLease" | "writeLease" | "mapShared" | "unmapShared" | "writeMemory" | "readMemory"> {
  readonly #threads = new Map<rt.Trap, Thread>();

  constructor(readonly sys: Sys) {}

  /** Gives a serving thread its staging area; false when memory is short. */
  async addThread(thread: Sys): Promise<boolean> {
    const stage = await thread.kernel.memAlloc(0, LEASE_MAX, PROT_READ_WRITE);
    if (stage < 0) return false;
    this.#threads.set(thread.trap, { sys: thread, stage });
    return true;
  }

  async openLease(desc: number, call: rt.Call): Promise<LeaseAccess | number> {
    const thread = this.#threads.get(call.trap)!;
    let lease: rt.ServerLease;
    try {
      lease = await rt.ServerLease.open(call.trap, call.frame, desc);
    } catch (error) {
      return errnoOf(error);
    }
    const memory = thread.sys.memory;
    return {
      length: lease.length,
      access: lease.access,
      stage(bytes, at) {
        memory.writeBytes(thread.stage + at, bytes);
      },
      async write(count) {
        try {
          return (await lease.write(0, thread.stage, count)) === count ? 0 : rt.EIO;
        } catch (error) {
          return errnoOf(error);
        }
      },
      async read(length) {
        try {
          if ((await lease.read(0, thread.stage, length)) !== length) return rt.EIO;
        } catch (error) {
          return errnoOf(error);
        }
        return 0;
      },
      unstage(dest, at) {
        memory.readInto(thread.stage + at, dest);
      },
      async copyOut(address, count) {
        try {
          return (await lease.write(0, address, count)) === count ? 0 : rt.EIO;
        } catch (error) {
          return errnoOf(error);
        }
      },
      async copyIn(address, length) {
        try {
          return (await lease.read(0, address, length)) === length ? 0 : rt.EIO;
        } catch (error) {
          return errnoOf(error);
        }
      },
    };
  }

  async writeLease(desc: number, address: number, count: number, call: rt.Call): Promise<number> {
    return this.#threads.get(call.trap)!.sys.kernel.leaseWrite(desc, 0, address, count);
  }

  /** Maps the object and leases the mapping to the server itself; without a lease (-1), transfers go by the server's own copies. */
  async mapShared(memory: number, length: number, call: rt.Call): Promise<SharedMapping | number> {
    const kernel = this.#threads.get(call.trap)!.sys.kernel;
    const address = await kernel.memMap(memory, 0, 0, length, PROT_READ_WRITE);
    if (address < 0) return address;
    const lease = await kernel.leaseCreate(address, length, LEASE_READ_WRITE);
    return { address, length, lease: lease < 0 ? -1 : lease };
  }

  async unmapShared(mapping: SharedMapping, call: rt.Call): Promise<void> {
    await unmap(this.#threads.get(call.trap)!.sys, mapping);
  }

  async copyToShared(mapping: SharedMapping, at: number, address: number, count: number, call: rt.Call): Promise<number> {
    const copied = await this.#threads.get(call.trap)!.sys.kernel.leaseWrite(mapping.lease, at, address, count);
    return copied === count ? 0 : copied < 0 ? -copied : rt.EIO;
  }

  async copyFromShared(mapping: SharedMapping, at: number, address: number, length: number, call: rt.Call): Promise<number> {
    const copied = await this.#threads.get(call.trap)!.sys.kernel.leaseRead(mapping.lease, at, address, length);
    return copied === length ? 0 : copied < 0 ? -copied : rt.EIO;
  }

  writeMemory(address: number, bytes: Uint8Array): void {
    this.sys.memory.writeBytes(address, bytes);
  }

  readMemory(address: number, dest: Uint8Array): void {
    this.sys.memory.readInto(address, dest);
  }
}

/** Unmaps a shared mapping and closes the lease over it, on `sys`'s thread. */
export async function unmap(sys: Sys, mapping: SharedMapping): Promise<void> {
  if (mapping.lease >= 0) await sys.kernel.descClose(mapping.lease);
  await sys.kernel.memUnmap(mapping.address, mapping.length);
}

function errnoOf(error: unknown): number {
  if (error instanceof rt.DoorError) return error.errno;
  throw error;
}
