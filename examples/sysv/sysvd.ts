/**
 * The sysvd daemon's serving side: Sysv (sysv.idl) on one door per client,
 * each door served by a pool of threads over one SysvService.
 *
 * Identity: whoever sets the system up creates a client's door with the
 * daemon and hands that client the only send reference to it, so the door a
 * call arrives on says who is calling (`ClientDoor`); the serve thread
 * stamps the client's number into the cookie. Nothing in a message is
 * trusted for it.
 *
 * Blocking: a call that must wait keeps its serve thread, which yields the
 * processor until the service settles the call (the kernel has no primitive
 * for a thread to sleep on a user-space event yet); before it starts
 * waiting, a new thread is started if none other is receiving on that door,
 * so other calls are always served.
 */
import * as rt from "doorkit/runtime";
import { SYSV_BUFFER_SIZE, SysvDispatcher } from "../../gen/examples/sysv/sysv.js";
import type { ProgramEntry, Sys } from "../../emulator/program/program.js";
import type { Caller } from "./core/index.js";
import { SysvService } from "./service.js";

/** A door the daemon serves and the identity of the one client that can call through it. */
export interface ClientDoor {
  readonly door: number;
  readonly caller: Caller;
}

interface DoorPool {
  readonly door: number;
  /** Threads serving this door, and how many of them hold a waiting call. */
  threads: number;
  waiting: number;
}

/**
 * Serves `clients` forever from the calling thread and the threads it
 * starts. Semaphore and message-queue calls work; shared memory answers
 * ENOSYS (service.ts).
 */
export async function serveSysv(sys: Sys, clients: readonly ClientDoor[]): Promise<never> {
  const service = new SysvService({
    identify: (call) => clients[call.cookie - 1]?.caller,
    // No kernel clock yet: semtimedop waits without a deadline.
    timer: () => () => {},
  });
  const dispatcher = new SysvDispatcher(service);
  const pools = clients.map((c): DoorPool => ({ door: c.door, threads: 0, waiting: 0 }));

  const serveThread: ProgramEntry = async (threadSys) => {
    await serveDoor(threadSys, threadSys.argument);
    return 0;
  };

  async function serveDoor(threadSys: Sys, index: number): Promise<never> {
    const pool = pools[index]!;
    pool.threads++;
    const buffer = await threadSys.messageBuffer(SYSV_BUFFER_SIZE);
    const stamped: rt.Dispatcher = {
      bufferSize: dispatcher.bufferSize,
      dispatch(call) {
        call.cookie = index + 1;
        const answer = dispatcher.dispatch(call);
        return answer instanceof Promise ? waitFor(threadSys, pool, index, answer) : answer;
      },
    };
    return rt.serve(threadSys.trap, buffer, pool.door, stamped);
  }

  async function waitFor<T>(threadSys: Sys, pool: DoorPool, index: number, answer: Promise<T>): Promise<T> {
    pool.waiting++;
    if (pool.threads - pool.waiting === 0) await threadSys.createThread(serveThread, index);
    let settled = false;
    void answer.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) await threadSys.kernel.threadYield();
    pool.waiting--;
    return answer;
  }

  for (let i = 1; i < clients.length; i++) await sys.createThread(serveThread, i);
  return serveDoor(sys, 0);
}
