/**
 * The VFS server: builds the file system from the image's RAM disk, registers
 * `/sys/vfs` with the process manager, and serves Vfs on several threads (a
 * call that blocks, like `attach` asking the process manager, holds only its
 * own thread). One more thread serves the process manager's exit
 * notifications on an anonymous object, so that a client that exits, even in
 * the middle of a call, has its open files closed.
 *
 * Exit status (only when it cannot start): 2 bad arguments, 3 the RAM disk
 * does not fit or is malformed, 4 no memory for a thread's staging area;
 * the errors of registering propagate.
 */
import * as rt from "doorkit/runtime";
import { VFS_BUFFER_SIZE, VfsDispatcher } from "../../gen/examples/vfs/vfs.js";
import { Events, PROCMGR_BUFFER_SIZE, ProcmgrClient, ProcmgrEventsDispatcher } from "../../gen/idl/procmgr.js";
import { ObjectClass } from "../../gen/idl/types.js";
import type { Sys } from "../../emulator/program/program.js";
import { FileSystem, type RamDiskFile } from "./fs/index.js";
import { parseServerArgs } from "./server-args.js";
import { CachePages } from "./cache-pages.js";
import { ServerMemory, unmap } from "./server-memory.js";
import { VfsService } from "./vfs-service.js";

const BUFFER_SIZE = Math.max(VFS_BUFFER_SIZE, PROCMGR_BUFFER_SIZE);

export default async function server(sys: Sys, args: readonly string[], ramDisk: readonly RamDiskFile[] = []): Promise<number> {
  const parsed = parseServerArgs(args);
  if (!parsed.ok) return 2;
  const { name, capacity, threads } = parsed.config;
  const cache = await CachePages.create(sys, capacity);
  const fs = FileSystem.fromRamDisk({ capacity, store: cache ?? undefined }, ramDisk);
  if (!fs.ok) return 3;

  const buffer = await sys.messageBuffer(BUFFER_SIZE);
  const procmgr = new ProcmgrClient(sys.trap, buffer);
  const { object } = await procmgr.create(ObjectClass.SYSTEM, name);
  const { object: events } = await procmgr.create(ObjectClass.USER, "");

  // Each serving thread calls the process manager through its own buffer.
  const managers = new Map<rt.Trap, ProcmgrClient>();
  const memory = new ServerMemory(sys);
  const service = new VfsService(fs.value, {
    openLease: (lease, call) => memory.openLease(lease, call),
    writeLease: (lease, address, count, call) => memory.writeLease(lease, address, count, call),
    mapShared: (object, length, call) => memory.mapShared(object, length, call),
    unmapShared: (mapping, call) => memory.unmapShared(mapping, call),
    copyToShared: (mapping, at, address, count, call) => memory.copyToShared(mapping, at, address, count, call),
    copyFromShared: (mapping, at, address, length, call) => memory.copyFromShared(mapping, at, address, length, call),
    writeMemory: (address, bytes) => memory.writeMemory(address, bytes),
    readMemory: (address, length) => memory.readMemory(address, length),
    cacheAddress: (piece) => (cache ? cache.addressOf(piece) : -1),
    async watch(pid, call) {
      try {
        await managers.get(call.trap)!.subscribe(pid, Events.EXIT, events);
        return 0;
      } catch (error) {
        if (error instanceof rt.DoorError) return error.errno;
        throw error;
      }
    },
    async closeDescriptor(desc, call) {
      await rt.closeDescriptor(call.trap, call.frame, desc);
    },
  });
  const serveVfs = async (thread: Sys): Promise<number> => {
    const own = await thread.messageBuffer(BUFFER_SIZE);
    managers.set(thread.trap, new ProcmgrClient(thread.trap, await thread.messageBuffer(PROCMGR_BUFFER_SIZE)));
    if (!(await memory.addThread(thread))) return 4;
    return rt.serve(thread.trap, own, object, new VfsDispatcher(service));
  };

  await sys.createThread(async (thread) => {
    const own = await thread.messageBuffer(BUFFER_SIZE);
    const dispatcher = new ProcmgrEventsDispatcher({
      process_exited: async ({ pid }) => {
        for (const shared of service.processExited(pid) ?? []) await unmap(thread, shared);
      },
    });
    return rt.serve(thread.trap, own, events, dispatcher);
  });
  for (let i = 1; i < threads; i++) await sys.createThread(serveVfs);
  return serveVfs(sys);
}
