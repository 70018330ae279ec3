/**
 * Boots the example on a bare kernel: a console server, and a process whose
 * first thread becomes the personality handler and whose second runs the
 * foreign program, sandboxed so that its every trap goes to the handler.
 */
import { Kernel } from "../../emulator/kernel/index.js";
import type { ProgramEntry, Sys } from "../../emulator/program/index.js";
import { foreignProgram } from "./foreign-program.js";
import { CONSOLE_WRITE, servePersonality } from "./personality.js";

const RECEIVE = 1;
const REPLY_RECEIVE = 3;
const REPLY_ERROR = 4;
const CLASS_USER = 2;
const RIGHT_SEND = 1;
const EINVAL = 22;

export interface Demo {
  readonly kernel: Kernel;
  /** What the console printed. */
  readonly output: string[];
  /** Foreign call numbers, in the order the handler saw them. */
  readonly calls: number[];
  /** The foreign program's exit status, once it has ended. */
  status: number | null;
}

/** The console: prints the bytes of each write's lease. */
async function consoleServer(sys: Sys, door: number, output: string[]): Promise<number> {
  const buf = await sys.messageBuffer();
  const scratch = await sys.kernel.memAlloc(0, 4096, 3);
  const a = sys.trap.args;
  const wait = async (op: number, cookie: number, data: number) => {
    a[0] = op;
    a[1] = op === RECEIVE ? door : cookie;
    a[2] = buf.address;
    a[3] = (buf.size << 20) | (data << 8);
    await sys.trap.enter();
  };
  await wait(RECEIVE, 0, 0);
  while (a[0] !== -1) {
    const lease = buf.view.getUint32(0, true);
    if (a[0] !== CONSOLE_WRITE || (a[3]! & 0xff) !== 1) {
      a[0] = REPLY_ERROR;
      a[1] = EINVAL;
      a[2] = a[3] = 0;
      await sys.trap.enter();
      await wait(RECEIVE, 0, 0);
      continue;
    }
    const count = await sys.kernel.leaseRead(lease, 0, scratch, 4096);
    if (count > 0) output.push(new TextDecoder().decode(sys.memory.readBytes(scratch, count)));
    await sys.kernel.descClose(lease);
    buf.view.setInt32(0, count, true);
    buf.view.setInt32(4, 0, true);
    await wait(REPLY_RECEIVE, 0, 8);
  }
  return 0;
}

export function bootDemo(program: ProgramEntry = foreignProgram): Demo {
  const kernel = new Kernel({ memoryBytes: 2 << 20 });
  const demo: Demo = { kernel, output: [], calls: [], status: null };
  kernel.spawn({
    name: "console",
    privileged: true,
    program: async (sys) => {
      const door = await sys.kernel.ipcCreate(CLASS_USER, 0);
      kernel.spawn({
        name: "linux-emu",
        privileged: true,
        descriptors: [{ pid: sys.pid, descriptor: door, rights: RIGHT_SEND }],
        program: async (emu) => {
          const handler = await emu.kernel.ipcCreate(CLASS_USER, 0);
          const tid = await emu.createThread(async (t) => {
            demo.status = await program(t);
            return demo.status;
          });
          const sandboxed = await emu.kernel.threadSandbox(tid, handler);
          if (sandboxed < 0) return sandboxed;
          return servePersonality(emu, handler, emu.descriptors[0]!, demo.calls);
        },
      });
      return consoleServer(sys, door, demo.output);
    },
  });
  return demo;
}
