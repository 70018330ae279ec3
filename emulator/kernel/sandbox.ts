/**
 * OS emulation: a sandboxed thread's traps, on any vector and by sysenter,
 * go to its handler door instead of the kernel. The kernel pushes a trap
 * frame at the top of the thread's stack page, as a processor pushes one on
 * the stack, and sends it to the handler as the thread's request:
 *
 *   request (48 bytes)  { u32 vector (0 for sysenter); u32 via (0 int, 1 sysenter);
 *                         i32 eax, ebx, esi, edi, ecx, edx, ebp, esp, eip, eflags }
 *   reply (<= 40 bytes) { i32 eax, ebx, esi, edi, ecx, edx, ebp, esp, eip, eflags }
 *
 * with function number 0x7FFF on a system-class door, 0xFFFF on a user one.
 * The reply's words set the registers the thread resumes with (those it does
 * not reach keep their trap-time values); REPLY_ERROR, or the handler's end,
 * resumes it with the registers of a failed call (eax -1, ebx errno).
 */
import { PAGE_SIZE } from "../machine/addresses.js";
import { REGISTER_COUNT } from "../machine/registers.js";
import type { TrapVia } from "../machine/traps.js";
import { CLASS_SYSTEM, ORIGIN_KERNEL, packSizes } from "./abi.js";
import type { IpcObject } from "./ipc-object.js";
import { sendOn, setFailure, type Next } from "./ipc.js";
import type { Kernel } from "./kernel.js";
import type { Thread } from "./thread.js";
import { loadWord, storeWord } from "./user-copy.js";

export const TRAP_MESSAGE_SIZE = 8 + 4 * REGISTER_COUNT;
export const TRAP_REPLY_SIZE = 4 * REGISTER_COUNT;
export const TRAP_FN_SYSTEM = 0x7fff;
export const TRAP_FN_USER = 0xffff;

function framePtr(t: Thread): number {
  return t.stackTop + PAGE_SIZE - TRAP_MESSAGE_SIZE;
}

/** Delivers a trap of sandboxed thread `t` to its handler; the thread to run next. */
export function sandboxTrap(k: Kernel, t: Thread, via: TrapVia, vector: number): Next {
  const ref = t.sandbox!;
  const obj = ref.object as IpcObject;
  const regs = t.regs.regs;
  const saved = (t.trapRegs ??= new Int32Array(REGISTER_COUNT));
  saved.set(regs);
  const ptr = framePtr(t);
  const cr3 = t.process.space.cr3;
  storeWord(k.mmu, cr3, ptr, vector);
  storeWord(k.mmu, cr3, ptr + 4, via === "int" ? 0 : 1);
  for (let i = 0; i < REGISTER_COUNT; i++) storeWord(k.mmu, cr3, ptr + 8 + 4 * i, regs[i]!);
  const a = t.regs.args;
  a[0] = obj.objectClass === CLASS_SYSTEM ? TRAP_FN_SYSTEM : TRAP_FN_USER;
  a[1] = 0;
  a[2] = ptr;
  a[3] = packSizes(TRAP_MESSAGE_SIZE, TRAP_MESSAGE_SIZE, 0);
  t.inTrap = true;
  const next = sendOn(k, t, ref, obj);
  if (next === t) {
    const errno = a[1]!;
    endTrap(k, t, false, 0);
    setFailure(t, errno, ORIGIN_KERNEL);
  }
  return next;
}

/**
 * The handler's call for `t` has ended: its trap-time registers come back,
 * overwritten by the reply's `data` bytes when `ok`. No-op for a thread not
 * in a sandboxed trap.
 */
export function endTrap(k: Kernel, t: Thread, ok: boolean, data: number): void {
  if (!t.inTrap) return;
  t.inTrap = false;
  const regs = t.regs.regs;
  regs.set(t.trapRegs!);
  if (!ok) return;
  const n = Math.min(REGISTER_COUNT, data >>> 2);
  const ptr = framePtr(t);
  for (let i = 0; i < n; i++) regs[i] = loadWord(k.mmu, t.process.space.cr3, ptr + 4 * i) | 0;
}
