/**
 * Shared memory bookkeeping, from shmget(2), shmat(2)/shmdt(2), shmctl(2)
 * and POSIX shmget()/shmat(): sizes and limits, attach rules, attach
 * counts, removal of an attached segment, and the memory handle's life.
 */
import { describe, expect, it } from "vitest";
import * as ipc from "../../../examples/sysv/core/index.js";
import { SysV } from "../../../examples/sysv/core/index.js";
import { alice, alice2, bob, errno, root, value } from "./support.js";

const { IPC_CREAT, IPC_PRIVATE, IPC_RMID, IPC_SET, IPC_STAT, SHM_DEST, SHM_EXEC, SHM_LOCK, SHM_LOCKED } = ipc;
const { SHM_RDONLY, SHM_REMAP, SHM_RND, SHM_UNLOCK } = ipc;

function stat(s: SysV<string>, id: number): ipc.ShmidDs {
  const r = value(s.shm.shmctl(alice, id, IPC_STAT));
  if (r.kind !== "stat") throw new Error("not a stat");
  return r.stat;
}

function destroyed(s: SysV<string>): (string | undefined)[] {
  return s.takeEvents().map((e) => (e.kind === "shm-destroyed" ? `${e.shmid}:${e.memory}` : undefined));
}

describe("shmget", () => {
  it("a new segment needs SHMMIN <= size <= SHMMAX (EINVAL)", () => {
    const s = new SysV<string>({ limits: { shmmax: 8192 } });
    expect(errno(s.shm.shmget(alice, IPC_PRIVATE, 0, 0o600))).toBe("EINVAL");
    expect(errno(s.shm.shmget(alice, IPC_PRIVATE, 8193, 0o600))).toBe("EINVAL");
    expect(errno(s.shm.shmget(alice, 3, 0, IPC_CREAT | 0o600))).toBe("EINVAL");
    expect(errno(s.shm.shmget(alice, IPC_PRIVATE, 1, 0o600))).toBe("ok");
    expect(errno(s.shm.shmget(alice, IPC_PRIVATE, 8192, 0o600))).toBe("ok");
  });

  it("an existing segment smaller than the size asked is EINVAL, before EACCES; size 0 opens it", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, 8, 100, IPC_CREAT | 0o600));
    expect(errno(s.shm.shmget(alice, 8, 101, 0o600))).toBe("EINVAL");
    expect(errno(s.shm.shmget(bob, 8, 101, 0o600))).toBe("EINVAL");
    expect(errno(s.shm.shmget(bob, 8, 100, 0o600))).toBe("EACCES");
    expect(value(s.shm.shmget(alice, 8, 0, 0))).toBe(id);
  });

  it("ENOSPC beyond SHMALL pages in all segments; removal gives them back", () => {
    const s = new SysV<string>({ limits: { shmall: 3 } });
    const a = value(s.shm.shmget(alice, IPC_PRIVATE, 4097, 0o600));
    expect(errno(s.shm.shmget(alice, IPC_PRIVATE, 4097, 0o600))).toBe("ENOSPC");
    value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o600));
    value(s.shm.shmctl(alice, a, IPC_RMID));
    expect(errno(s.shm.shmget(alice, IPC_PRIVATE, 8192, 0o600))).toBe("ok");
  });

  it("IPC_STAT shows the size, the creator's pid, no attachments yet and the times", () => {
    let clock = 5;
    const s = new SysV<string>({ now: () => clock });
    const id = value(s.shm.shmget(alice, IPC_PRIVATE, 1000, 0o600));
    expect(stat(s, id)).toMatchObject({
      segsz: 1000,
      cpid: alice.pid,
      lpid: 0,
      nattch: 0,
      atime: 0,
      dtime: 0,
      ctime: 5,
    });
    clock = 6;
    value(s.shm.shmat(alice2, id, 0, 0));
    expect(stat(s, id)).toMatchObject({ nattch: 1, lpid: alice2.pid, atime: 6, dtime: 0 });
  });
});

describe("shmat and shmdt", () => {
  it("checks the id, then the address, then the segment, then access", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o400));
    expect(errno(s.shm.shmat(alice, -1, 0x1001, 0))).toBe("EINVAL");
    expect(errno(s.shm.shmat(bob, id, 0x1001, 0))).toBe("EINVAL");
    expect(errno(s.shm.shmat(alice, id + 1, 0, SHM_RDONLY))).toBe("EINVAL");
    expect(errno(s.shm.shmat(alice, id, 0, 0))).toBe("EACCES");
    expect(errno(s.shm.shmat(alice, id, 0, SHM_RDONLY | SHM_EXEC))).toBe("EACCES");
    expect(errno(s.shm.shmat(bob, id, 0, SHM_RDONLY))).toBe("EACCES");
    const ro = value(s.shm.shmat(alice, id, 0, SHM_RDONLY));
    expect(ro).toMatchObject({ readonly: true, size: 4096, addr: 0 });
    expect(errno(s.shm.shmat(root, id, 0, SHM_EXEC))).toBe("ok");
  });

  it("an address must be SHMLBA-aligned unless SHM_RND rounds it down; SHM_REMAP needs an address", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o600));
    expect(errno(s.shm.shmat(alice, id, 0x40001234, 0))).toBe("EINVAL");
    expect(value(s.shm.shmat(alice, id, 0x40001234, SHM_RND)).addr).toBe(0x40001000);
    expect(value(s.shm.shmat(alice, id, 0x40002000, 0)).addr).toBe(0x40002000);
    expect(errno(s.shm.shmat(alice, id, 0, SHM_REMAP))).toBe("EINVAL");
    expect(errno(s.shm.shmat(alice, id, 0x123, SHM_RND | SHM_REMAP))).toBe("EINVAL");
    expect(errno(s.shm.shmat(alice, id, 0x1000, SHM_REMAP))).toBe("ok");
  });

  it("counts attachments; shmdt takes only the caller's own (EINVAL otherwise)", () => {
    let clock = 1;
    const s = new SysV<string>({ now: () => clock });
    const id = value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o600));
    const a = value(s.shm.shmat(alice, id, 0, 0)).attachment;
    const b = value(s.shm.shmat(alice2, id, 0, 0)).attachment;
    expect(stat(s, id).nattch).toBe(2);
    expect(errno(s.shm.shmdt(alice, b))).toBe("EINVAL");
    expect(errno(s.shm.shmdt(alice, 9999))).toBe("EINVAL");
    clock = 2;
    expect(errno(s.shm.shmdt(alice, a))).toBe("ok");
    expect(errno(s.shm.shmdt(alice, a))).toBe("EINVAL");
    expect(stat(s, id)).toMatchObject({ nattch: 1, dtime: 2, lpid: alice.pid });
  });

  it("hands out the memory the daemon gave the segment", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o600));
    expect(value(s.shm.shmat(alice, id, 0, 0)).memory).toBeUndefined();
    expect(s.shm.setMemory(id, "mem#1")).toBe(true);
    expect(s.shm.setMemory(id + 1, "mem#2")).toBe(false);
    expect(value(s.shm.shmat(alice, id, 0, 0)).memory).toBe("mem#1");
  });
});

describe("removal", () => {
  it("IPC_RMID of an unattached segment destroys it at once", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, 4, 4096, IPC_CREAT | 0o600));
    s.shm.setMemory(id, "m");
    value(s.shm.shmctl(alice, id, IPC_RMID));
    expect(destroyed(s)).toEqual([`${id}:m`]);
    expect(errno(s.shm.shmctl(alice, id, IPC_STAT))).toBe("EINVAL");
  });

  it("an attached segment is marked SHM_DEST, loses its key, and goes at the last detach", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, 4, 4096, IPC_CREAT | 0o600));
    s.shm.setMemory(id, "m");
    const a = value(s.shm.shmat(alice, id, 0, 0)).attachment;
    value(s.shm.shmctl(alice, id, IPC_RMID));
    expect(destroyed(s)).toEqual([]);
    const marked = stat(s, id);
    expect(marked.perm.mode & SHM_DEST).toBe(SHM_DEST);
    expect(marked.perm.key).toBe(IPC_PRIVATE);
    expect(errno(s.shm.shmget(alice, 4, 0, 0))).toBe("ENOENT");
    const other = value(s.shm.shmget(alice, 4, 4096, IPC_CREAT | 0o600));
    expect(other).not.toBe(id);
    // Linux still lets a marked segment be attached.
    const b = value(s.shm.shmat(alice2, id, 0, 0)).attachment;
    value(s.shm.shmdt(alice, a));
    expect(destroyed(s)).toEqual([]);
    value(s.shm.shmdt(alice2, b));
    expect(destroyed(s)).toEqual([`${id}:m`]);
    expect(errno(s.shm.shmat(alice, id, 0, 0))).toBe("EINVAL");
    expect(errno(s.shm.shmctl(alice, other, IPC_STAT))).toBe("ok");
  });

  it("a process that exits detaches everything it attached", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o600));
    value(s.shm.shmat(alice2, id, 0, 0));
    value(s.shm.shmat(alice2, id, 0, SHM_RDONLY));
    value(s.shm.shmat(alice, id, 0, 0));
    value(s.shm.shmctl(alice, id, IPC_RMID));
    s.exitProcess(alice2.pid);
    expect(stat(s, id).nattch).toBe(1);
    s.exitProcess(alice.pid);
    expect(destroyed(s)).toEqual([`${id}:undefined`]);
  });
});

describe("shmctl", () => {
  it("SHM_LOCK and SHM_UNLOCK: creator, owner or root (EPERM), flipping SHM_LOCKED", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o666));
    expect(errno(s.shm.shmctl(bob, id, SHM_LOCK))).toBe("EPERM");
    value(s.shm.shmctl(alice, id, SHM_LOCK));
    expect(stat(s, id).perm.mode & SHM_LOCKED).toBe(SHM_LOCKED);
    value(s.shm.shmctl(root, id, SHM_UNLOCK));
    expect(stat(s, id).perm.mode & SHM_LOCKED).toBe(0);
  });

  it("IPC_SET keeps SHM_DEST and SHM_LOCKED, changing only the nine bits", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o600));
    value(s.shm.shmat(alice, id, 0, 0));
    value(s.shm.shmctl(alice, id, SHM_LOCK));
    value(s.shm.shmctl(alice, id, IPC_RMID));
    value(s.shm.shmctl(alice, id, IPC_SET, { uid: alice.uid, gid: alice.gid, mode: 0o7644 }));
    expect(stat(s, id).perm.mode).toBe(SHM_DEST | SHM_LOCKED | 0o644);
  });

  it("an unknown or negative command, or a negative id, is EINVAL; IPC_SET without data is EFAULT", () => {
    const s = new SysV<string>();
    const id = value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o600));
    expect(errno(s.shm.shmctl(alice, id, 99))).toBe("EINVAL");
    expect(errno(s.shm.shmctl(alice, id, -1))).toBe("EINVAL");
    expect(errno(s.shm.shmctl(alice, -1, IPC_STAT))).toBe("EINVAL");
    expect(errno(s.shm.shmctl(alice, id, IPC_SET))).toBe("EFAULT");
  });
});

describe("memory handles", () => {
  it("memoryOf names what setMemory gave; discard takes back only a segment without memory, with no event", () => {
    const s = new SysV<string>({ limits: { shmall: 2 } });
    const id = value(s.shm.shmget(alice, 5, 4096, IPC_CREAT | 0o600));
    expect(s.shm.memoryOf(id)).toBeUndefined();
    expect(s.shm.discard(id)).toBe(true);
    expect(destroyed(s)).toEqual([]);
    expect(errno(s.shm.shmat(alice, id, 0, 0))).toBe("EINVAL");
    // Its pages went back: two one-page segments fit SHMALL = 2 again; the key is free.
    const a = value(s.shm.shmget(alice, 5, 4096, IPC_CREAT | ipc.IPC_EXCL | 0o600));
    value(s.shm.shmget(alice, IPC_PRIVATE, 4096, 0o600));
    expect(s.shm.setMemory(a, "m")).toBe(true);
    expect(s.shm.memoryOf(a)).toBe("m");
    expect(s.shm.discard(a)).toBe(false);
    expect(s.shm.discard(a + 32768)).toBe(false);
  });
});
