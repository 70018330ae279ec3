/**
 * Sleeping a serve thread that holds a waiting call, with kernel IPC only.
 * A thread that holds an unanswered call may not RECEIVE (EBUSY), but it
 * may send: the sleeper sends an empty message to its private wake door (a
 * user IPC object of the daemon's that no other process holds) and the
 * kernel keeps it blocked until that message is answered. Answering it is
 * the waker thread's job: it holds no call, so it can RECEIVE. A thread
 * that settles a waiting call sends the sleeper's door number to the waker,
 * which answers at once, then receives the sleeper's message on that door
 * and answers it. One wake per sleep; a wake that comes first waits for
 * the sleep.
 */
import * as rt from "doorkit/runtime";
import type { Sys } from "../../emulator/program/program.js";
import { ObjectClass } from "../../gen/idl/types.js";

/** The function number of wake messages: the first of a user object's range. */
const WAKE = rt.USER_BASE;
const BUFFER = 16;

/** Makes a user IPC object owned by the daemon, from thread `sys`: with ipc_create, or through the process manager. */
export type DoorMaker = (sys: Sys) => Promise<number>;

/** ipc_create, for a privileged daemon. */
export const kernelDoors: DoorMaker = async (sys) => {
  const door = await sys.kernel.ipcCreate(ObjectClass.USER, 0);
  if (door < 0) throw new rt.DoorError(-door, "kernel", "no wake door");
  return door;
};

export class Waker {
  private constructor(
    private readonly door: number,
    private readonly newDoor: DoorMaker,
  ) {}

  /** Creates the waker's door and starts the waker thread in the calling thread's process. */
  static async start(sys: Sys, newDoor: DoorMaker): Promise<Waker> {
    const door = await newDoor(sys);
    const started = await sys.createThread(async (thread) => run(thread, door));
    if (started < 0) throw new rt.DoorError(-started, "kernel", "no waker thread");
    return new Waker(door, newDoor);
  }

  /** A private wake door for a serve thread. */
  open(sys: Sys): Promise<number> {
    return this.newDoor(sys);
  }

  /** Blocks the thread `sys` runs until `wake(door)`. */
  async sleep(sys: Sys, door: number): Promise<void> {
    await send(sys, door, 0);
  }

  /** Wakes the thread that sleeps, or is about to sleep, on `door`; from thread `sys`. */
  async wake(sys: Sys, door: number): Promise<void> {
    sys.stack.view.setUint32(0, door, true);
    await send(sys, this.door, 4);
  }
}

/** A call to `door` with `dataSize` bytes from the thread's stack page; the answer carries nothing. */
async function send(sys: Sys, door: number, dataSize: number): Promise<void> {
  const args = sys.trap.args;
  args[0] = WAKE;
  args[1] = door;
  args[2] = sys.stack.address;
  args[3] = rt.packMessage(BUFFER, dataSize, 0);
  await sys.trap.enter();
  if (args[0] === -1) throw new rt.DoorError(args[1]!, "kernel", "wake door call failed");
}

/** The waker thread: for each door number it is sent, answers the sender, then the sleeper on that door. */
async function run(sys: Sys, door: number): Promise<never> {
  const buffer = await sys.messageBuffer(BUFFER);
  for (;;) {
    await receive(sys, buffer, door);
    const sleeper = buffer.view.getUint32(0, true);
    await reply(sys, buffer);
    await receive(sys, buffer, sleeper);
    await reply(sys, buffer);
  }
}

async function receive(sys: Sys, buffer: rt.MessageBuffer, door: number): Promise<void> {
  const args = sys.trap.args;
  for (;;) {
    args[0] = rt.RECEIVE;
    args[1] = door;
    args[2] = buffer.address;
    args[3] = rt.packReceive(BUFFER);
    await sys.trap.enter();
    if (args[0] !== -1) return;
    if (args[1] !== rt.EINTR) throw new rt.DoorError(args[1]!, "kernel", "receive on a wake door failed");
  }
}

/** Answers the message just received (its cookie is still in ebx) with no data. */
async function reply(sys: Sys, buffer: rt.MessageBuffer): Promise<void> {
  const args = sys.trap.args;
  args[0] = rt.REPLY;
  args[2] = buffer.address;
  args[3] = rt.packMessage(BUFFER, 0, 0);
  await sys.trap.enter();
}
