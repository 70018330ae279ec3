import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MANIFEST_KEYS, validateManifest } from "../../../emulator/image/validate-manifest.js";

const schema = JSON.parse(readFileSync(new URL("../../../emulator/image/manifest.schema.json", import.meta.url), "utf8"));

function valid(): Record<string, any> {
  return {
    manifestVersion: 1,
    name: "demo",
    init: "client",
    programs: [
      { name: "server", source: "server.ts", domain: "srv" },
      { name: "client", source: "client.ts", domain: "app", args: ["a", "b"], autostart: true },
    ],
    policy: {
      types: ["echo_t", "sys_t"],
      domains: {
        srv: { createIpc: true, names: ["/user/echo"], reach: ["echo_t"], objectType: "echo_t" },
        app: { reach: ["echo_t"], spawn: ["server"] },
      },
      labels: [{ prefix: "/sys", type: "sys_t" }],
    },
    files: [{ path: "/etc/motd", source: "motd.txt" }],
  };
}

function problems(mutate: (m: Record<string, any>) => void): { path: string; message: string }[] {
  const m = valid();
  mutate(m);
  const result = validateManifest(m);
  if (result.ok) throw new Error("expected the manifest to be refused");
  return result.problems.map((p) => ({ path: p.path, message: p.message }));
}

describe("validateManifest", () => {
  it("accepts a valid manifest and fills in the defaults", () => {
    const result = validateManifest(valid());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest.programs[0]).toEqual({ name: "server", source: "server.ts", domain: "srv", args: [], autostart: true, serves: {}, ramDisk: false, uid: 65534, gid: 65534 });
    expect(result.manifest.interfaces).toEqual([]);
    expect(result.manifest.policy.domains.app).toEqual({
      createIpc: false,
      createSystem: false,
      names: [],
      reach: ["echo_t"],
      objectType: "",
      spawn: ["server"],
      watch: false,
    });
  });

  it("keeps the uid and gid a program is given", () => {
    const m = valid();
    Object.assign(m.programs[0], { uid: 0, gid: 4294967295 });
    const result = validateManifest(m);
    expect(result.ok && result.manifest.programs[0]).toMatchObject({ uid: 0, gid: 4294967295 });
  });

  it.each([
    ["not an object", (m: any) => Object.assign(m, { programs: "x" }), "$.programs", "expected an array, got the string \"x\""],
    ["unknown top-level key", (m: any) => (m.program = []), "$.program", "unknown key 'program'"],
    ["unknown program key", (m: any) => (m.programs[0].domian = "x"), "$.programs[0].domian", "unknown key 'domian'"],
    ["wrong type", (m: any) => (m.programs[1].args = [1]), "$.programs[1].args[0]", "expected a string, got number 1"],
    ["wrong boolean", (m: any) => (m.programs[1].autostart = "yes"), "$.programs[1].autostart", "expected true or false"],
    ["ramDisk not a boolean", (m: any) => (m.programs[0].ramDisk = 1), "$.programs[0].ramDisk", "expected true or false, got number 1"],
    ["negative uid", (m: any) => (m.programs[0].uid = -1), "$.programs[0].uid", "expected an integer from 0 to 4294967295, got number -1"],
    ["fractional gid", (m: any) => (m.programs[0].gid = 1.5), "$.programs[0].gid", "expected an integer from 0 to 4294967295"],
    ["uid as text", (m: any) => (m.programs[1].uid = "0"), "$.programs[1].uid", "expected an integer from 0 to 4294967295"],
    ["missing source", (m: any) => delete m.programs[0].source, "$.programs[0]", "missing required key 'source'"],
    ["missing policy", (m: any) => delete m.policy, "$", "missing required key 'policy'"],
    ["duplicate program", (m: any) => (m.programs[1].name = "server"), "$.programs[1].name", "duplicate program name 'server'"],
    ["unknown domain", (m: any) => (m.programs[0].domain = "srvr"), "$.programs[0].domain", "unknown domain 'srvr'"],
    ["init not a program", (m: any) => (m.init = "shell"), "$.init", "init program 'shell' is not among the programs"],
    ["no programs", (m: any) => (m.programs = []), "$.programs", "an image needs at least one program"],
    ["bad version", (m: any) => (m.manifestVersion = 2), "$.manifestVersion", "unsupported manifest version 2"],
    ["bad program name", (m: any) => (m.programs[0].name = "a b"), "$.programs[0].name", "'a b' is not a valid program name"],
    ["unknown reach type", (m: any) => (m.policy.domains.app.reach = ["vfs_t"]), "$.policy.domains.app.reach[0]", "unknown security type 'vfs_t'"],
    ["unknown object type", (m: any) => (m.policy.domains.srv.objectType = "x_t"), "$.policy.domains.srv.objectType", "unknown security type 'x_t'"],
    ["creator without type", (m: any) => delete m.policy.domains.srv.objectType, "$.policy.domains.srv", "missing required key 'objectType'"],
    ["system without ipc", (m: any) => (m.policy.domains.app.createSystem = true), "$.policy.domains.app.createSystem", "must also have createIpc"],
    ["bad name prefix", (m: any) => (m.policy.domains.srv.names = ["user/echo"]), "$.policy.domains.srv.names[0]", "'user/echo' is not a valid name prefix"],
    ["dot-dot prefix", (m: any) => (m.policy.domains.srv.names = ["/user/../sys"]), "$.policy.domains.srv.names[0]", "not a valid name prefix"],
    ["label type", (m: any) => (m.policy.labels[0].type = "nope"), "$.policy.labels[0].type", "unknown security type 'nope'"],
    ["reserved domain", (m: any) => (m.policy.domains.procmgr = {}), "$.policy.domains.procmgr", "process manager's own domain"],
    ["duplicate type", (m: any) => m.policy.types.push("echo_t"), "$.policy.types", "duplicate security type"],
    ["spawn unknown", (m: any) => (m.policy.domains.app.spawn = ["ghost"]), "$.policy.domains.app.spawn[0]", "unknown program 'ghost'"],
    ["serves outside the domain's names", (m: any) => (m.programs[0].serves = { "/user/other": "Echo" }), '$.programs[0].serves["/user/other"]', "domain 'srv' may not register '/user/other' (its names: /user/echo)"],
    ["serves a bad name", (m: any) => (m.programs[0].serves = { "user/echo": "Echo" }), '$.programs[0].serves["user/echo"]', "'user/echo' is not a valid name"],
    ["serves a bad interface name", (m: any) => (m.programs[0].serves = { "/user/echo": 3 }), '$.programs[0].serves["/user/echo"]', "expected a string, got number 3"],
    ["duplicate file", (m: any) => m.files.push({ path: "/etc/motd", source: "b" }), "$.files[1].path", "duplicate file path '/etc/motd'"],
    ["relative file", (m: any) => (m.files[0].path = "etc/motd"), "$.files[0].path", "'etc/motd' is not a valid absolute path"],
  ])("refuses %s with its JSON path", (_name, mutate, path, message) => {
    const found = problems(mutate);
    expect(found.map((p) => p.path)).toContain(path);
    expect(found.find((p) => p.path === path)?.message).toContain(message);
  });

  it("accepts the names a program serves within its domain's names", () => {
    const m = valid();
    m.programs[0].serves = { "/user/echo": "Echo", "/user/echo/admin": "EchoAdmin" };
    const result = validateManifest(m);
    expect(result.ok && result.manifest.programs[0].serves).toEqual({ "/user/echo": "Echo", "/user/echo/admin": "EchoAdmin" });
  });

  it("refuses a document that is not an object", () => {
    for (const value of [null, 3, "manifest", []]) {
      const result = validateManifest(value);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems).toEqual([{ path: "$", message: expect.stringMatching(/^expected an object/) }]);
    }
  });

  it("never throws, and names a JSON path for every problem, whatever the document", () => {
    const mutated = fc.tuple(fc.constantFrom(...Object.keys(valid()), "programs", "policy"), fc.anything()).map(([key, value]) => ({ ...valid(), [key]: value }));
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), mutated), (doc) => {
        const result = validateManifest(doc);
        if (!result.ok) for (const p of result.problems) expect(p.path).toMatch(/^\$/);
      }),
      { numRuns: 300 },
    );
  });

  it("reports every mistake of a manifest, not only the first", () => {
    const found = problems((m) => {
      m.programs[0].domain = "nobody";
      m.init = "ghost";
      m.extra = true;
    });
    expect(found.map((p) => p.path).sort()).toEqual(["$.extra", "$.init", "$.programs[0].domain"]);
  });
});

describe("manifest.schema.json", () => {
  // The schema documents the format; the validator enforces it. Their keys must agree.
  it("lists the same keys as the validator for every object", () => {
    const defs = schema.$defs;
    expect(Object.keys(schema.properties).sort()).toEqual([...MANIFEST_KEYS.manifest].sort());
    expect(Object.keys(defs.program.properties).sort()).toEqual([...MANIFEST_KEYS.program].sort());
    expect(Object.keys(defs.file.properties).sort()).toEqual([...MANIFEST_KEYS.file].sort());
    expect(Object.keys(defs.policy.properties).sort()).toEqual([...MANIFEST_KEYS.policy].sort());
    expect(Object.keys(defs.domain.properties).sort()).toEqual([...MANIFEST_KEYS.domain].sort());
    expect(Object.keys(defs.label.properties).sort()).toEqual([...MANIFEST_KEYS.label].sort());
  });

  it("marks as required exactly what the validator requires", () => {
    const m = valid();
    for (const key of schema.required as string[]) {
      const copy = { ...m };
      delete copy[key];
      expect(validateManifest(copy).ok, key).toBe(false);
    }
    for (const key of Object.keys(schema.properties).filter((k) => !schema.required.includes(k) && k in m)) {
      const copy = { ...m };
      delete copy[key];
      expect(validateManifest(copy).ok, key).toBe(true);
    }
  });

  it("has the name-prefix pattern the process manager enforces", () => {
    const pattern = new RegExp(schema.$defs.namePrefix.pattern);
    for (const prefix of ["/", "/sys", "/user/echo", "/a.b/c-d_e"]) expect(pattern.test(prefix), prefix).toBe(true);
    for (const prefix of ["", "sys", "/sys/", "//", "/a b"]) expect(pattern.test(prefix), prefix).toBe(false);
  });
});
