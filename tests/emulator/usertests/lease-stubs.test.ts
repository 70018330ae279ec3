/**
 * `lease<...>` parameters end to end with generated stubs: the generated
 * client method takes a range of the caller's own memory, lends it for the
 * call and closes the lease after (runtime/leases.ts `lendAll`); the server
 * opens what it received as a `ServerLease` and copies through it; afterwards
 * the lease is revoked.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Kernel } from "../../../emulator/kernel/index.js";
import { EFAULT, EIO } from "../../../emulator/kernel/abi.js";
import { DoorError } from "../../../runtime/index.js";
import { KernelFn, KernelSizes } from "../../../gen/idl/kernel.js";
import {
  LEASE_ACCESS,
  LEASE_CREATE,
  LEASE_INFO,
  LEASE_READ,
  LEASE_WRITE,
  ServerLease,
  withLease,
} from "../../../runtime/leases.js";
import { Frame } from "../../../runtime/message.js";
import type { MessageBuffer, Trap } from "../../../runtime/trap.js";
import { generateStubs } from "../support/generate.js";

interface Range {
  address: number;
  length: number;
}
interface BulkClient {
  fill(buffer: Range, byte: number): Promise<{ count: number }>;
  sum(buffer: Range): Promise<{ total: number }>;
  fillLeased(buffer: number, byte: number): Promise<{ count: number }>;
}
interface BulkCall {
  trap: Trap;
  frame: Frame;
}
interface BulkModule {
  BulkClient: new (trap: Trap, buffer: MessageBuffer, target: number) => BulkClient;
  serveBulk(trap: Trap, buffer: MessageBuffer, object: number, impl: object): Promise<never>;
}

let bulk: BulkModule;
beforeAll(async () => {
  bulk = (await import(generateStubs("tests/emulator/usertests/idl/bulk.idl", "emulator/bulk"))) as BulkModule;
});

describe("the runtime's hand-encoded lease calls", () => {
  it("use idl/kernel.idl's numbers and layouts", () => {
    expect([LEASE_CREATE, LEASE_READ, LEASE_WRITE, LEASE_INFO]).toEqual([
      KernelFn.lease_create,
      KernelFn.lease_read,
      KernelFn.lease_write,
      KernelFn.lease_info,
    ]);
    expect(KernelSizes.lease_create.request).toMatchObject({ fixed: 12, descriptors: 0 });
    expect(KernelSizes.lease_create.reply).toMatchObject({ fixed: 8, descriptors: 1 });
    expect(KernelSizes.lease_read.request).toMatchObject({ fixed: 12, descriptors: 1 });
    expect(KernelSizes.lease_write.reply).toMatchObject({ fixed: 12, descriptors: 0 });
    expect(KernelSizes.lease_info.request).toMatchObject({ fixed: 0, descriptors: 1 });
    expect(KernelSizes.lease_info.reply).toMatchObject({ fixed: 16, descriptors: 0 });
    expect(LEASE_ACCESS).toEqual({ read: 1, write: 2, readwrite: 3 });
  });
});

describe("lease parameters in generated stubs", () => {
  it("lend exactly the client's range for one call, and the server copies through it", async () => {
    const kernel = new Kernel();
    const log: unknown[] = [];
    let kept: ServerLease | null = null;
    kernel.spawn({
      name: "bulk",
      privileged: true,
      program: async (sys) => {
        const door = await sys.kernel.ipcCreate(2, 0);
        const scratch = await sys.kernel.memAlloc(0, 4 * 4096, 3);
        kernel.spawn({
          name: "client",
          descriptors: [{ pid: sys.pid, descriptor: door, rights: 1 }],
          program: async (c) => {
            const buf = await c.messageBuffer();
            const client = new bulk.BulkClient(c.trap, buf, c.descriptors[0]!);
            const frame = new Frame(buf);
            const data = await c.kernel.memAlloc(0, 3 * 4096, 3);
            c.memory.writeBytes(data, new Uint8Array(3 * 4096).fill(1));
            const range = { address: data + 4093, length: 5000 };
            log.push((await client.fill(range, 7)).count);
            const bytes = c.memory.readBytes(data, 3 * 4096);
            log.push(bytes.reduce((n, b, i) => n + (b === (i >= 4093 && i < 9093 ? 7 : 1) ? 0 : 1), 0));
            log.push((await client.sum({ address: data, length: 4096 })).total);
            // A read lease handed to `fill` is refused by the generated dispatcher's descriptor check.
            const refused = await withLease(c.trap, frame, range, "read", (l) => client.fillLeased(l, 9)).catch(
              (e: unknown) => e,
            );
            log.push(refused instanceof DoorError ? refused.origin : String(refused));
            // A range the client does not have: lease_create's EFAULT, and no descriptor left behind.
            const unmapped = await client.sum({ address: 0x7000_0000, length: 8 }).catch((e: unknown) => e);
            log.push(unmapped instanceof DoorError ? `${unmapped.origin} ${unmapped.errno}` : String(unmapped));
            log.push(kernel.descriptorsOf(c.pid).map((d) => d.kind));
            return 0;
          },
        });
        await bulk.serveBulk(sys.trap, await sys.messageBuffer(), door, {
          fill: async ({ buffer, byte }: { buffer: number; byte: number }, call: BulkCall) => {
            const lease = await ServerLease.open(call.trap, call.frame, buffer);
            kept = lease;
            sys.memory.writeBytes(scratch, new Uint8Array(lease.length + 100).fill(byte));
            return { count: await lease.write(0, scratch, lease.length + 100) };
          },
          sum: async ({ buffer }: { buffer: number }, call: BulkCall) => {
            const lease = await ServerLease.open(call.trap, call.frame, buffer);
            const stale = await kept!.write(0, scratch, 1).catch((e: unknown) => e);
            log.push(stale instanceof DoorError ? stale.errno : -1);
            const n = await lease.read(0, scratch, lease.length);
            return { total: sys.memory.readBytes(scratch, n).reduce((a, b) => a + b, 0) };
          },
        });
        return 0;
      },
    });
    await kernel.run();
    expect(log).toEqual([5000, 0, EIO, 4093 + 3 * 7, "server", `kernel ${EFAULT}`, ["door"]]);
  });
});
