/**
 * The client call path (docs/abi.md 1.2). A generated client extends
 * `DoorClient`; each method encodes its request into the frame, fills
 * `args` and awaits `trap.enter()` itself (one async level per call), and
 * decodes the reply from the same buffer. `send` and `answer` do the same
 * for hand-written subclasses.
 */
import { MAX_MESSAGE_SIZE, ORIGIN_SERVER, EINVAL } from "./abi.js";
import { closeDescriptor } from "./descriptors.js";
import { DoorError, malformedReply } from "./errors.js";
import { Frame } from "./message.js";
import { align4, dataSizeOf, descCountOf, packMessage } from "./registers.js";
import type { MessageBuffer, Trap } from "./trap.js";

export class DoorClient {
  protected readonly trap: Trap;
  protected readonly frame: Frame;
  /** The trap's registers and the buffer's msgPtr, kept for the generated methods. */
  protected readonly args: Int32Array;
  protected readonly address: number;
  /** The descriptor the calls go to (0 for the kernel and the process manager). */
  readonly target: number;

  /**
   * `bufferSize` is the interface's largest message (its `…_BUFFER_SIZE`
   * constant); a smaller buffer or a target outside 0..0xFFFF is refused
   * with a DoorError of origin "client".
   */
  constructor(trap: Trap, buffer: MessageBuffer, target: number, bufferSize: number, name: string) {
    if (!(buffer.size >= bufferSize && buffer.bytes.length >= bufferSize)) {
      throw new DoorError(EINVAL, "client", `${name} needs a message buffer of ${bufferSize} bytes, got ${buffer.size}`);
    }
    if (!((target & 0xffff) === target)) {
      throw new DoorError(EINVAL, "client", `${name}: target ${String(target)} is not a descriptor (0..0xFFFF)`);
    }
    this.trap = trap;
    this.frame = new Frame(buffer);
    this.args = trap.args;
    this.address = buffer.address;
    this.target = target;
  }

  /**
   * Traps with the encoded request: arg0 = fn, arg1 = target, arg2 = msgPtr,
   * arg3 = total | data | descN. Not async itself, so a call costs one
   * promise; read the outcome with `answer()` once it resolves.
   */
  protected send(fn: number, totalSize: number, dataSize: number, descN: number): Promise<void> {
    const args = this.trap.args;
    args[0] = fn;
    args[1] = this.target;
    args[2] = this.frame.buffer.address;
    args[3] = packMessage(Math.min(totalSize, MAX_MESSAGE_SIZE), dataSize, descN);
    return this.trap.enter();
  }

  /**
   * After `send`: the reply's arg3 (msgDataSize | msgDescN) for a normal
   * reply; throws a DoorError of origin "kernel" or "server" when arg0 = -1.
   */
  protected answer(): number {
    if (this.args[0] === -1) throw this.failure();
    return this.args[3]!;
  }

  /** After a trap that returned arg0 = -1: the DoorError of origin "kernel" or "server" it means. */
  protected failure(): DoorError {
    const args = this.args;
    return new DoorError(args[1]!, args[2] === ORIGIN_SERVER ? "server" : "kernel");
  }

  /**
   * A reply that did not decode: closes the descriptors it carried (the
   * kernel put them in this process's table) and returns the DoorError of
   * origin "protocol" to throw.
   */
  protected async refuseReply(error: unknown, arg3: number): Promise<DoorError> {
    const at = align4(dataSizeOf(arg3));
    const descs: number[] = [];
    for (let i = 0; i < descCountOf(arg3); i++) descs.push(this.frame.view.getUint32(at + 4 * i, true));
    for (const desc of descs) if (desc !== 0) await closeDescriptor(this.trap, this.frame, desc);
    return malformedReply(error);
  }
}
