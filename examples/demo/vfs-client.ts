/**
 * The demo's VFS scene, a few calls long: reads a RAM-disk file, then writes
 * a file larger than one message (so by lease) and reads it back the same
 * way. Exits 0 when every answer is the expected one, else the number of
 * the step that went wrong.
 */
import type { Sys } from "../../emulator/program/program.js";
import { IO_MAX, OpenFlags, connect } from "../vfs/client.js";

export default async function vfsClient(sys: Sys): Promise<number> {
  const vfs = await connect(sys);
  const motd = new TextDecoder().decode(await vfs.readFile("/etc/motd"));
  if (!motd.startsWith("Welcome to doorkit.")) return 1;
  const note = new Uint8Array(IO_MAX + 1000).map((_, i) => i % 251);
  const fd = await vfs.open("/note", OpenFlags.READ | OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.EXCL);
  if ((await vfs.pwrite(fd, note, 0)) !== note.length) return 2;
  const back = new Uint8Array(note.length);
  if ((await vfs.pread(fd, back, 0)) !== note.length || !back.every((b, i) => b === note[i])) return 3;
  await vfs.close(fd);
  return 0;
}
