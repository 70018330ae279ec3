/**
 * Trap delivery: how a thread enters the kernel. `int N` goes through the
 * gate for vector N; only the process's system-call vector (0x80 unless the
 * kernel sets another, the hook for emulating other systems) is a user-callable
 * gate, and any other vector raises a general-protection fault (SDM vol. 3A
 * 6.12.1.1: a gate whose DPL is below the CPL). `sysenter` reaches the same
 * entry with the same registers (SDM vol. 2B, SYSENTER). The gate knows nothing
 * of processes: its context type is the kernel's.
 */
export const DEFAULT_SYSCALL_VECTOR = 0x80;

export type TrapVia = "int" | "sysenter";

export interface TrapHandlers<C, R> {
  /** The system-call entry: arguments are in the context's registers. */
  readonly syscall: (context: C, via: TrapVia) => R;
  /** A fault raised by the trap instruction itself. */
  readonly fault: (context: C, vector: number) => R;
}

export const GENERAL_PROTECTION = 13;

export class TrapGate<C, R> {
  constructor(private readonly handlers: TrapHandlers<C, R>) {}

  /** `int vector` from a thread whose process has `syscallVector` as its gate. */
  int(context: C, vector: number, syscallVector: number): R {
    if (vector === syscallVector) return this.handlers.syscall(context, "int");
    return this.handlers.fault(context, GENERAL_PROTECTION);
  }

  sysenter(context: C): R {
    return this.handlers.syscall(context, "sysenter");
  }
}
