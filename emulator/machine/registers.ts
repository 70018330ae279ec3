/**
 * A thread's register file: the ten i386 registers the model keeps, in one
 * Int32Array. The four argument registers of the trap ABI come first, so that
 * `args()` is a view over them (docs/abi.md: arg0 = eax, arg1 = ebx,
 * arg2 = esi, arg3 = edi) and a trap copies no registers.
 */
export const EAX = 0;
export const EBX = 1;
export const ESI = 2;
export const EDI = 3;
export const ECX = 4;
export const EDX = 5;
export const EBP = 6;
export const ESP = 7;
export const EIP = 8;
export const EFLAGS = 9;
export const REGISTER_COUNT = 10;

export const REGISTER_NAMES = ["eax", "ebx", "esi", "edi", "ecx", "edx", "ebp", "esp", "eip", "eflags"] as const;

/** EFLAGS after reset: bit 1 is always set, IF on for user mode (SDM vol. 1, 3.4.3). */
export const EFLAGS_RESET = 0x202;

export class RegisterFile {
  readonly regs = new Int32Array(REGISTER_COUNT);
  /** arg0..arg3, aliasing eax, ebx, esi, edi. */
  readonly args = this.regs.subarray(EAX, EDI + 1);

  constructor() {
    this.regs[EFLAGS] = EFLAGS_RESET;
  }

  get(name: (typeof REGISTER_NAMES)[number]): number {
    return this.regs[REGISTER_NAMES.indexOf(name)]!;
  }
}
