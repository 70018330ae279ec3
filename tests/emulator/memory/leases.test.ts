/**
 * Leases: a server sees exactly the lent bytes (every alignment, across page
 * boundaries), neighbouring bytes are neither readable nor changed, rights
 * follow the access, and a lease is revoked at the reply, at REPLY_ERROR and
 * when its thread dies; a lease forwarded to a second server is revoked with
 * the original call.
 */
import { describe, expect, it } from "vitest";
import { EACCES, EBADF, EFAULT, EINVAL, EIO } from "../../../emulator/kernel/abi.js";
import { Kernel } from "../../../emulator/kernel/index.js";
import type { Sys } from "../../../emulator/program/index.js";
import { RECEIVE, REPLY_ERROR, REPLY_RECEIVE, pack, trap, world } from "../support/harness.js";

const PAGE = 4096;
const pattern = (i: number) => (i * 7 + 3) & 0xff;

/** Sends fn 0x8000 to door 1 with `words` as data and `lease` as the one descriptor; returns the result registers. */
async function callWithLease(sys: Sys, buf: { address: number; view: DataView }, words: number[], lease: number) {
  words.forEach((w, i) => buf.view.setUint32(4 * i, w >>> 0, true));
  buf.view.setUint32(4 * words.length, lease, true);
  return trap(sys, 0x8000, 1, buf.address, pack(4095, 4 * words.length, 1));
}

/**
 * A server answering requests { u32 offset; u32 length; u32 mode } + lease:
 * it reads the lease (checking the pattern at `offset` of the lender's
 * buffer), writes 0xEE over all of it, checks the clipping and revocation of
 * the previous lease, and replies with the first failure found (0: none).
 */
async function leaseServer(sys: Sys, door: number): Promise<number> {
  const buf = await sys.messageBuffer();
  const scratch = await sys.kernel.memAlloc(0, 3 * PAGE, 3);
  let previous = 0;
  let r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
  while (r[0] !== -1) {
    const offset = buf.view.getUint32(0, true);
    const length = buf.view.getUint32(4, true);
    const mode = buf.view.getUint32(8, true);
    const lease = buf.view.getUint32(12, true);
    let bad = 0;
    if (previous !== 0 && (await sys.kernel.leaseRead(previous, 0, scratch, 1)) !== -EIO) bad = 1;
    if (mode === 1) {
      await trap(sys, REPLY_ERROR, 99, 0, 0);
      previous = lease;
      r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
      continue;
    }
    const info = await sys.kernel.leaseInfo(lease);
    if (typeof info === "number" || info.length !== length || info.access !== 3) bad = bad || 2;
    sys.memory.writeBytes(scratch, new Uint8Array(3 * PAGE).fill(0x55));
    if ((await sys.kernel.leaseRead(lease, 0, scratch, length + 100)) !== length) bad = bad || 3;
    const got = sys.memory.readBytes(scratch, length + 100);
    for (let i = 0; i < length && bad === 0; i++) if (got[i] !== pattern(offset + i)) bad = 4;
    for (let i = length; i < length + 100 && bad === 0; i++) if (got[i] !== 0x55) bad = 5;
    if ((await sys.kernel.leaseRead(lease, length + 1, scratch, 1)) !== -EINVAL) bad = bad || 6;
    if ((await sys.kernel.leaseRead(lease, length, scratch, 10)) !== 0) bad = bad || 7;
    if ((await sys.kernel.leaseRead(lease, 0, 0x10, 1)) !== -EFAULT) bad = bad || 8;
    sys.memory.writeBytes(scratch, new Uint8Array(3 * PAGE).fill(0xee));
    if ((await sys.kernel.leaseWrite(lease, 0, scratch, length + 4096)) !== length) bad = bad || 9;
    previous = lease;
    buf.view.setInt32(0, bad, true);
    buf.view.setInt32(4, 0, true);
    r = await trap(sys, REPLY_RECEIVE, 0, buf.address, pack(4095, 8, 0));
  }
  return 0;
}

describe("leases", () => {
  it("expose exactly their bytes at every alignment and across pages, and are revoked at the reply", async () => {
    const cases: [number, number][] = [];
    for (const offset of [0, 1, 2, 3, 4, 5, 6, 7, 4090, 4093, 4095, 4096, 4097])
      for (const length of [1, 3, 4, 5, 4096, 4097, 5000]) cases.push([offset, length]);
    const failures: string[] = [];
    const w = world(leaseServer, [
      async (sys) => {
        const buf = await sys.messageBuffer();
        const base = await sys.kernel.memAlloc(0, 3 * PAGE, 3);
        for (const [offset, length] of cases) {
          const all = new Uint8Array(3 * PAGE).map((_, i) => pattern(i));
          sys.memory.writeBytes(base, all);
          const lease = await sys.kernel.leaseCreate(base + offset, length, 3);
          const r = await callWithLease(sys, buf, [offset, length, 0], lease);
          const after = sys.memory.readBytes(base, 3 * PAGE);
          let wrong = -1;
          for (let i = 0; i < 3 * PAGE && wrong < 0; i++) {
            const want = i >= offset && i < offset + length ? 0xee : pattern(i);
            if (after[i] !== want) wrong = i;
          }
          if (r[0] !== 0 || wrong >= 0) failures.push(`${offset}+${length}: server ${r[0]}, byte ${wrong}`);
          if ((await sys.kernel.leaseRead(lease, 0, base, 1)) !== -EIO)
            failures.push(`${offset}+${length}: not revoked`);
          await sys.kernel.descClose(lease);
        }
        return 0;
      },
    ]);
    await w.kernel.run();
    expect(failures).toEqual([]);
    expect(w.kernel.processInfo(2)).toMatchObject({ state: "exited", exitStatus: 0 });
  });

  it("are revoked by REPLY_ERROR, and unsent leases stay valid until sent", async () => {
    const log: number[] = [];
    const w = world(leaseServer, [
      async (sys) => {
        const buf = await sys.messageBuffer();
        const base = await sys.kernel.memAlloc(0, PAGE, 3);
        const kept = await sys.kernel.leaseCreate(base, 16, 1);
        const lent = await sys.kernel.leaseCreate(base, 16, 3);
        log.push((await callWithLease(sys, buf, [0, 16, 1], lent))[1]);
        log.push((await sys.kernel.leaseInfo(lent)) as number);
        const info = await sys.kernel.leaseInfo(kept);
        log.push(typeof info === "number" ? info : info.length);
        // The next request makes the server check the lease of the refused one: revoked.
        sys.memory.writeBytes(
          base,
          new Uint8Array(16).map((_, i) => pattern(i)),
        );
        const again = await sys.kernel.leaseCreate(base, 16, 3);
        log.push((await callWithLease(sys, buf, [0, 16, 0], again))[0]);
        return 0;
      },
    ]);
    await w.kernel.run();
    expect(log).toEqual([99, -EIO, 16, 0]);
  });

  it("follow their access, refuse bad ranges, and name only leases", async () => {
    const log: number[] = [];
    const w = world(
      async () => 0,
      [
        async (sys) => {
          const base = await sys.kernel.memAlloc(0, PAGE, 3);
          const ro = await sys.kernel.memAlloc(0, PAGE, 1);
          const readOnly = await sys.kernel.leaseCreate(base, 8, 1);
          log.push(await sys.kernel.leaseWrite(readOnly, 0, base, 8));
          const writeOnly = await sys.kernel.leaseCreate(base, 8, 2);
          log.push(await sys.kernel.leaseRead(writeOnly, 0, base + 100, 8));
          log.push(await sys.kernel.leaseCreate(ro, 8, 2));
          log.push(await sys.kernel.leaseCreate(ro + PAGE - 4, 8, 1));
          log.push(await sys.kernel.leaseCreate(0xbffffffc, 8, 1));
          log.push(await sys.kernel.leaseRead(1, 0, base, 8));
          const mem = await sys.kernel.memCreate(PAGE, 0);
          log.push((await sys.kernel.leaseInfo(mem)) as number);
          const r = await sys.kernel.raw(0x050, new Uint8Array([0, 0, 0, 16, 8, 0, 0, 0, 7, 0, 0, 0]));
          log.push(r[0] === -1 ? -r[1]! : r[0]!);
          return 0;
        },
      ],
    );
    await w.kernel.run();
    expect(log).toEqual([-EACCES, -EACCES, -EFAULT, -EFAULT, -EINVAL, -EBADF, -EBADF, -EINVAL]);
  });

  it("die with their thread: the server's copy answers EIO when the client was killed mid-call", async () => {
    const log: number[] = [];
    let clientPid = 0;
    const w = world(
      async (sys, door) => {
        const buf = await sys.messageBuffer();
        const scratch = await sys.kernel.memAlloc(0, PAGE, 3);
        const r = await trap(sys, RECEIVE, door, buf.address, pack(4095, 0, 0));
        const lease = buf.view.getUint32((r[3]! >>> 8) & 0xfff, true);
        log.push(await sys.kernel.leaseRead(lease, 0, scratch, 8));
        w.kernel.kill(clientPid, "test");
        log.push(await sys.kernel.leaseRead(lease, 0, scratch, 8));
        return 0;
      },
      [
        async (sys) => {
          clientPid = sys.pid;
          const buf = await sys.messageBuffer();
          const base = await sys.kernel.memAlloc(0, PAGE, 3);
          await callWithLease(sys, buf, [], await sys.kernel.leaseCreate(base, 8, 1));
          return 0;
        },
      ],
    );
    const before = w.kernel.usedFrames;
    await w.kernel.run();
    expect(log).toEqual([8, -EIO]);
    expect(w.kernel.usedFrames).toBeLessThanOrEqual(before + 8);
  });
});

describe("forwarded leases", () => {
  it("reach a second server through the first, and are revoked with the original call", async () => {
    const kernel = new Kernel();
    const log: number[] = [];
    let keptByB = 0;
    kernel.spawn({
      name: "b",
      privileged: true,
      program: async (b) => {
        const doorB = await b.kernel.ipcCreate(2, 0);
        kernel.spawn({
          name: "a",
          privileged: true,
          descriptors: [{ pid: b.pid, descriptor: doorB, rights: 1 }],
          program: async (a) => {
            const doorA = await a.kernel.ipcCreate(2, 0);
            kernel.spawn({
              name: "client",
              descriptors: [{ pid: a.pid, descriptor: doorA, rights: 1 }],
              program: async (c) => {
                const buf = await c.messageBuffer();
                const data = await c.kernel.memAlloc(0, PAGE, 3);
                c.memory.writeBytes(data, new Uint8Array([1, 2, 3, 4, 5, 6]));
                const lease = await c.kernel.leaseCreate(data + 1, 4, 1);
                buf.view.setUint32(0, lease, true);
                await trap(c, 0x8000, 1, buf.address, pack(4095, 0, 1));
                await c.kernel.descClose(lease);
                // Wake B once more: its copy of the lease is revoked now.
                await trap(c, 0x8001, 1, buf.address, pack(4095, 0, 0));
                return 0;
              },
            });
            const buf = await a.messageBuffer();
            let r = await trap(a, RECEIVE, doorA, buf.address, pack(4095, 0, 0));
            // Forward the lease to B in a call of A's own.
            await trap(a, 0x8000, 1, buf.address, pack(4095, 0, 1));
            r = await trap(a, REPLY_RECEIVE, 0, buf.address, pack(4095, 0, 0));
            await trap(a, 0x8001, 1, buf.address, pack(4095, 0, 0));
            await trap(a, REPLY_RECEIVE, 0, buf.address, pack(4095, 0, 0));
            return r[0];
          },
        });
        const buf = await b.messageBuffer();
        const scratch = await b.kernel.memAlloc(0, PAGE, 3);
        let r = await trap(b, RECEIVE, doorB, buf.address, pack(4095, 0, 0));
        keptByB = buf.view.getUint32(0, true);
        log.push(await b.kernel.leaseRead(keptByB, 0, scratch, 100));
        log.push(...b.memory.readBytes(scratch, 5));
        r = await trap(b, REPLY_RECEIVE, 0, buf.address, pack(4095, 0, 0));
        log.push(await b.kernel.leaseRead(keptByB, 0, scratch, 1));
        await trap(b, REPLY_RECEIVE, 0, buf.address, pack(4095, 0, 0));
        return r[0];
      },
    });
    await kernel.run();
    expect(log).toEqual([4, 2, 3, 4, 5, 0, -EIO]);
  });
});
