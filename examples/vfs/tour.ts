/**
 * A short tour of the VFS from a client: read a RAM-disk file, list a
 * directory, make one, write a file larger than one message at an odd
 * offset (by lease), read it back, read part of it into a shared memory
 * object, write a few bytes inline, rename it, and see the errors a program gets.
 * Exits 0 when every answer is the expected one, else the number of the
 * step that went wrong.
 */
import type { Sys } from "../../emulator/program/program.js";
import { OpenFlags, type Vfs, VfsError, connect } from "./client.js";

const text = new TextDecoder();

async function errnoOf(action: Promise<unknown>): Promise<number> {
  try {
    await action;
    return 0;
  } catch (error) {
    if (error instanceof VfsError) return error.errno;
    throw error;
  }
}

async function steps(vfs: Vfs): Promise<boolean[]> {
  const motd = text.decode(await vfs.readFile("/etc/motd"));
  const root = (await vfs.readdir("/")).map((e) => e.name).join(",");
  await vfs.mkdir("/tmp");
  const big = new Uint8Array(10_000).map((_, i) => i % 251);
  const fd = await vfs.open("/tmp/big", OpenFlags.READ | OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.EXCL);
  await vfs.pwrite(fd, big.subarray(3), 4093);
  const back = new Uint8Array(big.length - 3);
  const n = await vfs.pread(fd, back, 4093);
  const shared = await vfs.mapShared(8192);
  const inShared = await vfs.preadShared(fd, 4096, 100, 6000);
  const seen = vfs.sys.memory.readBytes(shared.address + 100, 6000);
  await vfs.pwrite(fd, big.subarray(0, 5), 0);
  const size = Number((await vfs.fstat(fd)).size);
  await vfs.close(fd);
  await vfs.rename("/tmp/big", "/tmp/renamed");
  return [
    motd.startsWith("Welcome to doorkit."),
    root === "etc,usr",
    n === back.length && back.every((b, i) => b === big[i + 3]),
    inShared === 6000 && seen.every((b, i) => b === big[i + 6]),
    size === 4093 + big.length - 3,
    (await errnoOf(vfs.stat("/tmp/big"))) === 2,
    (await errnoOf(vfs.rmdir("/tmp"))) === 39,
    (await errnoOf(vfs.open("/etc", OpenFlags.WRITE))) === 21,
    (await errnoOf(vfs.close(fd))) === 9,
  ];
}

export default async function tour(sys: Sys): Promise<number> {
  const results = await steps(await connect(sys));
  const failed = results.indexOf(false);
  return failed < 0 ? 0 : failed + 1;
}
