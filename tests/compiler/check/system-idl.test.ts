import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/compile.js";
import { fsHost } from "../../../cli/fs-host.js";

describe("the system's own IDL", () => {
  it("checks clean and keeps the kernel's numbers and procmgr's range", () => {
    const r = compile(["idl/kernel.idl", "idl/procmgr.idl"], fsHost);
    expect(r.diagnostics).toEqual([]);
    const ifaces = r.ir!.files.flatMap((f) => f.interfaces);
    const kernel = ifaces.find((i) => i.name === "Kernel")!;
    const fn = (name: string) => kernel.methods.find((m) => m.name === name)!;
    expect([fn("receive").fn, fn("reply").fn, fn("reply_receive").fn, fn("reply_error").fn]).toEqual([1, 2, 3, 4]);
    expect(fn("receive").trap).toBe(true);
    expect(fn("ipc_create")).toMatchObject({ fn: 0x10, trap: false });
    const procmgr = ifaces.find((i) => i.name === "Procmgr")!;
    expect(procmgr.methods.map((m) => m.name)).toEqual(
      expect.arrayContaining(["create", "lookup", "close", "spawn", "wait", "exit", "list", "subscribe"]),
    );
    expect(procmgr.methods.every((m) => m.fn >= 0x400 && m.fn <= 0xfff)).toBe(true);
    expect(readFileSync("idl/procmgr.idl", "utf8")).toContain("ProcmgrEvents");
  });

  it("every .idl under idl/ and examples/ checks clean, with no warning", () => {
    const find = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? find(`${dir}/${e.name}`) : e.name.endsWith(".idl") ? [`${dir}/${e.name}`] : [],
      );
    const files = [...find("idl"), ...find("examples")];
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(compile([f], fsHost).diagnostics, f).toEqual([]);
  });
});
