/**
 * IPC objects (doors): a receive point owned by one process, with FIFO queues
 * of blocked senders and receivers. Its class fixes the function numbers it
 * accepts (docs/abi.md 1.1). Queues are mutated only by ipc.ts and the kernel's
 * destroy path.
 */
import { CLASS_SYSTEM, SYSTEM_BASE, SYSTEM_LAST, USER_BASE } from "./abi.js";
import type { Process } from "./process.js";
import { ThreadQueue } from "./thread.js";

export class IpcObject {
  readonly kind = "door" as const;
  readonly senders = new ThreadQueue();
  readonly receivers = new ThreadQueue();
  alive = true;
  /** Open references, the owner's included. */
  references = 0;

  constructor(
    readonly id: number,
    readonly objectClass: number,
    readonly securityType: number,
    readonly owner: Process,
  ) {}

  /** Whether `fn` is in the range this object's class accepts. */
  accepts(fn: number): boolean {
    return this.objectClass === CLASS_SYSTEM ? fn >= SYSTEM_BASE && fn <= SYSTEM_LAST : fn >= USER_BASE;
  }
}
