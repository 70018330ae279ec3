/**
 * A Trap that records the registers of each trap and answers from a script,
 * for tests that check register use exactly (docs/abi.md 1.2).
 */
import type { MessageBuffer, Trap } from "../../runtime/trap.js";

export type Answer = (args: Int32Array, buffer: MessageBuffer) => readonly [number, number, number, number] | "block";

export class ScriptedTrap implements Trap {
  readonly args = new Int32Array(4);
  readonly seen: (readonly [number, number, number, number])[] = [];
  private readonly answers: Answer[];

  constructor(
    readonly buffer: MessageBuffer,
    answers: readonly Answer[],
  ) {
    this.answers = [...answers];
  }

  enter(): Promise<void> {
    this.seen.push([this.args[0]!, this.args[1]!, this.args[2]!, this.args[3]!]);
    const answer = this.answers.shift();
    const result = answer ? answer(this.args, this.buffer) : "block";
    if (result === "block") return new Promise(() => {});
    this.args.set(result);
    return Promise.resolve();
  }
}

/** A MessageBuffer over fresh memory at `address`. */
export function memoryBuffer(size = 256, address = 0x4000): MessageBuffer {
  const bytes = new Uint8Array(size);
  return { address, size, bytes, view: new DataView(bytes.buffer) };
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
