import { describe, expect, it } from "vitest";
import type { Policy } from "../../../emulator/image/manifest.js";
import { Errno } from "../../../emulator/procmgr/errno.js";
import { checkName, childrenOf, isUnder } from "../../../emulator/procmgr/names.js";
import {
  PROCMGR_TYPE,
  decideCreate,
  decideList,
  decideLookup,
  decideSpawn,
  decideWatch,
  mayReach,
  objectTypeFor,
} from "../../../emulator/procmgr/policy.js";

const policy: Policy = {
  types: ["vfs_t", "echo_t", "app_t", "sys_t"],
  domains: {
    system: { createIpc: true, createSystem: true, names: ["/sys"], reach: ["vfs_t", "sys_t"], objectType: "sys_t", spawn: [], watch: true },
    server: { createIpc: true, createSystem: false, names: ["/user/echo", "/user/shared"], reach: ["echo_t"], objectType: "echo_t", spawn: [], watch: false },
    app: { createIpc: false, createSystem: false, names: [], reach: ["echo_t", "vfs_t"], objectType: "", spawn: ["server"], watch: false },
  },
  labels: [
    { prefix: "/sys", type: "sys_t" },
    { prefix: "/sys/vfs", type: "vfs_t" },
  ],
};

const taken = new Set(["/user/echo", "/sys/vfs"]);
const isTaken = (name: string) => taken.has(name);

describe("names", () => {
  it.each([
    ["/sys/vfs", 0],
    ["/a", 0],
    ["/user/my-server_2.v1", 0],
    ["", Errno.EINVAL],
    ["/", Errno.EINVAL],
    ["sys", Errno.EINVAL],
    ["/sys/", Errno.EINVAL],
    ["//sys", Errno.EINVAL],
    ["/sys/../etc", Errno.EINVAL],
    ["/sys/./vfs", Errno.EINVAL],
    ["/with space", Errno.EINVAL],
    ["/ümlaut", Errno.EINVAL],
    [`/${"a".repeat(127)}`, 0],
    [`/${"a".repeat(128)}`, Errno.ENAMETOOLONG],
  ])("checkName(%j) = %i", (name, errno) => {
    expect(checkName(name)).toBe(errno);
  });

  it.each([
    ["/user/echo", "/user/echo", true],
    ["/user/echo/main", "/user/echo", true],
    ["/user/echoes", "/user/echo", false],
    ["/user", "/user/echo", false],
    ["/anything", "/", true],
  ])("isUnder(%j, %j) = %s", (name, prefix, expected) => {
    expect(isUnder(name, prefix)).toBe(expected);
  });

  it("lists the direct children of a directory, subdirectories with a slash", () => {
    const names = ["/sys/vfs", "/sys/log", "/user/echo", "/user/echo/main", "/user/x/y/z"];
    expect(childrenOf("/", names)).toEqual(["sys/", "user/"]);
    expect(childrenOf("/user", names)).toEqual(["echo", "echo/", "x/"]);
    expect(childrenOf("/user/x", names)).toEqual(["y/"]);
    expect(childrenOf("/nothing", names)).toEqual([]);
  });
});

describe("decideCreate", () => {
  it.each([
    // domain, system, name, result (a type or an errno)
    ["server", false, null, "echo_t"],
    ["server", false, "/user/echo/main", "echo_t"],
    ["server", false, "/user/shared", "echo_t"],
    ["system", true, "/sys/log", "sys_t"],
    ["system", true, "/sys/vfs2", "sys_t"],
    ["system", false, "/sys/vfs/root", "vfs_t"],
    ["procmgr", true, "/anywhere/at/all", PROCMGR_TYPE],
    ["procmgr", false, "/sys/vfs/x", "vfs_t"],
    ["app", false, null, Errno.EPERM],
    ["app", true, "/user/echo", Errno.EPERM],
    ["ghost", false, null, Errno.EPERM],
    ["constructor", false, null, Errno.EPERM],
    ["server", true, "/user/echo/x", Errno.EPERM],
    ["server", false, "/sys/evil", Errno.EACCES],
    ["server", false, "/user/echoes", Errno.EACCES],
    ["server", false, "/user", Errno.EACCES],
    ["server", false, "user/echo", Errno.EINVAL],
    ["server", false, "/user/echo/../../sys", Errno.EINVAL],
    ["server", false, `/user/echo/${"x".repeat(200)}`, Errno.ENAMETOOLONG],
    ["server", false, "/user/echo", Errno.EEXIST],
    ["system", false, "/sys/vfs", Errno.EEXIST],
    ["procmgr", false, "/user/echo", Errno.EEXIST],
  ] as const)("%s creating (system %s) %j gives %j", (domain, system, name, expected) => {
    const decision = decideCreate(policy, domain, { system, name }, isTaken);
    if (typeof expected === "string") expect(decision).toEqual({ ok: true, value: expected });
    else expect(decision).toEqual({ ok: false, errno: expected });
  });

  it("checks in the order of docs/abi.md 1.6: create right, system right, name, free", () => {
    // Each request fails several checks; the first one in order decides the errno.
    expect(decideCreate(policy, "app", { system: true, name: "bad" }, () => true)).toEqual({ ok: false, errno: Errno.EPERM });
    expect(decideCreate(policy, "server", { system: true, name: "bad" }, () => true)).toEqual({ ok: false, errno: Errno.EPERM });
    expect(decideCreate(policy, "server", { system: false, name: "bad" }, () => true)).toEqual({ ok: false, errno: Errno.EINVAL });
    expect(decideCreate(policy, "server", { system: false, name: "/sys/vfs" }, () => true)).toEqual({ ok: false, errno: Errno.EACCES });
  });
});

describe("objectTypeFor", () => {
  it.each([
    ["server", null, "echo_t"],
    ["server", "/user/echo", "echo_t"],
    ["system", "/sys", "sys_t"],
    ["system", "/sys/vfs", "vfs_t"],
    ["system", "/sys/vfsx", "sys_t"],
    ["procmgr", null, PROCMGR_TYPE],
  ])("%s creating %j gets %s", (domain, name, type) => {
    expect(objectTypeFor(policy, domain, name)).toBe(type);
  });
});

describe("decideLookup", () => {
  const types = new Map([
    ["/user/echo", "echo_t"],
    ["/sys/vfs", "vfs_t"],
    ["/sys/log", "sys_t"],
  ]);
  const typeOf = (name: string) => types.get(name);
  it.each([
    ["app", "/user/echo", "echo_t"],
    ["app", "/sys/vfs", "vfs_t"],
    ["app", "/sys/log", Errno.EACCES],
    ["server", "/sys/vfs", Errno.EACCES],
    ["ghost", "/user/echo", Errno.EACCES],
    ["procmgr", "/sys/log", "sys_t"],
    ["app", "/user/none", Errno.ENOENT],
    ["app", "relative", Errno.EINVAL],
    ["app", `/${"n".repeat(300)}`, Errno.ENAMETOOLONG],
  ] as const)("%s looking up %j gives %j", (domain, name, expected) => {
    const decision = decideLookup(policy, domain, name, typeOf);
    if (typeof expected === "string") expect(decision).toEqual({ ok: true, value: expected });
    else expect(decision).toEqual({ ok: false, errno: expected });
  });

  it("reaches only the listed types", () => {
    expect(mayReach(policy, "server", "echo_t")).toBe(true);
    expect(mayReach(policy, "server", "vfs_t")).toBe(false);
    expect(mayReach(policy, "toString", "echo_t")).toBe(false);
  });
});

describe("decideSpawn and decideList", () => {
  const programs = ["server", "client"];
  it.each([
    ["app", "server", "server"],
    ["procmgr", "client", "client"],
    ["app", "client", Errno.EPERM],
    ["server", "server", Errno.EPERM],
    ["app", "nothere", Errno.ENOENT],
  ] as const)("%s spawning %s gives %j", (domain, program, expected) => {
    const decision = decideSpawn(policy, domain, program, programs);
    if (typeof expected === "string") expect(decision).toEqual({ ok: true, value: expected });
    else expect(decision).toEqual({ ok: false, errno: expected });
  });

  it.each([
    ["app", { domain: "server", isChild: true }, true],
    ["app", { domain: "app", isChild: false }, true],
    ["app", { domain: "server", isChild: false }, false],
    ["system", { domain: "app", isChild: false }, true],
    ["procmgr", { domain: "app", isChild: false }, true],
    ["ghost", { domain: "app", isChild: false }, false],
  ] as const)("%s subscribing to a process %j: allowed %s", (domain, subject, allowed) => {
    expect(decideWatch(policy, domain, subject)).toEqual(allowed ? { ok: true, value: 0 } : { ok: false, errno: Errno.EPERM });
  });

  it("filters a listing by the types the domain may reach", () => {
    const decision = decideList(policy, "server", "/user");
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(["echo_t", "vfs_t", "sys_t"].filter(decision.value)).toEqual(["echo_t"]);
    expect(decideList(policy, "server", "/")).toMatchObject({ ok: true });
    expect(decideList(policy, "server", "/user/")).toEqual({ ok: false, errno: Errno.EINVAL });
  });
});
