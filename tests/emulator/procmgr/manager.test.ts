import { beforeEach, describe, expect, it } from "vitest";
import type { Manifest } from "../../../emulator/image/manifest.js";
import { validateManifest } from "../../../emulator/image/validate-manifest.js";
import { Errno } from "../../../emulator/procmgr/errno.js";
import {
  MAX_OBJECTS_PER_PROCESS,
  MAX_SUBSCRIPTIONS_PER_PROCESS,
  PROCMGR_PID,
  ProcessManager,
  type ProcmgrKernel,
} from "../../../emulator/procmgr/manager.js";

const result = validateManifest({
  manifestVersion: 1,
  name: "t",
  init: "shell",
  programs: [
    { name: "vfs", source: "vfs.ts", domain: "system" },
    { name: "echo", source: "echo.ts", domain: "server", uid: 500, gid: 50, ramDisk: true },
    { name: "shell", source: "shell.ts", domain: "app" },
    { name: "tool", source: "tool.ts", domain: "app", autostart: false },
  ],
  policy: {
    types: ["vfs_t", "echo_t", "app_t"],
    domains: {
      system: { createIpc: true, createSystem: true, names: ["/sys"], reach: ["vfs_t"], objectType: "vfs_t" },
      server: { createIpc: true, names: ["/user/echo"], reach: ["echo_t", "vfs_t"], objectType: "echo_t" },
      app: { createIpc: true, names: ["/user/app"], reach: ["echo_t"], objectType: "app_t", spawn: ["tool"] },
    },
  },
});
if (!result.ok) throw new Error("fixture manifest is invalid");
const manifest: Manifest = result.manifest;

/** A kernel that hands out descriptor numbers and records what it was asked. */
class FakeKernel implements ProcmgrKernel {
  next = 10;
  nextPid = 2;
  open = new Set<number>();
  log: string[] = [];
  async createObject(system: boolean, typeId: number) {
    const owner = this.next++;
    const send = this.next++;
    this.open.add(owner).add(send);
    this.log.push(`create ${system ? "system" : "user"} type ${typeId} -> ${owner},${send}`);
    return { ok: true as const, value: { owner, send } };
  }
  async closeDescriptor(desc: number) {
    this.open.delete(desc);
    this.log.push(`close ${desc}`);
  }
  async spawn(program: string, domainId: number) {
    const pid = this.nextPid++;
    this.log.push(`spawn ${program} domain ${domainId} -> ${pid}`);
    return { ok: true as const, value: { pid, process: 100 + pid } };
  }
  async notifyExit(target: number, pid: number, status: number) {
    this.log.push(`notify ${target}: ${pid} exited ${status}`);
  }
  async stamped(send: number, cookie: number) {
    const copy = this.next++;
    this.log.push(`stamp ${send} -> ${copy} cookie ${cookie}`);
    return { ok: true as const, value: copy };
  }
  async kill(process: number, status: number) {
    this.log.push(`kill ${process} status ${status}`);
    return { ok: true as const, value: 0 as const };
  }
}

let kernel: FakeKernel;
let pm: ProcessManager;
// pids after boot: vfs 2, echo 3, shell 4
const [VFS, ECHO, SHELL] = [2, 3, 4];

beforeEach(async () => {
  kernel = new FakeKernel();
  pm = new ProcessManager(manifest);
  expect(await pm.boot(kernel)).toEqual({ ok: true, value: SHELL });
});

describe("ProcessManager", () => {
  it("boots the autostart programs in order, each in its manifest domain", () => {
    expect(kernel.log).toEqual(["spawn vfs domain 1 -> 2", "spawn echo domain 2 -> 3", "spawn shell domain 3 -> 4"]);
    expect(pm.process(ECHO)).toMatchObject({ program: "echo", domain: "server", parent: PROCMGR_PID, alive: true });
    expect(pm.process(5)).toBeUndefined();
  });

  it("creates a named object, keeps its own reference and maps the name", async () => {
    expect(await pm.create(kernel, ECHO, false, "/user/echo")).toEqual({ ok: true, value: 10 });
    expect(kernel.log.at(-1)).toBe("create user type 2 -> 10,11");
    expect(pm.namespace.get("/user/echo")).toEqual({ name: "/user/echo", refs: { owner: 10, send: 11 }, type: "echo_t", system: false, owner: ECHO });
    expect(pm.lookup(SHELL, "/user/echo")).toEqual({ ok: true, value: 11 });
  });

  it("refuses each create check with its errno and changes nothing", async () => {
    await pm.create(kernel, ECHO, false, "/user/echo");
    const before = kernel.log.length;
    expect(await pm.create(kernel, SHELL, true, "/user/app/x")).toEqual({ ok: false, errno: Errno.EPERM });
    expect(await pm.create(kernel, ECHO, false, "/sys/fake")).toEqual({ ok: false, errno: Errno.EACCES });
    expect(await pm.create(kernel, ECHO, false, "/user/echo/../x")).toEqual({ ok: false, errno: Errno.EINVAL });
    expect(await pm.create(kernel, ECHO, false, "/user/echo")).toEqual({ ok: false, errno: Errno.EEXIST });
    expect(await pm.create(kernel, 99, false, null)).toEqual({ ok: false, errno: Errno.EPERM });
    expect(kernel.log.length).toBe(before);
    expect(await pm.create(kernel, VFS, true, "/sys/vfs")).toEqual({ ok: true, value: 12 });
    expect(kernel.log.at(-1)).toBe("create system type 1 -> 12,13");
  });

  it("looks up only reachable types", async () => {
    await pm.create(kernel, VFS, true, "/sys/vfs");
    expect(pm.lookup(ECHO, "/sys/vfs")).toMatchObject({ ok: true });
    expect(pm.lookup(SHELL, "/sys/vfs")).toEqual({ ok: false, errno: Errno.EACCES });
    expect(pm.lookup(SHELL, "/sys/none")).toEqual({ ok: false, errno: Errno.ENOENT });
    expect(pm.lookup(SHELL, "sys")).toEqual({ ok: false, errno: Errno.EINVAL });
  });

  it("lets only the registering process close a name; the object lives until its creator exits", async () => {
    await pm.create(kernel, ECHO, false, "/user/echo");
    expect(pm.close(SHELL, "/user/echo")).toEqual({ ok: false, errno: Errno.EPERM });
    expect(pm.close(ECHO, "/user/nothing")).toEqual({ ok: false, errno: Errno.ENOENT });
    expect(pm.close(ECHO, "/user/../x")).toEqual({ ok: false, errno: Errno.EINVAL });
    expect(pm.close(ECHO, "/user/echo")).toEqual({ ok: true, value: 0 });
    expect(pm.lookup(SHELL, "/user/echo")).toEqual({ ok: false, errno: Errno.ENOENT });
    expect(kernel.open.has(10) && kernel.open.has(11)).toBe(true);
    expect(await pm.create(kernel, ECHO, false, "/user/echo")).toMatchObject({ ok: true });
    await pm.exited(kernel, ECHO, 0);
    expect([...kernel.open]).toEqual([]);
  });

  it("lists a directory, hiding what the caller cannot reach", async () => {
    await pm.create(kernel, VFS, true, "/sys/vfs");
    await pm.create(kernel, ECHO, false, "/user/echo/main");
    await pm.create(kernel, SHELL, false, "/user/app/x");
    const dir = (name: string) => ({ name, directory: true, system: false });
    expect(pm.list(ECHO, "/")).toEqual({ ok: true, value: [dir("sys"), dir("user")] });
    expect(pm.list(ECHO, "/sys")).toEqual({ ok: true, value: [{ name: "vfs", directory: false, system: true }] });
    expect(pm.list(SHELL, "/")).toEqual({ ok: true, value: [dir("user")] });
    expect(pm.list(SHELL, "/user")).toEqual({ ok: true, value: [dir("echo")] });
    expect(pm.list(SHELL, "/user/")).toEqual({ ok: false, errno: Errno.EINVAL });
  });

  it("spawns only what the caller's domain may, in the program's own domain", async () => {
    expect(await pm.spawn(kernel, SHELL, "tool")).toEqual({ ok: true, value: { pid: 5, process: expect.any(Number) } });
    expect(pm.process(5)).toMatchObject({ domain: "app", parent: SHELL });
    expect(await pm.spawn(kernel, SHELL, "vfs")).toEqual({ ok: false, errno: Errno.EPERM });
    expect(await pm.spawn(kernel, ECHO, "tool")).toEqual({ ok: false, errno: Errno.EPERM });
    expect(await pm.spawn(kernel, SHELL, "nope")).toEqual({ ok: false, errno: Errno.ENOENT });
  });

  it("lets only the parent wait", async () => {
    const tool = await pm.spawn(kernel, SHELL, "tool");
    const toolPid = tool.ok ? tool.value.pid : 0;
    expect(pm.wait(SHELL, toolPid)).toEqual({ ok: true, value: { alive: true, process: 100 + toolPid } });
    expect(pm.wait(ECHO, toolPid)).toEqual({ ok: false, errno: Errno.ESRCH });
    expect(pm.wait(SHELL, 99)).toEqual({ ok: false, errno: Errno.ESRCH });
    await pm.exited(kernel, toolPid, 7);
    expect(pm.wait(SHELL, toolPid)).toEqual({ ok: true, value: { alive: false, status: 7 } });
  });

  it("on exit drops the process's names and references and notifies its subscribers", async () => {
    await pm.create(kernel, ECHO, false, "/user/echo");
    await pm.create(kernel, ECHO, false, null);
    expect(pm.subscribe(SHELL, ECHO, 1, 77)).toEqual({ ok: false, errno: Errno.EPERM });
    expect(pm.subscribe(PROCMGR_PID, ECHO, 0, 78)).toEqual({ ok: false, errno: Errno.EINVAL });
    expect(pm.subscribe(PROCMGR_PID, PROCMGR_PID, 1, 78)).toEqual({ ok: false, errno: Errno.ESRCH });
    expect(pm.subscribe(PROCMGR_PID, ECHO, 1, 78)).toEqual({ ok: true, value: 0 });
    const tool = await pm.spawn(kernel, SHELL, "tool");
    const toolPid = tool.ok ? tool.value.pid : 0;
    expect(pm.subscribe(SHELL, toolPid, 1, 79)).toEqual({ ok: true, value: 0 });
    kernel.log.length = 0;
    await pm.exited(kernel, ECHO, 3);
    expect(kernel.log).toEqual(["close 11", "close 10", "close 13", "close 12", "notify 78: 3 exited 3", "close 78"]);
    expect(pm.lookup(SHELL, "/user/echo")).toEqual({ ok: false, errno: Errno.ENOENT });
    expect(await pm.create(kernel, ECHO, false, null)).toEqual({ ok: false, errno: Errno.EPERM });
    expect(pm.subscribe(SHELL, ECHO, 1, 80)).toEqual({ ok: false, errno: Errno.ESRCH });
    kernel.log.length = 0;
    await pm.exited(kernel, SHELL, 0);
    expect(kernel.log).toEqual(["close 79"]);
    await pm.exited(kernel, toolPid, 1);
    expect(kernel.log).toEqual(["close 79"]);
    await pm.exited(kernel, SHELL, 0);
    expect(pm.process(SHELL)).toMatchObject({ alive: false, status: 0 });
  });

  it("holds each process to its quotas of objects and subscriptions", async () => {
    for (let i = 0; i < MAX_OBJECTS_PER_PROCESS - 1; i++) expect(await pm.create(kernel, SHELL, false, null)).toMatchObject({ ok: true });
    expect(await pm.create(kernel, SHELL, false, "/user/app/last")).toMatchObject({ ok: true });
    expect(await pm.create(kernel, SHELL, false, null)).toEqual({ ok: false, errno: Errno.ENOSPC });
    expect(pm.close(SHELL, "/user/app/last")).toEqual({ ok: true, value: 0 });
    expect(await pm.create(kernel, SHELL, false, null)).toEqual({ ok: false, errno: Errno.ENOSPC });
    expect(await pm.create(kernel, ECHO, false, null)).toMatchObject({ ok: true });
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_PROCESS; i++) {
      kernel.open.add(500 + i);
      expect(pm.subscribe(SHELL, SHELL, 1, 500 + i)).toMatchObject({ ok: true });
    }
    expect([...kernel.open].filter((d) => d >= 500).length).toBe(MAX_SUBSCRIPTIONS_PER_PROCESS);
    expect(pm.subscribe(SHELL, SHELL, 1, 600)).toEqual({ ok: false, errno: Errno.ENOSPC });
    await pm.exited(kernel, SHELL, 0);
    expect([...kernel.open].filter((d) => d >= 500)).toEqual([]);
  });

  it("stamps each looked-up reference with the caller's pid, and refuses what lookup refuses", async () => {
    await pm.create(kernel, ECHO, false, "/user/echo");
    const send = pm.namespace.get("/user/echo")!.refs.send;
    const got = await pm.lookupStamped(kernel, SHELL, "/user/echo");
    expect(got).toMatchObject({ ok: true });
    expect(kernel.log).toContain(`stamp ${send} -> ${(got as { value: number }).value} cookie ${SHELL}`);
    expect(await pm.lookupStamped(kernel, VFS, "/user/echo")).toEqual({ ok: false, errno: Errno.EACCES });
    expect(kernel.log.filter((l) => l.startsWith("stamp"))).toHaveLength(1);
  });

  it("identifies a live process by the uid and gid of its program (65534 by default) and its domain", async () => {
    expect(pm.identify(SHELL, ECHO)).toEqual({ ok: true, value: { uid: 500, gid: 50, domain: "server" } });
    expect(pm.identify(ECHO, SHELL)).toEqual({ ok: true, value: { uid: 65534, gid: 65534, domain: "app" } });
    expect(pm.identify(ECHO, PROCMGR_PID)).toEqual({ ok: true, value: { uid: 0, gid: 0, domain: "procmgr" } });
    expect(pm.identify(SHELL, 99)).toEqual({ ok: false, errno: Errno.ESRCH });
    pm.ended(ECHO, 0);
    expect(pm.identify(SHELL, ECHO)).toEqual({ ok: false, errno: Errno.ESRCH });
    expect(pm.identify(ECHO, SHELL)).toEqual({ ok: false, errno: Errno.EPERM });
  });

  it("opens RAM-disk files only for programs the manifest gives ramDisk", async () => {
    const files = [
      { path: "/etc/motd", size: 10, descriptor: 7 },
      { path: "/big", size: 1 << 30, descriptor: 0 },
    ];
    const withFiles = new ProcessManager(manifest, PROCMGR_PID, files);
    await withFiles.boot(new FakeKernel());
    expect(withFiles.ramdiskOpen(ECHO, "/etc/motd")).toEqual({ ok: true, value: files[0] });
    expect(withFiles.ramdiskOpen(ECHO, "/etc/none")).toEqual({ ok: false, errno: Errno.ENOENT });
    expect(withFiles.ramdiskOpen(ECHO, "/big")).toEqual({ ok: false, errno: Errno.ENOMEM });
    expect(withFiles.ramdiskOpen(SHELL, "/etc/motd")).toEqual({ ok: false, errno: Errno.EACCES });
    expect(withFiles.ramdiskOpen(99, "/etc/motd")).toEqual({ ok: false, errno: Errno.EPERM });
    expect(withFiles.ramdiskFiles(ECHO)).toEqual({ ok: true, value: files });
    expect(withFiles.ramdiskFiles(SHELL)).toEqual({ ok: false, errno: Errno.EACCES });
  });

  it("ends the caller through the kernel on exit; the manager itself cannot", async () => {
    expect(await pm.exit(kernel, SHELL, 5)).toEqual({ ok: true, value: 0 });
    expect(kernel.log).toContain(`kill ${100 + SHELL} status 5`);
    expect(await pm.exit(kernel, PROCMGR_PID, 5)).toEqual({ ok: false, errno: Errno.EINVAL });
    expect(await pm.exit(kernel, 99, 5)).toEqual({ ok: false, errno: Errno.EPERM });
  });

  it("forgets an ended process's names at once, and closes its references once", async () => {
    await pm.create(kernel, ECHO, false, "/user/echo");
    pm.ended(ECHO, 3);
    expect(pm.namespace.has("/user/echo")).toBe(false);
    expect(kernel.open.size).toBe(2);
    await pm.exited(kernel, ECHO, 3);
    await pm.exited(kernel, ECHO, 3);
    expect(kernel.open.size).toBe(0);
    expect(kernel.log.filter((l) => l.startsWith("close"))).toHaveLength(2);
    expect(pm.process(ECHO)?.status).toBe(3);
  });

  it("gives every domain and type a stable kernel number", () => {
    expect([pm.domainId("procmgr"), pm.domainId("system"), pm.domainId("server"), pm.domainId("app")]).toEqual([0, 1, 2, 3]);
    expect([pm.typeId("vfs_t"), pm.typeId("echo_t"), pm.typeId("app_t")]).toEqual([1, 2, 3]);
  });
});
