/**
 * A program written for the foreign system: it knows nothing of doorkit,
 * only `int 0x80` with Linux numbers. It writes its pid and a greeting to
 * standard output, tries a bad descriptor and an unknown call, then exits.
 */
import type { Sys } from "../../emulator/program/index.js";
import { LINUX_EXIT, LINUX_GETPID, LINUX_WRITE, linuxCall } from "./linux-abi.js";

export async function foreignProgram(sys: Sys): Promise<number> {
  const linux = sys.intTrap(0x80);
  const scratch = sys.stack.address;
  const write = async (fd: number, text: string): Promise<number> => {
    const bytes = new TextEncoder().encode(text);
    sys.memory.writeBytes(scratch, bytes);
    return linuxCall(linux, LINUX_WRITE, fd, scratch, bytes.length);
  };
  const pid = await linuxCall(linux, LINUX_GETPID);
  await write(1, `hello from pid ${pid}\n`);
  const badFd = await write(7, "nobody hears this\n");
  const unknown = await linuxCall(linux, 999);
  await write(1, `write(7) = ${badFd}, syscall 999 = ${unknown}\n`);
  return linuxCall(linux, LINUX_EXIT, 0);
}
