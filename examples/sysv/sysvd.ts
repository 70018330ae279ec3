/**
 * The sysvd daemon's serving side: Sysv (sysv.idl) on one door per client,
 * each door served by a pool of threads over one SysvService.
 *
 * Identity, never from a message: with `serveSysv`, whoever sets the
 * system up creates a client's door with the daemon and hands that client
 * the only send reference to it, so the door a call arrives on says who is
 * calling (`ClientDoor`) and the serve thread stamps the client's number
 * into the cookie; with `serveShared`, the process manager stamped the
 * client's pid into its reference at lookup and tells the daemon that
 * pid's uid and gid.
 *
 * Blocking: a call that must wait keeps its serve thread, which yields a
 * little and then sleeps on its wake door (wake-door.ts) until the service
 * settles the call; before it starts waiting, a new thread is started if
 * none other is receiving on that door, so other calls are always served.
 */
import * as rt from "doorkit/runtime";
import { SYSV_BUFFER_SIZE, SysvDispatcher } from "../../gen/examples/sysv/sysv.js";
import { ObjectClass } from "../../gen/idl/types.js";
import { Events, PROCMGR_BUFFER_SIZE, ProcmgrClient, ProcmgrEventsDispatcher } from "../../gen/idl/procmgr.js";
import type { ProgramEntry, Sys } from "../../emulator/program/program.js";
import { MSGMAX, type Caller } from "./core/index.js";
import { SysvService, type ThreadKernel } from "./service.js";
import { Waker, kernelDoors, type DoorMaker } from "./wake-door.js";

/** Yields a waiting serve thread makes before it sleeps (bench/sysv.bench.ts). */
const SPIN = 16;
const PROT_READ = 1;
const PROT_WRITE = 2;

/** A door the daemon serves and the identity of the one client that can call through it. */
export interface ClientDoor {
  readonly door: number;
  readonly caller: Caller;
}

/**
 * One door and how its calls are attributed: `stamp` sets the cookie the
 * reply stores in the caller's reference; `prepare`, when it returns a
 * promise, learns who the caller is before the call is dispatched.
 */
interface DoorPlan {
  readonly door: number;
  stamp(call: rt.Call): void;
  prepare?(call: rt.Call, thread: ServeThread): Promise<void> | undefined;
}

/** A serve thread: what the service needs to make kernel calls on it and to hold it while a call waits. */
interface ServeThread {
  readonly sys: Sys;
  /** The private wake door the thread sleeps on while it holds a waiting call. */
  readonly wake: number;
  /** Whether it sleeps there now (a settle must wake it), and whether its held call settled while it spun. */
  asleep: boolean;
  settled: boolean;
  readonly pool: DoorPool;
  readonly index: number;
  readonly manager: ProcmgrClient | undefined;
  readonly kernel: ThreadKernel;
}

interface DoorPool {
  readonly plan: DoorPlan;
  /** Threads serving this door, and how many of them hold a waiting call. */
  threads: number;
  waiting: number;
}

/**
 * Serves `clients` forever from the calling thread and the threads it
 * starts, each on its own door with its own identity.
 */
export function serveSysv(sys: Sys, clients: readonly ClientDoor[]): Promise<never> {
  const plans = clients.map((c, i): DoorPlan => ({ door: c.door, stamp: (call) => void (call.cookie = i + 1) }));
  return servePools(sys, plans, (call) => clients[call.cookie - 1]?.caller, kernelDoors);
}

/**
 * Serves one door shared by every client. The process manager stamped each
 * client's reference with its pid at lookup (any other copy starts at cookie
 * 0, and the client cannot change it), so the cookie of a call names the
 * caller; the daemon asks the manager once per pid who that is (`identify`:
 * the uid and gid the image gives its program). A call with cookie 0, or
 * from a pid the manager does not know, is EACCES. `exits` is an object the
 * daemon owns, for the manager's exit notifications.
 */
export function serveShared(sys: Sys, door: number, exits: number): Promise<never> {
  const known = new Map<number, Caller>();
  const learn = async (pid: number, thread: ServeThread): Promise<void> => {
    try {
      const { uid, gid } = await thread.manager!.identify(pid);
      known.set(pid, { pid, uid, gid });
    } catch (error) {
      if (!(error instanceof rt.DoorError)) throw error;
    }
  };
  const plan: DoorPlan = {
    door,
    stamp: () => {},
    prepare: (call, thread) => (call.cookie === 0 || known.has(call.cookie) ? undefined : learn(call.cookie, thread)),
  };
  const identify = (call: rt.Call) => known.get(call.cookie);
  // An unprivileged daemon asks the process manager for its wake doors.
  const procmgrDoors: DoorMaker = async (thread) => {
    const procmgr = new ProcmgrClient(thread.trap, await thread.messageBuffer(PROCMGR_BUFFER_SIZE));
    return (await procmgr.create(ObjectClass.USER, "")).object;
  };
  return servePools(sys, [plan], identify, procmgrDoors, exits);
}

/**
 * The pools of serve threads over one service. With `exits` (an object the
 * daemon owns), `attach` subscribes to the caller's exit with the process
 * manager, and one more thread serves the notifications on `exits`.
 */
async function servePools(
  sys: Sys,
  plans: readonly DoorPlan[],
  identify: (call: rt.Call) => Caller | undefined,
  newDoor: DoorMaker,
  exits?: number,
): Promise<never> {
  // Each serve thread makes its kernel calls, and asks the process manager, through its own buffers.
  const threads = new Map<rt.Trap, ServeThread>();
  const watch = async (pid: number, call: rt.Call): Promise<number> => {
    try {
      await threads.get(call.trap)!.manager!.subscribe(pid, Events.EXIT, exits!);
      return 0;
    } catch (error) {
      if (error instanceof rt.DoorError) return error.errno;
      throw error;
    }
  };
  // No kernel clock yet: semtimedop waits without a deadline.
  const service = new SysvService({
    identify,
    timer: () => () => {},
    watch: exits === undefined ? undefined : watch,
    kernelOf: (call) => threads.get(call.trap)?.kernel,
    hold: (call, settled) => waitFor(threads.get(call.trap)!, settled),
    settled: (call) => {
      const thread = threads.get(call.trap)!;
      if (thread.asleep) toWake.push(thread.wake);
      else thread.settled = true;
    },
  });
  /** Wake doors of threads whose calls settled, for the thread that settled them to wake before it replies. */
  const toWake: number[] = [];
  const dispatcher = new SysvDispatcher(service);
  const pools = plans.map((plan): DoorPool => ({ plan, threads: 0, waiting: 0 }));
  const waker = await Waker.start(sys, newDoor);

  const serveThread: ProgramEntry = async (threadSys) => {
    await serveDoor(threadSys, threadSys.argument);
    return 0;
  };

  async function serveDoor(threadSys: Sys, index: number): Promise<never> {
    const pool = pools[index]!;
    pool.threads++;
    const buffer = await threadSys.messageBuffer(SYSV_BUFFER_SIZE);
    const scratch = await threadSys.kernel.memAlloc(0, MSGMAX, PROT_READ | PROT_WRITE);
    if (scratch < 0) throw new rt.DoorError(-scratch, "kernel", "no scratch memory for a serve thread");
    const manager =
      exits === undefined
        ? undefined
        : new ProcmgrClient(threadSys.trap, await threadSys.messageBuffer(PROCMGR_BUFFER_SIZE));
    const thread: ServeThread = {
      sys: threadSys,
      wake: await waker.open(threadSys),
      asleep: false,
      settled: false,
      pool,
      index,
      manager,
      kernel: { kernel: threadSys.kernel, memory: threadSys.memory, scratch },
    };
    threads.set(threadSys.trap, thread);
    const stamped: rt.Dispatcher = {
      bufferSize: dispatcher.bufferSize,
      dispatch(call) {
        pool.plan.stamp(call);
        const learning = pool.plan.prepare?.(call, thread);
        return learning === undefined ? run(call) : learning.then(() => run(call));
      },
    };
    function run(call: rt.Call): rt.Answer<rt.Outcome> {
      const answer = dispatcher.dispatch(call);
      if (answer instanceof Promise) return answer.then((outcome) => afterCall(threadSys).then(() => outcome));
      return toWake.length > 0 || service.hasReleased() ? afterCall(threadSys).then(() => answer) : answer;
    }
    return rt.serve(threadSys.trap, buffer, pool.plan.door, stamped);
  }

  /** Before a thread replies: wakes the threads whose calls it settled, and closes what it released. */
  async function afterCall(threadSys: Sys): Promise<void> {
    while (toWake.length > 0) await waker.wake(threadSys, toWake.shift()!);
    await release(threadSys);
  }

  /** Closes the daemon's references to destroyed segments (a client's mapping keeps the frames until it unmaps). */
  async function release(threadSys: Sys): Promise<void> {
    for (const memory of service.takeReleased()) {
      await threadSys.kernel.descClose(memory.rw);
      await threadSys.kernel.descClose(memory.ro);
    }
  }

  /**
   * Holds `thread` until the call it holds settles, while another thread
   * keeps receiving on its door: it yields up to SPIN times (most waits of
   * a ping-pong end within them, and a wake costs two IPC round trips),
   * then sleeps on its wake door.
   */
  async function waitFor<T>(thread: ServeThread, answer: Promise<T>): Promise<T> {
    const { sys: threadSys, pool, index } = thread;
    thread.settled = false;
    pool.waiting++;
    if (pool.threads - pool.waiting === 0) await threadSys.createThread(serveThread, index);
    for (let i = 0; i < SPIN && !thread.settled; i++) await threadSys.kernel.threadYield();
    if (!thread.settled) {
      thread.asleep = true;
      await waker.sleep(threadSys, thread.wake);
      thread.asleep = false;
    }
    pool.waiting--;
    return answer;
  }

  if (exits !== undefined) {
    await sys.createThread(async (thread) => {
      const buffer = await thread.messageBuffer(PROCMGR_BUFFER_SIZE);
      const notified = new ProcmgrEventsDispatcher({
        process_exited: async ({ pid }) => {
          service.processExited(pid);
          await afterCall(thread);
        },
      });
      return rt.serve(thread.trap, buffer, exits, notified);
    });
  }
  for (let i = 1; i < plans.length; i++) await sys.createThread(serveThread, i);
  return serveDoor(sys, 0);
}
