/**
 * examples/sysv/service.ts, shared memory over a recording kernel: what the
 * daemon asks the kernel for at shmget, shmat and destruction, and how it
 * answers when the kernel refuses (shmget(2): ENOMEM, ENOSPC).
 */
import * as rt from "doorkit/runtime";
import { describe, expect, it } from "vitest";
import type { KernelCalls, UserMemory } from "../../../emulator/program/program.js";
import * as ipc from "../../../examples/sysv/core/index.js";
import { SysvService, type ThreadKernel } from "../../../examples/sysv/service.js";

const { EINVAL, IPC_CREAT, IPC_PRIVATE, IPC_RMID, SHM_RDONLY } = ipc;
const ENOMEM = 12;
const alice: ipc.Caller = { pid: 10, uid: 1000, gid: 100 };
const call = { cookie: 1 } as rt.Call;

/** A kernel that hands out descriptor numbers from 100 and records what it was asked; `refuse` makes mem_create fail. */
function recordingKernel(refuse = 0) {
  const log: string[] = [];
  let next = 100;
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const kernel = {
    memCreate: async (size: number, flags: number) => {
      await gate;
      log.push(`mem_create ${size} ${flags}`);
      return refuse !== 0 ? -refuse : next++;
    },
    descDup: async (source: number, rights: number) => (log.push(`desc_dup ${source} ${rights}`), next++),
    descClose: async (target: number) => (log.push(`desc_close ${target}`), 0),
  } as Partial<KernelCalls> as KernelCalls;
  const k: ThreadKernel = { kernel, memory: {} as UserMemory, scratch: 0 };
  return {
    log,
    k,
    /** Holds mem_create until the returned function is called. */
    hold: () => {
      gate = new Promise((r) => (release = r));
      return () => release();
    },
  };
}

function service(k: ThreadKernel) {
  return new SysvService({
    identify: (c) => (c.cookie === 1 ? alice : undefined),
    timer: () => () => {},
    kernelOf: () => k,
  });
}

describe("SysvService shared memory", () => {
  it("shmget makes a SHARED object and a READ|MAP reference; shmat hands one of them by SHM_RDONLY", async () => {
    const { log, k } = recordingKernel();
    const s = service(k);
    const { retval: id } = await s.shmget({ key: IPC_PRIVATE, size: 5000, shmflg: 0o600 }, call);
    expect(id).toBeGreaterThanOrEqual(0);
    expect(log).toEqual(["mem_create 5000 1", "desc_dup 100 20"]);
    expect(await s.shmat({ shmid: id, addr: 0, shmflg: 0 }, call)).toMatchObject({ memory: 100, size: 5000 });
    expect(await s.shmat({ shmid: id, addr: 0, shmflg: SHM_RDONLY }, call)).toMatchObject({ memory: 101 });
    // An existing segment makes nothing more.
    await s.shmget({ key: IPC_PRIVATE, size: 1, shmflg: 0o600 }, call);
    expect(log.filter((l) => l.startsWith("mem_create"))).toHaveLength(2);
  });

  it("the last detach of a removed segment releases both references, for the daemon to close", async () => {
    const { k } = recordingKernel();
    const s = service(k);
    const { retval: id } = await s.shmget({ key: IPC_PRIVATE, size: 4096, shmflg: 0o600 }, call);
    const { attachment } = await s.shmat({ shmid: id, addr: 0, shmflg: 0 }, call);
    expect(s.shmctl({ shmid: id, cmd: IPC_RMID }, call)).toEqual({ retval: 0 });
    expect(s.hasReleased()).toBe(false);
    expect(s.shmdt({ attachment }, call)).toEqual({ retval: 0 });
    expect(s.takeReleased()).toEqual([{ rw: 100, ro: 101 }]);
    expect(s.hasReleased()).toBe(false);
  });

  it("a process's exit detaches its segments", async () => {
    const { k } = recordingKernel();
    const s = service(k);
    const { retval: id } = await s.shmget({ key: IPC_PRIVATE, size: 4096, shmflg: 0o600 }, call);
    await s.shmat({ shmid: id, addr: 0, shmflg: 0 }, call);
    s.shmctl({ shmid: id, cmd: IPC_RMID }, call);
    s.processExited(alice.pid);
    expect(s.takeReleased()).toEqual([{ rw: 100, ro: 101 }]);
    expect(s.shmctl_stat({ shmid: id }, call)).toMatchObject({ retval: -1, errno: EINVAL });
  });

  it("when the kernel cannot make the memory, shmget answers its errno and the segment is gone", async () => {
    const { k } = recordingKernel(ENOMEM);
    const s = service(k);
    expect(await s.shmget({ key: 7, size: 4096, shmflg: IPC_CREAT | 0o600 }, call)).toEqual({
      retval: -1,
      errno: ENOMEM,
    });
    expect(s.shmctl_stat({ shmid: 0 }, call)).toMatchObject({ retval: -1, errno: EINVAL });
  });

  it("a shmget or shmat of a segment whose memory is being made waits for it", async () => {
    const { k, log, hold } = recordingKernel();
    const s = service(k);
    const go = hold();
    const first = s.shmget({ key: 7, size: 4096, shmflg: IPC_CREAT | 0o600 }, call);
    const second = s.shmget({ key: 7, size: 0, shmflg: 0o600 }, call);
    const attach = s.shmat({ shmid: 0, addr: 0, shmflg: 0 }, call);
    go();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual(b);
    expect(await attach).toMatchObject({ memory: 100 });
    expect(log.filter((l) => l.startsWith("mem_create"))).toHaveLength(1);
  });

  it("a segment removed while its memory was being made releases that memory", async () => {
    const { k, hold } = recordingKernel();
    const s = service(k);
    const go = hold();
    const made = s.shmget({ key: IPC_PRIVATE, size: 4096, shmflg: 0o600 }, call);
    expect(s.shmctl({ shmid: 0, cmd: IPC_RMID }, call)).toEqual({ retval: 0 });
    go();
    expect(await made).toEqual({ retval: 0 });
    expect(s.takeReleased()).toEqual([{ rw: 100, ro: 101 }]);
  });
});
