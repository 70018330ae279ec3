/**
 * examples/sysv/sysv.idl: compiles clean, is a system interface, every
 * message fits, and no request carries who the caller is (identity comes
 * from the descriptor cookie): the only uid/gid fields are IPC_SET's new
 * owner in PermSet.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fsHost } from "../../../cli/fs-host.js";
import { compile } from "../../../compiler/compile.js";
import type { IrDataType, IrFile } from "../../../compiler/ir/ir.js";

const path = fileURLToPath(new URL("../../../examples/sysv/sysv.idl", import.meta.url));
const IDENTITY = new Set(["uid", "gid", "cuid", "cgid", "pid", "groups", "euid", "egid"]);

/** The IR of sysv.idl itself (the last file: each file comes after those it imports). */
function compiled(): IrFile {
  const result = compile([path], fsHost);
  expect(result.diagnostics).toEqual([]);
  return result.ir!.files.at(-1)!;
}

/** Names of identity-like fields reachable from `type`, as `Struct.field`, skipping `allowed` structs. */
function identityFields(ir: IrFile, type: IrDataType, allowed: ReadonlySet<string>): string[] {
  if (type.kind === "vector" || type.kind === "array") return identityFields(ir, type.element, allowed);
  if (type.kind !== "struct" || allowed.has(type.name)) return [];
  const struct = ir.structs.find((s) => s.name === type.name)!;
  return struct.fields.flatMap((f) => [
    ...(IDENTITY.has(f.name) ? [`${struct.name}.${f.name}`] : []),
    ...identityFields(ir, f.type, allowed),
  ]);
}

describe("sysv.idl", () => {
  it("compiles without diagnostics into one system-class interface", () => {
    const ir = compiled();
    const sysv = ir.interfaces.find((i) => i.name === "Sysv")!;
    expect(sysv.rangeClass).toBe("system");
    expect(sysv.bufferSize).toBeLessThanOrEqual(4095);
    expect(sysv.methods.map((m) => m.name)).toEqual(
      expect.arrayContaining(["semget", "semop", "semtimedop", "semctl", "msgget", "msgsnd", "msgrcv", "msgctl"]),
    );
    expect(sysv.methods.map((m) => m.name)).toEqual(expect.arrayContaining(["shmget", "shmat", "shmdt", "shmctl"]));
  });

  it("carries no caller identity in any request: uid and gid only as IPC_SET's new owner, pid only in attach", () => {
    const ir = compiled();
    const sysv = ir.interfaces.find((i) => i.name === "Sysv")!;
    const found = sysv.methods.flatMap((m) =>
      m.request.params.flatMap((p) => [
        ...(IDENTITY.has(p.name) ? [`${m.name}(${p.name})`] : []),
        ...(p.place === "data" ? identityFields(ir, p.type, new Set(["PermSet"])) : []),
      ]),
    );
    // attach's pid only names the process whose exit ends the caller's waits and undo; no permission check reads it.
    expect(found).toEqual(["attach(pid)"]);
    const permSetUsers = sysv.methods.filter((m) =>
      m.request.params.some((p) => p.place === "data" && p.type.kind === "struct" && p.type.name === "PermSet"),
    );
    expect(permSetUsers.map((m) => m.name).sort()).toEqual(["msgctl_set", "semctl_set", "shmctl_set"]);
  });

  it("a SemBuf is struct sembuf's 6 bytes, so SEMOPM operations fit one message", () => {
    const ir = compiled();
    expect(ir.structs.find((s) => s.name === "SemBuf")).toMatchObject({ size: 6, align: 2 });
    const semop = ir.interfaces[0]!.methods.find((m) => m.name === "semop")!;
    expect(semop.request.maxDataSize).toBe(8 + 500 * 6 + 1);
  });
});
