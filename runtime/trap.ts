/**
 * The one interface between a program (and the stubs generated for it) and the
 * kernel: four argument registers and a trap instruction.
 *
 *   args[0] = arg0 = eax    args[1] = arg1 = ebx
 *   args[2] = arg2 = esi    args[3] = arg3 = edi
 *
 * The caller writes the registers, awaits `enter()`, and reads the results
 * from the same array. Each thread has its own `Trap`; the array is reused for
 * every call, so a call allocates no register block. The emulator implements
 * this over a thread's register file; tests may implement it with a fake
 * kernel.
 */
export interface Trap {
  readonly args: Int32Array;
  /** Executes the trap instruction; resolves when the thread runs again. */
  enter(): Promise<void>;
}

/**
 * A program's message buffer: `size` bytes of its own memory at virtual
 * address `address` (the msgPtr it passes to the kernel), seen through `view`
 * and `bytes`. The emulator gives a program a page-aligned buffer of at most
 * one page, so both views are over one physical frame that stays mapped.
 */
export interface MessageBuffer {
  readonly address: number;
  readonly size: number;
  readonly view: DataView;
  readonly bytes: Uint8Array;
}
