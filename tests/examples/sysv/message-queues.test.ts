/**
 * Message queues, from msgget(2), msgsnd(2), msgrcv(2), msgctl(2) and
 * POSIX msgsnd()/msgrcv(): type selection, truncation, limits, waiting
 * senders and receivers, removal and death while waiting.
 */
import { describe, expect, it } from "vitest";
import * as ipc from "../../../examples/sysv/core/index.js";
import { SysV, type Caller } from "../../../examples/sysv/core/index.js";
import { alice, alice2, bob, completions, errno, root, value, waiter } from "./support.js";

const { IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, IPC_SET, IPC_STAT, MSG_COPY, MSG_EXCEPT, MSG_NOERROR, MSGMNB } = ipc;

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);
const caller3: Caller = { ...alice2, pid: 12 };

function queue(mode = 0o600, options: ipc.SysvOptions = {}): [SysV, number] {
  const s = new SysV(options);
  return [s, value(s.msg.msgget(alice, IPC_PRIVATE, mode))];
}

function stat(s: SysV, id: number): ipc.MsqidDs {
  const r = value(s.msg.msgctl(alice, id, IPC_STAT));
  if (r.kind !== "stat") throw new Error("not a stat");
  return r.stat;
}

function send(s: SysV, id: number, mtype: number, body: string, flags = 0, who: Caller = alice) {
  return s.msg.msgsnd(who, id, mtype, text(body), flags);
}

/** Receives without waiting; returns "type:text" or the errno. */
function take(s: SysV, id: number, msgtyp: number, flags = 0, size = 100, who: Caller = alice): string {
  const r = s.msg.msgrcv(who, id, size, msgtyp, flags | IPC_NOWAIT);
  return r.kind === "ok" ? `${r.value.mtype}:${str(r.value.mtext)}` : errno(r);
}

function received(events: readonly ipc.SysvEvent<unknown>[]): string[] {
  return events.map((e) =>
    e.kind === "msgrcv" && e.result.kind === "ok"
      ? `${e.waiter}=${e.result.value.mtype}:${str(e.result.value.mtext)}`
      : `${"waiter" in e ? e.waiter : "?"}=${e.kind === "shm-destroyed" ? "" : errno(e.result)}`,
  );
}

describe("msgsnd", () => {
  it("checks size and id, then mtype (EINVAL), then the queue, then write access", () => {
    const [s, id] = queue(0o644);
    expect(errno(s.msg.msgsnd(alice, id, 1, new Uint8Array(ipc.MSGMAX + 1), 0))).toBe("EINVAL");
    expect(errno(send(s, -1, 1, "x"))).toBe("EINVAL");
    expect(errno(send(s, id, 0, "x"))).toBe("EINVAL");
    expect(errno(send(s, id, -5, "x", 0, bob))).toBe("EINVAL");
    expect(errno(send(s, id + 1, 1, "x"))).toBe("EINVAL");
    expect(errno(send(s, id, 1, "x", 0, bob))).toBe("EACCES");
    expect(errno(s.msg.msgsnd(alice, id, 1, new Uint8Array(ipc.MSGMAX), 0))).toBe("ok");
    expect(errno(send(s, id, 1, ""))).toBe("ok");
  });

  it("queues a copy of the text and records the sender", () => {
    let clock = 50;
    const [s, id] = queue(0o600, { now: () => clock });
    const body = text("abc");
    value(s.msg.msgsnd(alice2, id, 3, body, 0));
    body[0] = 0x7a;
    clock = 60;
    value(send(s, id, 4, "hello"));
    expect(stat(s, id)).toMatchObject({
      qnum: 2,
      cbytes: 8,
      lspid: alice.pid,
      stime: 60,
      lrpid: 0,
      rtime: 0,
      ctime: 50,
    });
    expect(take(s, id, 0)).toBe("3:abc");
    expect(stat(s, id)).toMatchObject({ qnum: 1, cbytes: 5, lrpid: alice.pid, rtime: 60 });
  });

  it("a full queue is EAGAIN with IPC_NOWAIT; otherwise the sender waits until a receive makes room", () => {
    const [s, id] = queue();
    value(s.msg.msgctl(alice, id, IPC_SET, { perm: { uid: alice.uid, gid: alice.gid, mode: 0o600 }, qbytes: 10 }));
    value(send(s, id, 1, "123456"));
    expect(errno(send(s, id, 2, "12345", IPC_NOWAIT))).toBe("EAGAIN");
    const w = waiter(send(s, id, 2, "12345", 0, alice2));
    value(send(s, id, 3, "1234"));
    expect(stat(s, id)).toMatchObject({ qnum: 2, cbytes: 10 });
    expect(take(s, id, 3)).toBe("3:1234");
    expect(s.takeEvents()).toEqual([]);
    expect(take(s, id, 0)).toBe("1:123456");
    expect(completions(s.takeEvents())).toEqual([[w, "ok"]]);
    expect(stat(s, id)).toMatchObject({ qnum: 1, cbytes: 5, lspid: alice2.pid });
  });

  it("msg_qbytes also bounds the number of messages", () => {
    const [s, id] = queue();
    value(s.msg.msgctl(alice, id, IPC_SET, { perm: { uid: alice.uid, gid: alice.gid, mode: 0o600 }, qbytes: 2 }));
    value(send(s, id, 1, ""));
    value(send(s, id, 1, ""));
    expect(errno(send(s, id, 1, "", IPC_NOWAIT))).toBe("EAGAIN");
  });
});

describe("msgrcv: which message", () => {
  function filled(): [SysV, number] {
    const [s, id] = queue();
    for (const [t, body] of [
      [5, "a"],
      [2, "b"],
      [7, "c"],
      [2, "d"],
      [1, "e"],
      [1, "f"],
    ] as const) {
      value(send(s, id, t, body));
    }
    return [s, id];
  }

  it("msgtyp 0: the first message", () => {
    const [s, id] = filled();
    expect([take(s, id, 0), take(s, id, 0), take(s, id, 0)]).toEqual(["5:a", "2:b", "7:c"]);
  });

  it("msgtyp > 0: the first message of that type; with MSG_EXCEPT the first of another", () => {
    const [s, id] = filled();
    expect(take(s, id, 2)).toBe("2:b");
    expect(take(s, id, 2)).toBe("2:d");
    expect(take(s, id, 2)).toBe("ENOMSG");
    expect(take(s, id, 5, MSG_EXCEPT)).toBe("7:c");
    expect(take(s, id, 5, MSG_EXCEPT)).toBe("1:e");
  });

  it("msgtyp < 0: the first message of the lowest type <= |msgtyp|", () => {
    const [s, id] = filled();
    expect(take(s, id, -6)).toBe("1:e");
    expect(take(s, id, -6)).toBe("1:f");
    expect(take(s, id, -6)).toBe("2:b");
    expect(take(s, id, -1)).toBe("ENOMSG");
    expect(take(s, id, -0x80000000)).toBe("2:d");
  });

  it("MSG_EXCEPT does not change a negative msgtyp", () => {
    const [s, id] = filled();
    expect(take(s, id, -2, MSG_EXCEPT)).toBe("1:e");
  });

  it("an empty queue is ENOMSG with IPC_NOWAIT", () => {
    const [s, id] = queue();
    expect(take(s, id, 0)).toBe("ENOMSG");
  });
});

describe("msgrcv: sizes and checks", () => {
  it("a longer text is E2BIG and stays queued; MSG_NOERROR cuts it and removes it", () => {
    const [s, id] = queue();
    value(send(s, id, 1, "hello world"));
    expect(take(s, id, 0, 0, 5)).toBe("E2BIG");
    expect(stat(s, id).qnum).toBe(1);
    expect(take(s, id, 0, MSG_NOERROR, 5)).toBe("1:hello");
    expect(stat(s, id)).toMatchObject({ qnum: 0, cbytes: 0 });
  });

  it("checks id and size (EINVAL), MSG_COPY, the queue, then read access", () => {
    const [s, id] = queue(0o620);
    expect(errno(s.msg.msgrcv(alice, -1, 10, 0, 0))).toBe("EINVAL");
    expect(errno(s.msg.msgrcv(alice, id, -1, 0, 0))).toBe("EINVAL");
    expect(errno(s.msg.msgrcv(alice, id, 10, 0, MSG_COPY))).toBe("EINVAL");
    expect(errno(s.msg.msgrcv(alice, id, 10, 0, MSG_COPY | IPC_NOWAIT | MSG_EXCEPT))).toBe("EINVAL");
    expect(errno(s.msg.msgrcv(alice, id, 10, 0, MSG_COPY | IPC_NOWAIT))).toBe("ENOSYS");
    expect(errno(s.msg.msgrcv(alice, id + 1, 10, 0, 0))).toBe("EINVAL");
    expect(errno(s.msg.msgrcv(bob, id, 10, 0, IPC_NOWAIT))).toBe("EACCES");
    expect(errno(s.msg.msgrcv(root, id, 10, 0, IPC_NOWAIT))).toBe("ENOMSG");
  });
});

describe("msgrcv: waiting receivers", () => {
  it("a message goes straight to the oldest receiver that selects it", () => {
    const [s, id] = queue();
    const five = waiter(s.msg.msgrcv(alice2, id, 100, 5, 0));
    const any = waiter(s.msg.msgrcv(caller3, id, 100, 0, 0));
    value(send(s, id, 3, "x"));
    expect(received(s.takeEvents())).toEqual([`${any}=3:x`]);
    value(send(s, id, 5, "y"));
    expect(received(s.takeEvents())).toEqual([`${five}=5:y`]);
    expect(stat(s, id)).toMatchObject({ qnum: 0, cbytes: 0, lrpid: alice2.pid });
  });

  it("a message nobody waiting selects is queued", () => {
    const [s, id] = queue();
    const w = waiter(s.msg.msgrcv(alice2, id, 100, -2, 0));
    value(send(s, id, 3, "x"));
    expect(s.takeEvents()).toEqual([]);
    value(send(s, id, 2, "y"));
    expect(received(s.takeEvents())).toEqual([`${w}=2:y`]);
    expect(take(s, id, 0)).toBe("3:x");
  });

  it("a waiting receiver whose buffer is too small gets E2BIG, and the message goes on", () => {
    const [s, id] = queue();
    const small = waiter(s.msg.msgrcv(alice2, id, 2, 0, 0));
    const cut = waiter(s.msg.msgrcv(caller3, id, 3, 0, MSG_NOERROR));
    value(send(s, id, 1, "abcdef"));
    expect(received(s.takeEvents())).toEqual([`${small}=E2BIG`, `${cut}=1:abc`]);
    const last = waiter(s.msg.msgrcv(alice2, id, 2, 0, 0));
    value(send(s, id, 1, "long"));
    expect(received(s.takeEvents())).toEqual([`${last}=E2BIG`]);
    expect(take(s, id, 0)).toBe("1:long");
  });

  it("a receive that makes room lets a waiting sender's message reach a waiting receiver", () => {
    const [s, id] = queue();
    value(s.msg.msgctl(alice, id, IPC_SET, { perm: { uid: alice.uid, gid: alice.gid, mode: 0o600 }, qbytes: 4 }));
    value(send(s, id, 1, "full"));
    const sender = waiter(send(s, id, 9, "next", 0, alice2));
    const nine = waiter(s.msg.msgrcv(caller3, id, 100, 9, 0));
    expect(take(s, id, 1)).toBe("1:full");
    expect(received(s.takeEvents())).toEqual([`${sender}=ok`, `${nine}=9:next`]);
    expect(stat(s, id)).toMatchObject({ qnum: 0, cbytes: 0 });
  });

  it("IPC_RMID ends every wait, senders' and receivers', with EIDRM", () => {
    const [s, id] = queue();
    value(s.msg.msgctl(alice, id, IPC_SET, { perm: { uid: alice.uid, gid: alice.gid, mode: 0o600 }, qbytes: 1 }));
    value(send(s, id, 1, "x"));
    const sender = waiter(send(s, id, 1, "y", 0, alice2));
    const receiver = waiter(s.msg.msgrcv(caller3, id, 100, 2, 0));
    value(s.msg.msgctl(alice, id, IPC_RMID));
    expect(completions(s.takeEvents()).sort()).toEqual(
      [
        [sender, "EIDRM"],
        [receiver, "EIDRM"],
      ].sort(),
    );
    expect(errno(send(s, id, 1, "z"))).toBe("EINVAL");
  });

  it("a signal ends a wait with EINTR; a receiver that dies leaves no trace", () => {
    const [s, id] = queue();
    const interrupted = waiter(s.msg.msgrcv(alice2, id, 100, 0, 0));
    expect(s.cancel(interrupted, "interrupt")).toBe(true);
    expect(completions(s.takeEvents())).toEqual([[interrupted, "EINTR"]]);
    waiter(s.msg.msgrcv(caller3, id, 100, 0, 0));
    s.exitProcess(caller3.pid);
    value(send(s, id, 4, "kept"));
    expect(s.takeEvents()).toEqual([]);
    expect(take(s, id, 0)).toBe("4:kept");
  });

  it("a sender that dies while waiting leaves nothing queued", () => {
    const [s, id] = queue();
    value(s.msg.msgctl(alice, id, IPC_SET, { perm: { uid: alice.uid, gid: alice.gid, mode: 0o600 }, qbytes: 1 }));
    value(send(s, id, 1, "x"));
    waiter(send(s, id, 2, "y", 0, alice2));
    s.exitProcess(alice2.pid);
    expect(take(s, id, 0)).toBe("1:x");
    expect(s.takeEvents()).toEqual([]);
    expect(take(s, id, 0)).toBe("ENOMSG");
  });
});

describe("msgctl", () => {
  it("a new queue holds MSGMNB bytes; raising msg_qbytes above it needs root (EPERM), before the owner check of IPC_SET's uid", () => {
    const [s, id] = queue();
    expect(stat(s, id).qbytes).toBe(MSGMNB);
    const perm = { uid: alice.uid, gid: alice.gid, mode: 0o600 };
    expect(errno(s.msg.msgctl(alice, id, IPC_SET, { perm, qbytes: MSGMNB + 1 }))).toBe("EPERM");
    expect(errno(s.msg.msgctl(alice, id, IPC_SET, { perm: { ...perm, uid: 0xffffffff }, qbytes: MSGMNB + 1 }))).toBe(
      "EPERM",
    );
    expect(errno(s.msg.msgctl(alice, id, IPC_SET, { perm: { ...perm, uid: 0xffffffff }, qbytes: MSGMNB }))).toBe(
      "EINVAL",
    );
    expect(errno(s.msg.msgctl(root, id, IPC_SET, { perm, qbytes: MSGMNB * 4 }))).toBe("ok");
    expect(stat(s, id).qbytes).toBe(MSGMNB * 4);
  });

  it("raising msg_qbytes lets waiting senders in", () => {
    const [s, id] = queue();
    const perm = { uid: alice.uid, gid: alice.gid, mode: 0o600 };
    value(s.msg.msgctl(alice, id, IPC_SET, { perm, qbytes: 3 }));
    value(send(s, id, 1, "abc"));
    const w = waiter(send(s, id, 1, "de", 0, alice2));
    value(s.msg.msgctl(alice, id, IPC_SET, { perm, qbytes: 5 }));
    expect(completions(s.takeEvents())).toEqual([[w, "ok"]]);
    expect(stat(s, id)).toMatchObject({ qnum: 2, cbytes: 5 });
  });

  it("IPC_SET that takes read access away ends the waits of receivers that lost it (EACCES)", () => {
    const [s, id] = queue(0o644);
    const other = waiter(s.msg.msgrcv(bob, id, 100, 0, 0));
    const owner = waiter(s.msg.msgrcv(alice2, id, 100, 0, 0));
    value(s.msg.msgctl(alice, id, IPC_SET, { perm: { uid: alice.uid, gid: alice.gid, mode: 0o600 }, qbytes: 100 }));
    expect(completions(s.takeEvents())).toEqual([[other, "EACCES"]]);
    value(send(s, id, 1, "x"));
    expect(completions(s.takeEvents())).toEqual([[owner, "ok"]]);
  });

  it("an unknown or negative command, or a negative id, is EINVAL; IPC_SET without data is EFAULT", () => {
    const [s, id] = queue();
    expect(errno(s.msg.msgctl(alice, id, 99))).toBe("EINVAL");
    expect(errno(s.msg.msgctl(alice, id, -1))).toBe("EINVAL");
    expect(errno(s.msg.msgctl(alice, -1, IPC_STAT))).toBe("EINVAL");
    expect(errno(s.msg.msgctl(alice, id, IPC_SET))).toBe("EFAULT");
  });
});
