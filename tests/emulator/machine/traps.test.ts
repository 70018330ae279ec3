import { describe, expect, it } from "vitest";
import { GENERAL_PROTECTION, RegisterFile, TrapGate, EAX, EBX, ESI, EDI, EFLAGS } from "../../../emulator/machine/index.js";

describe("TrapGate", () => {
  const gate = new TrapGate<string, string>({
    syscall: (ctx, via) => `${ctx}:syscall:${via}`,
    fault: (ctx, vector) => `${ctx}:fault:${vector}`,
  });

  it("delivers int on the process's vector and sysenter to the same entry", () => {
    expect(gate.int("t", 0x80, 0x80)).toBe("t:syscall:int");
    expect(gate.int("t", 0x81, 0x81)).toBe("t:syscall:int");
    expect(gate.sysenter("t")).toBe("t:syscall:sysenter");
  });

  it("raises a general-protection fault for any other vector", () => {
    expect(gate.int("t", 0x80, 0x81)).toBe(`t:fault:${GENERAL_PROTECTION}`);
    expect(gate.int("t", 3, 0x80)).toBe(`t:fault:${GENERAL_PROTECTION}`);
  });
});

describe("RegisterFile", () => {
  it("aliases arg0..arg3 onto eax, ebx, esi, edi", () => {
    const r = new RegisterFile();
    r.args.set([1, 2, 3, 4]);
    expect([r.regs[EAX], r.regs[EBX], r.regs[ESI], r.regs[EDI]]).toEqual([1, 2, 3, 4]);
    expect(r.get("edi")).toBe(4);
    expect(r.regs[EFLAGS]).toBe(0x202);
  });
});
