/**
 * The program API (emulator/program/program.ts) works as documented: one
 * check per member of `Sys`.
 */
import { describe, expect, it } from "vitest";
import { HEAP_BASE, Kernel, STACK_STRIDE, STACK_TOP } from "../../../emulator/kernel/index.js";
import { FAULT_STATUS, PageFaultError, type Sys } from "../../../emulator/program/index.js";

async function inProgram<T>(body: (sys: Sys) => Promise<T>) {
  const kernel = new Kernel({ memoryBytes: 1 << 20 });
  let result: T | undefined;
  let error: unknown = null;
  const pid = kernel.spawn({
    program: async (sys) => {
      try {
        result = await body(sys);
      } catch (e) {
        error = e;
      }
      return 0;
    },
  });
  await kernel.run();
  return { result, error, kernel, pid };
}

describe("Sys", () => {
  it("pid, tid, argument and descriptors", async () => {
    const { result } = await inProgram(async (sys) => [sys.pid, sys.tid, sys.argument, sys.descriptors]);
    expect(result).toEqual([1, 1, 0, []]);
  });

  it("memory: little-endian words and halves, bytes, isMapped, and page faults as PageFaultError", async () => {
    let seen: unknown[] = [];
    const { error } = await inProgram(async (sys) => {
      const a = await sys.kernel.memAlloc(0, 4096, 3);
      sys.memory.write32(a, 0x11223344);
      sys.memory.write16(a + 4, 0xbeef);
      sys.memory.writeBytes(a + 8, Uint8Array.of(1, 2, 3));
      seen = [
        sys.memory.read8(a),
        sys.memory.read16(a + 2),
        sys.memory.read32(a) === 0x11223344,
        sys.memory.read16(a + 4),
        Array.from(sys.memory.readBytes(a + 7, 5)),
        sys.memory.isMapped(a),
        sys.memory.isMapped(a + 4096),
      ];
      sys.memory.read8(a + 4096);
    });
    expect(seen).toEqual([0x44, 0x1122, true, 0xbeef, [0, 1, 2, 3, 0], true, false]);
    expect(error).toBeInstanceOf(PageFaultError);
    expect((error as PageFaultError).address).toBe(HEAP_BASE + 4096);
  });

  it("stack: a pinned page at the thread's stack slot, usable as a message buffer", async () => {
    const { result } = await inProgram(async (sys) => {
      sys.stack.view.setUint32(0, 7, true);
      return [sys.stack.address, sys.stack.size, sys.memory.read32(sys.stack.address), await sys.kernel.memUnmap(sys.stack.address, 4096)];
    });
    expect(result).toEqual([STACK_TOP - STACK_STRIDE, 4095, 7, -16]);
  });

  it("messageBuffer: a fresh page-aligned buffer over its own frame; sizes outside 1..4095 are refused", async () => {
    let seen: unknown[] = [];
    const { error } = await inProgram(async (sys) => {
      const a = await sys.messageBuffer(100);
      const b = await sys.messageBuffer();
      a.bytes[3] = 9;
      seen = [a.address % 4096, a.size, b.size, b.address - a.address, sys.memory.read8(a.address + 3)];
      await sys.messageBuffer(4096);
    });
    expect(seen).toEqual([0, 100, 4095, 4096, 9]);
    expect(error).toBeInstanceOf(RangeError);
  });

  it("createThread: starts the entry with its argument in the same address space; resolves to its tid", async () => {
    const { result } = await inProgram(async (sys) => {
      const a = await sys.kernel.memAlloc(0, 4096, 3);
      let seen: number[] = [];
      const tid = await sys.createThread(async (t) => {
        seen = [t.argument, t.pid, t.memory.read32(a)];
        return 0;
      }, 5);
      sys.memory.write32(a, 77);
      await sys.kernel.threadYield();
      return [tid, ...seen];
    });
    expect(result).toEqual([2, 5, 1, 77]);
  });

  it("exit: ends the process with the status and never resolves", async () => {
    const kernel = new Kernel({ memoryBytes: 1 << 20 });
    let after = false;
    const pid = kernel.spawn({
      program: async (sys) => {
        await sys.exit(42);
        after = true;
        return 0;
      },
    });
    await kernel.run();
    expect(after).toBe(false);
    expect(kernel.processInfo(pid)).toMatchObject({ state: "exited", exitStatus: 42 });
  });

  it("a throw from the program kills its process with FAULT_STATUS and the message", async () => {
    const kernel = new Kernel({ memoryBytes: 1 << 20 });
    const pid = kernel.spawn({
      program: async () => {
        throw new Error("boom");
      },
    });
    await kernel.run();
    expect(kernel.processInfo(pid)).toMatchObject({ exitStatus: FAULT_STATUS, fault: "boom" });
  });
});
