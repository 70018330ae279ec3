/**
 * The handler that turns the foreign calls into doorkit calls. It runs as a
 * thread of the same process as the sandboxed program: every trap of the
 * program arrives on the handler's door as a message with its registers
 * (emulator/kernel/sandbox.ts), and the reply sets the registers it resumes
 * with. write(1 or 2) becomes a call to the console server carrying a lease
 * on the program's buffer; getpid answers the doorkit pid; exit records the
 * status; anything else is -ENOSYS.
 */
import type { Sys } from "../../emulator/program/index.js";
import type { MessageBuffer } from "../../runtime/trap.js";
import { LINUX_EBADF, LINUX_EFAULT, LINUX_ENOSYS, LINUX_EXIT, LINUX_GETPID, LINUX_WRITE } from "./linux-abi.js";

const RECEIVE = 1;
const REPLY_RECEIVE = 3;
/** The console's one call: write the lease's bytes. */
export const CONSOLE_WRITE = 0x8001;
const LEASE_READ = 1;
/** Trap message: { u32 vector; u32 via; i32 eax, ebx, esi, edi, ecx, edx, ebp, esp, eip, eflags }. */
const REGS_AT = 8;
const REGS_SIZE = 40;

async function trap(sys: Sys, a0: number, a1: number, a2: number, a3: number): Promise<Int32Array> {
  const r = sys.trap.args;
  r[0] = a0;
  r[1] = a1;
  r[2] = a2;
  r[3] = a3;
  await sys.trap.enter();
  return r;
}

const sizes = (total: number, data: number, descs: number) => (total << 20) | (data << 8) | descs | 0;

/** Sends the program's bytes [address, address + length) to the console through a lease; bytes written or -errno. */
async function consoleWrite(
  sys: Sys,
  console: number,
  out: MessageBuffer,
  address: number,
  length: number,
): Promise<number> {
  const lease = await sys.kernel.leaseCreate(address, length, LEASE_READ);
  if (lease < 0) return -LINUX_EFAULT;
  out.view.setUint32(0, lease, true);
  const r = await trap(sys, CONSOLE_WRITE, console, out.address, sizes(out.size, 0, 1));
  const written = r[0] === -1 ? -r[1]! : r[0]!;
  await sys.kernel.descClose(lease);
  return written;
}

/** What one foreign call returns in eax. */
async function emulate(sys: Sys, console: number, out: MessageBuffer, pid: number, regs: Int32Array): Promise<number> {
  const [eax, ebx, esi, edi] = regs;
  switch (eax) {
    case LINUX_WRITE:
      if (ebx !== 1 && ebx !== 2) return -LINUX_EBADF;
      return consoleWrite(sys, console, out, esi! >>> 0, edi! >>> 0);
    case LINUX_GETPID:
      return pid;
    case LINUX_EXIT:
      return ebx!;
    default:
      return -LINUX_ENOSYS;
  }
}

/** Serves the traps arriving on `door` for as long as it lives; `console` is the console's door. */
export async function servePersonality(sys: Sys, door: number, console: number, trace: number[]): Promise<number> {
  const buf = await sys.messageBuffer();
  const out = await sys.messageBuffer(64);
  let r = await trap(sys, RECEIVE, door, buf.address, sizes(buf.size, 0, 0));
  while (r[0] !== -1) {
    const regs = new Int32Array(
      buf.bytes.buffer.slice(buf.bytes.byteOffset + REGS_AT, buf.bytes.byteOffset + REGS_AT + REGS_SIZE),
    );
    trace.push(regs[0]!);
    const result = await emulate(sys, console, out, sys.pid, regs);
    // The reply is the register file the program resumes with: as it trapped, with eax = the result.
    buf.bytes.copyWithin(0, REGS_AT, REGS_AT + REGS_SIZE);
    buf.view.setInt32(0, result, true);
    r = await trap(sys, REPLY_RECEIVE, 0, buf.address, sizes(buf.size, REGS_SIZE, 0));
  }
  return 0;
}
