/**
 * The tiny "foreign" system the example emulates: a few i386 Linux system
 * calls by their Linux numbers, made with `int 0x80`. The model's programs
 * set only eax, ebx, esi and edi (runtime/trap.ts), so arguments go in ebx,
 * esi and edi where Linux uses ebx, ecx and edx; results come back in eax,
 * negative errnos on failure, as on Linux.
 */
import type { Trap } from "../../runtime/trap.js";

export const LINUX_EXIT = 1;
export const LINUX_WRITE = 4;
export const LINUX_GETPID = 20;

export const LINUX_EBADF = 9;
export const LINUX_EFAULT = 14;
export const LINUX_ENOSYS = 38;

/** One foreign system call: eax = number, then up to three arguments; returns eax. */
export async function linuxCall(trap: Trap, nr: number, a = 0, b = 0, c = 0): Promise<number> {
  const r = trap.args;
  r[0] = nr;
  r[1] = a;
  r[2] = b;
  r[3] = c;
  await trap.enter();
  return r[0]!;
}
