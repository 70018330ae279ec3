/**
 * The OS-emulation example end to end: the foreign program's calls reach the
 * handler with their registers, its writes reach the console through leases,
 * and the results come back in eax as the foreign ABI says.
 */
import { describe, expect, it } from "vitest";
import { bootDemo } from "../../../examples/os-emulation/boot.js";
import { LINUX_GETPID, LINUX_WRITE, linuxCall } from "../../../examples/os-emulation/linux-abi.js";

describe("os-emulation example", () => {
  it("runs the foreign program: getpid, writes through the console, errnos for a bad fd and an unknown call", async () => {
    const demo = bootDemo();
    const { end } = await demo.kernel.run();
    expect(end).toBe("idle");
    expect(demo.output.join("")).toBe("hello from pid 2\nwrite(7) = -9, syscall 999 = -38\n");
    expect(demo.calls).toEqual([20, 4, 4, 999, 4, 1]);
    expect(demo.status).toBe(0);
    expect(demo.kernel.processInfo(2)).toMatchObject({ state: "live", threads: 1, fault: null });
  });

  it("gives a foreign write exactly its bytes, and a faulting buffer -EFAULT", async () => {
    const results: number[] = [];
    const demo = bootDemo(async (sys) => {
      const linux = sys.intTrap(0x80);
      sys.memory.writeBytes(sys.stack.address, new TextEncoder().encode("abcdefgh"));
      results.push(await linuxCall(linux, LINUX_WRITE, 1, sys.stack.address + 2, 3));
      results.push(await linuxCall(linux, LINUX_WRITE, 2, 0x10, 3));
      results.push(await linuxCall(linux, LINUX_GETPID));
      return 0;
    });
    await demo.kernel.run();
    expect(results).toEqual([3, -14, 2]);
    expect(demo.output).toEqual(["cde"]);
  });
});
