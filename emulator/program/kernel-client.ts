/**
 * Kernel calls (idl/kernel.idl) for programs, over a thread's trap and a
 * message buffer: each request is laid out per docs/abi.md 1.4 at the start of the
 * buffer, sent with target 0, and its reply read back from the same buffer.
 * Layouts mirror the table in emulator/kernel/kernel-calls.ts.
 */
import type { MessageBuffer, Trap } from "../../runtime/trap.js";
import type { DescInfo, KernelCalls } from "./program.js";

const NEVER = new Promise<never>(() => {});

export class KernelClient implements KernelCalls {
  constructor(
    private readonly trap: Trap,
    private readonly buffer: MessageBuffer,
  ) {}

  /**
   * Sends kernel call `fn` with `data` bytes already written at the start of
   * the buffer and `descs` descriptors after them; returns arg0, or -errno.
   */
  private async call(fn: number, data: number, descs: readonly number[] = []): Promise<number> {
    const at = (data + 3) & ~3;
    for (let i = 0; i < descs.length; i++) this.buffer.view.setUint32(at + 4 * i, descs[i]!, true);
    const a = this.trap.args;
    a[0] = fn;
    a[1] = 0;
    a[2] = this.buffer.address;
    a[3] = (this.buffer.size << 20) | (data << 8) | descs.length;
    await this.trap.enter();
    return a[0] === -1 ? -a[1]! : a[0]!;
  }

  private words(...values: number[]): number {
    values.forEach((v, i) => this.buffer.view.setUint32(4 * i, v >>> 0, true));
    return 4 * values.length;
  }

  private out(at: number): number {
    return this.buffer.view.getUint32(at, true);
  }

  async raw(fn: number, data: Uint8Array, descriptors: readonly number[] = []): Promise<Int32Array> {
    this.buffer.bytes.set(data, 0);
    await this.call(fn, data.length, descriptors);
    return this.trap.args;
  }

  async ipcCreate(objectClass: number, securityType: number): Promise<number> {
    const r = await this.call(0x010, this.words(objectClass, securityType));
    return r < 0 ? r : this.out(8);
  }

  ipcDestroy(object: number): Promise<number> {
    return this.call(0x011, 0, [object]);
  }

  async descDup(source: number, rights: number): Promise<number> {
    const r = await this.call(0x020, this.words(source, rights));
    return r < 0 ? r : this.out(8);
  }

  descClose(target: number): Promise<number> {
    return this.call(0x021, this.words(target));
  }

  async descInfo(target: number): Promise<DescInfo | number> {
    const r = await this.call(0x022, this.words(target));
    if (r < 0) return r;
    return { kind: this.out(8), rights: this.out(12), cookie: this.out(16), owner: this.buffer.view.getUint8(20) !== 0 };
  }

  /** Process manager only: the reference's next message hands it over with this cookie. */
  descSetCookie(target: number, cookie: number): Promise<number> {
    return this.call(0x023, this.words(target, cookie));
  }

  async threadCreate(entry: number, argument: number): Promise<number> {
    const r = await this.call(0x030, this.words(entry, argument));
    return r < 0 ? r : this.out(8);
  }

  async threadExit(status: number): Promise<never> {
    await this.call(0x031, this.words(status));
    return NEVER;
  }

  threadYield(): Promise<number> {
    return this.call(0x032, 0);
  }

  async processExit(status: number): Promise<never> {
    await this.call(0x038, this.words(status));
    return NEVER;
  }

  /** Process manager only: ends the process that `process` names with `status`. */
  processKill(process: number, status: number): Promise<number> {
    return this.call(0x03b, this.words(status), [process]);
  }

  async processSpawn(program: string, domain: number): Promise<number> {
    const name = new TextEncoder().encode(program);
    this.buffer.view.setUint16(0, 8, true);
    this.buffer.view.setUint16(2, name.length, true);
    this.buffer.view.setUint32(4, domain >>> 0, true);
    // A longer name is sent with its true count and refused by the kernel (ENAMETOOLONG).
    const sent = name.subarray(0, 64);
    this.buffer.bytes.set(sent, 8);
    const r = await this.call(0x039, 8 + sent.length);
    return r < 0 ? r : this.out(8);
  }

  async processWait(process: number): Promise<number | { status: number }> {
    const r = await this.call(0x03a, 0, [process]);
    return r < 0 ? r : { status: this.buffer.view.getInt32(8, true) };
  }

  async memAlloc(address: number, length: number, prot: number): Promise<number> {
    const r = await this.call(0x043, this.words(address, length, prot));
    return r < 0 ? r : this.out(8);
  }

  memUnmap(address: number, length: number): Promise<number> {
    return this.call(0x042, this.words(address, length));
  }

  async memCreate(size: number, flags: number): Promise<number> {
    const r = await this.call(0x040, this.words(size, flags));
    return r < 0 ? r : this.out(8);
  }

  async memMap(memory: number, address: number, offset: number, length: number, prot: number): Promise<number> {
    const r = await this.call(0x041, this.words(address, offset, length, prot), [memory]);
    return r < 0 ? r : this.out(8);
  }

  async leaseCreate(address: number, length: number, access: number): Promise<number> {
    const r = await this.call(0x050, this.words(address, length, access));
    return r < 0 ? r : this.out(8);
  }

  async leaseRead(lease: number, offset: number, address: number, length: number): Promise<number> {
    const r = await this.call(0x051, this.words(offset, address, length), [lease]);
    return r < 0 ? r : this.out(8);
  }

  async leaseWrite(lease: number, offset: number, address: number, length: number): Promise<number> {
    const r = await this.call(0x052, this.words(offset, address, length), [lease]);
    return r < 0 ? r : this.out(8);
  }

  async leaseInfo(lease: number): Promise<{ length: number; access: number } | number> {
    const r = await this.call(0x053, 0, [lease]);
    return r < 0 ? r : { length: this.out(8), access: this.out(12) };
  }

  trapVectorSet(vector: number): Promise<number> {
    this.buffer.view.setUint8(0, vector);
    return this.call(0x060, 1);
  }

  threadSandbox(thread: number, handler: number): Promise<number> {
    return this.call(0x061, this.words(thread), [handler]);
  }
}
