/**
 * Keys, ids and permissions, common to the three kinds of object, from
 * svipc(7), semget(2), msgget(2), shmget(2) and POSIX XSH 2.7 "XSI
 * Interprocess Communication" (the ipc_perm rules).
 */
import { describe, expect, it } from "vitest";
import * as ipc from "../../../examples/sysv/core/index.js";
import { SysV, type Caller } from "../../../examples/sysv/core/index.js";
import { alice, alice2, bob, carol, errno, root, value } from "./support.js";

const { IPC_CREAT, IPC_EXCL, IPC_PRIVATE, IPC_RMID, IPC_SET, IPC_STAT } = ipc;

/** One kind of object seen through the same few calls. */
interface Kind {
  readonly name: string;
  get(s: SysV, who: Caller, key: number, flags: number): ipc.Result<number>;
  stat(s: SysV, who: Caller, id: number): ipc.Result<ipc.IpcPerm>;
  set(s: SysV, who: Caller, id: number, perm: ipc.PermSet): ipc.Result<unknown>;
  remove(s: SysV, who: Caller, id: number): ipc.Result<unknown>;
}

function permOf(r: ipc.Result<{ kind: string; stat?: { perm: ipc.IpcPerm } }>): ipc.Result<ipc.IpcPerm> {
  return r.kind === "ok" ? { kind: "ok", value: r.value.stat!.perm } : r;
}

const kinds: Kind[] = [
  {
    name: "semaphore set",
    get: (s, who, key, flags) => s.sem.semget(who, key, 1, flags),
    stat: (s, who, id) => permOf(s.sem.semctl(who, id, 0, IPC_STAT)),
    set: (s, who, id, perm) => s.sem.semctl(who, id, 0, IPC_SET, { set: perm }),
    remove: (s, who, id) => s.sem.semctl(who, id, 0, IPC_RMID),
  },
  {
    name: "message queue",
    get: (s, who, key, flags) => s.msg.msgget(who, key, flags),
    stat: (s, who, id) => permOf(s.msg.msgctl(who, id, IPC_STAT)),
    set: (s, who, id, perm) => s.msg.msgctl(who, id, IPC_SET, { perm, qbytes: ipc.MSGMNB }),
    remove: (s, who, id) => s.msg.msgctl(who, id, IPC_RMID),
  },
  {
    name: "shared memory segment",
    get: (s, who, key, flags) => s.shm.shmget(who, key, 4096, flags),
    stat: (s, who, id) => permOf(s.shm.shmctl(who, id, IPC_STAT)),
    set: (s, who, id, perm) => s.shm.shmctl(who, id, IPC_SET, perm),
    remove: (s, who, id) => s.shm.shmctl(who, id, IPC_RMID),
  },
];

describe.each(kinds)("$name", (kind) => {
  it("IPC_PRIVATE always creates a new object", () => {
    const s = new SysV();
    const a = value(kind.get(s, alice, IPC_PRIVATE, 0o600));
    const b = value(kind.get(s, alice, IPC_PRIVATE, 0o600));
    const c = value(kind.get(s, alice, IPC_PRIVATE, IPC_CREAT | IPC_EXCL | 0o600));
    expect(new Set([a, b, c]).size).toBe(3);
    expect(value(kind.stat(s, alice, a)).key).toBe(IPC_PRIVATE);
  });

  it("a key: ENOENT without IPC_CREAT, the same id again, EEXIST with IPC_EXCL", () => {
    const s = new SysV();
    expect(errno(kind.get(s, alice, 42, 0o600))).toBe("ENOENT");
    const id = value(kind.get(s, alice, 42, IPC_CREAT | 0o600));
    expect(value(kind.get(s, alice, 42, 0o600))).toBe(id);
    expect(value(kind.get(s, alice, 42, IPC_CREAT | 0o600))).toBe(id);
    expect(errno(kind.get(s, alice, 42, IPC_CREAT | IPC_EXCL | 0o600))).toBe("EEXIST");
    // IPC_EXCL alone does nothing.
    expect(value(kind.get(s, alice, 42, IPC_EXCL))).toBe(id);
  });

  it("EEXIST comes before EACCES", () => {
    const s = new SysV();
    value(kind.get(s, alice, 7, IPC_CREAT | 0o600));
    expect(errno(kind.get(s, bob, 7, IPC_CREAT | IPC_EXCL | 0o600))).toBe("EEXIST");
    expect(errno(kind.get(s, bob, 7, 0o600))).toBe("EACCES");
  });

  it("records the creator and keeps only the nine permission bits of the flags", () => {
    const s = new SysV();
    const id = value(kind.get(s, alice, 9, IPC_CREAT | IPC_EXCL | 0o7640));
    const perm = value(kind.stat(s, alice, id));
    expect(perm).toMatchObject({ key: 9, uid: 1000, gid: 100, cuid: 1000, cgid: 100 });
    expect(perm.mode & 0o777).toBe(0o640);
  });

  it("checks the owner, then the group (supplementary groups too), then the other bits", () => {
    const s = new SysV();
    value(kind.get(s, alice, 5, IPC_CREAT | 0o640));
    // Asking for nothing always succeeds.
    expect(errno(kind.get(s, bob, 5, 0))).toBe("ok");
    expect(errno(kind.get(s, bob, 5, 0o004))).toBe("EACCES");
    expect(errno(kind.get(s, carol, 5, 0o040))).toBe("ok");
    expect(errno(kind.get(s, carol, 5, 0o020))).toBe("EACCES");
    expect(errno(kind.get(s, alice2, 5, 0o600))).toBe("ok");
    expect(errno(kind.get(s, root, 5, 0o666))).toBe("ok");
  });

  it("takes the owner's bits for the owner even when others may do more", () => {
    const s = new SysV();
    const id = value(kind.get(s, alice, 6, IPC_CREAT | 0o066));
    expect(errno(kind.get(s, alice, 6, 0o400))).toBe("EACCES");
    expect(errno(kind.stat(s, alice, id))).toBe("EACCES");
    expect(errno(kind.stat(s, bob, id))).toBe("ok");
  });

  it("IPC_STAT needs read permission", () => {
    const s = new SysV();
    const id = value(kind.get(s, alice, IPC_PRIVATE, 0o600));
    expect(errno(kind.stat(s, bob, id))).toBe("EACCES");
    expect(errno(kind.stat(s, root, id))).toBe("ok");
  });

  it("IPC_SET and IPC_RMID: creator, owner or root only (EPERM), whatever the mode", () => {
    const s = new SysV();
    const id = value(kind.get(s, alice, IPC_PRIVATE, 0o666));
    const perm = { uid: bob.uid, gid: 300, mode: 0o604 };
    expect(errno(kind.set(s, carol, id, perm))).toBe("EPERM");
    expect(errno(kind.remove(s, carol, id))).toBe("EPERM");
    expect(errno(kind.set(s, alice, id, perm))).toBe("ok");
    const after = value(kind.stat(s, bob, id));
    expect(after).toMatchObject({ uid: bob.uid, gid: 300, cuid: alice.uid, cgid: alice.gid });
    expect(after.mode & 0o777).toBe(0o604);
    // The new owner and the creator both may; others may not.
    expect(errno(kind.set(s, bob, id, { ...perm, mode: 0o600 }))).toBe("ok");
    expect(errno(kind.set(s, alice, id, perm))).toBe("ok");
    expect(errno(kind.remove(s, root, id))).toBe("ok");
  });

  it("IPC_SET refuses uid or gid -1 (EINVAL)", () => {
    const s = new SysV();
    const id = value(kind.get(s, alice, IPC_PRIVATE, 0o600));
    expect(errno(kind.set(s, alice, id, { uid: 0xffffffff, gid: 100, mode: 0o600 }))).toBe("EINVAL");
    expect(errno(kind.set(s, alice, id, { uid: 1000, gid: 0xffffffff, mode: 0o600 }))).toBe("EINVAL");
    expect(value(kind.stat(s, alice, id)).uid).toBe(1000);
  });

  it("an unknown, negative or stale id is EINVAL; a re-created object gets a new id", () => {
    const s = new SysV();
    expect(errno(kind.stat(s, alice, 0))).toBe("EINVAL");
    expect(errno(kind.stat(s, alice, -1))).toBe("EINVAL");
    const old = value(kind.get(s, alice, 77, IPC_CREAT | 0o600));
    value(kind.remove(s, alice, old));
    expect(errno(kind.get(s, alice, 77, 0o600))).toBe("ENOENT");
    const fresh = value(kind.get(s, alice, 77, IPC_CREAT | 0o600));
    expect(fresh).not.toBe(old);
    expect(errno(kind.stat(s, alice, old))).toBe("EINVAL");
    expect(errno(kind.remove(s, alice, old))).toBe("EINVAL");
    expect(errno(kind.stat(s, alice, fresh))).toBe("ok");
  });

  it("ids of removed objects never name the objects that reuse their slots", () => {
    const s = new SysV();
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const id = value(kind.get(s, alice, IPC_PRIVATE, 0o600));
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      value(kind.remove(s, alice, id));
    }
    for (const id of seen) expect(errno(kind.stat(s, alice, id))).toBe("EINVAL");
  });
});

describe("limits", () => {
  it("ENOSPC beyond the most objects of each kind", () => {
    const s = new SysV({ limits: { semmni: 2, msgmni: 1, shmmni: 1 } });
    value(s.sem.semget(alice, IPC_PRIVATE, 1, 0o600));
    value(s.sem.semget(alice, IPC_PRIVATE, 1, 0o600));
    expect(errno(s.sem.semget(alice, IPC_PRIVATE, 1, 0o600))).toBe("ENOSPC");
    expect(errno(s.sem.semget(alice, 3, 1, IPC_CREAT | 0o600))).toBe("ENOSPC");
    const q = value(s.msg.msgget(alice, IPC_PRIVATE, 0o600));
    expect(errno(s.msg.msgget(alice, IPC_PRIVATE, 0o600))).toBe("ENOSPC");
    value(s.msg.msgctl(alice, q, IPC_RMID));
    expect(errno(s.msg.msgget(alice, IPC_PRIVATE, 0o600))).toBe("ok");
    value(s.shm.shmget(alice, IPC_PRIVATE, 1, 0o600));
    expect(errno(s.shm.shmget(alice, IPC_PRIVATE, 1, 0o600))).toBe("ENOSPC");
  });

  it("the named constants are Linux's defaults", () => {
    expect(ipc.LINUX_LIMITS).toEqual({
      semmsl: 32000,
      semmns: 1024000000,
      semopm: 500,
      semmni: 32000,
      msgmax: 8192,
      msgmnb: 16384,
      msgmni: 32000,
      shmmax: 0xffffffff - 2 ** 24,
      shmall: 0xffffffff - 2 ** 24,
      shmmni: 4096,
    });
    expect([ipc.SEMVMX, ipc.SEMAEM, ipc.SHMMIN]).toEqual([32767, 32767, 1]);
    expect([ipc.IPC_CREAT, ipc.IPC_EXCL, ipc.IPC_NOWAIT, ipc.SEM_UNDO]).toEqual([0o1000, 0o2000, 0o4000, 0x1000]);
    expect([ipc.MSG_NOERROR, ipc.MSG_EXCEPT, ipc.SHM_RDONLY, ipc.SHM_RND]).toEqual([
      0o10000, 0o20000, 0o10000, 0o20000,
    ]);
    expect([ipc.GETPID, ipc.GETVAL, ipc.GETALL, ipc.GETNCNT, ipc.GETZCNT, ipc.SETVAL, ipc.SETALL]).toEqual([
      11, 12, 13, 14, 15, 16, 17,
    ]);
  });
});
