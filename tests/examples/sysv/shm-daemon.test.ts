/**
 * Shared memory through sysvd on the emulator, from shmget(2), shmop(2)
 * and shmctl(2): a segment is a kernel memory object the daemon makes and
 * hands out, so two processes see each other's writes; SHM_RDONLY maps it
 * read-only (a write faults, and the reference cannot be mapped for write);
 * removal while attached keeps it until the last detach; long message texts
 * travel by lease.
 */
import { describe, expect, it } from "vitest";
import { PageFaultError, type ProgramEntry, type Sys } from "../../../emulator/program/program.js";
import { SYSV_BUFFER_SIZE, SysvIpc, type MsgBuf } from "../../../examples/sysv/client.js";
import { EACCES, EINVAL, IPC_CREAT, IPC_RMID, IPC_STAT, MSGMAX } from "../../../examples/sysv/core/index.js";
import { SHM_DEST, SHM_RDONLY, SHM_REMAP } from "../../../examples/sysv/core/index.js";
import { SysvClient, type ShmidDs } from "../../../gen/examples/sysv/sysv.js";
import { runSysv } from "../../../examples/sysv/harness.js";

const ENOMEM = 12;
const SHM_KEY = 0x51;
const SEM_KEY = 0x52;
const SIZE = 3 * 4096 + 100;

async function ipcOf(sys: Sys): Promise<SysvIpc> {
  return new SysvIpc(sys.trap, await sys.messageBuffer(SYSV_BUFFER_SIZE), sys.descriptors[0]!, sys);
}

const up = (num: number) => [{ num, op: 1, flg: 0 }];
const down = (num: number) => [{ num, op: -1, flg: 0 }];

/** Writes a pattern across the segment's pages, lets the reader check it, then checks the reader's answer. */
const writer: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const id = await ipc.shmget(SHM_KEY, SIZE, IPC_CREAT | 0o600);
  const s = await ipc.semget(SEM_KEY, 2, IPC_CREAT | 0o600);
  if (id < 0 || s < 0) return 10;
  const at = await ipc.shmat(id, 0, 0);
  if (at < 0) return 11;
  for (let i = 0; i < SIZE; i += 997) sys.memory.write8(at + i, (i * 7) & 0xff);
  if ((await ipc.semop(s, up(0))) !== 0) return 12;
  if ((await ipc.semop(s, down(1))) !== 0) return 13;
  if (sys.memory.read32(at + SIZE - 4) !== 0xc0ffee) return 14;
  const ds = {} as ShmidDs;
  if ((await ipc.shmctl(id, IPC_STAT, ds)) !== 0 || ds.nattch !== 2 || ds.segsz !== SIZE) return 15;
  if ((await ipc.shmdt(at)) !== 0) return 16;
  if ((await ipc.shmdt(at)) !== -1 || ipc.errno !== EINVAL) return 17;
  if ((await ipc.semop(s, up(0))) !== 0) return 18;
  return 0;
};

const reader: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const s = await ipc.semget(SEM_KEY, 2, IPC_CREAT | 0o600);
  if ((await ipc.semop(s, down(0))) !== 0) return 20;
  const id = await ipc.shmget(SHM_KEY, 0, 0);
  const at = id < 0 ? -1 : await ipc.shmat(id, 0, 0);
  if (at < 0) return 21;
  for (let i = 0; i < SIZE; i += 997) if (sys.memory.read8(at + i) !== ((i * 7) & 0xff)) return 22;
  sys.memory.write32(at + SIZE - 4, 0xc0ffee);
  if ((await ipc.semop(s, up(1))) !== 0) return 23;
  if ((await ipc.semop(s, down(0))) !== 0) return 24;
  const ds = {} as ShmidDs;
  if ((await ipc.shmctl(id, IPC_STAT, ds)) !== 0 || ds.nattch !== 1) return 25;
  if ((await ipc.shmctl(id, IPC_RMID)) !== 0) return 26;
  // Attached: removal waits for the last detach; the mapping still works.
  if ((await ipc.shmctl(id, IPC_STAT, ds)) !== 0 || (ds.perm.mode & SHM_DEST) === 0) return 27;
  if (sys.memory.read32(at + SIZE - 4) !== 0xc0ffee) return 28;
  if ((await ipc.shmdt(at)) !== 0) return 29;
  if ((await ipc.shmctl(id, IPC_STAT, ds)) !== -1 || ipc.errno !== EINVAL) return 30;
  if (sys.memory.isMapped(at)) return 31;
  return (await ipc.semctl(s, 0, IPC_RMID)) === 0 ? 0 : 32;
};

/** SHM_RDONLY: reads work, a write faults, and the reference handed over cannot be mapped for write. */
const readOnly: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const id = await ipc.shmget(SHM_KEY, 4096, IPC_CREAT | 0o600);
  const rw = await ipc.shmat(id, 0, 0);
  const ro = await ipc.shmat(id, 0, SHM_RDONLY);
  if (rw < 0 || ro < 0 || rw === ro) return 40;
  sys.memory.write8(rw + 5, 99);
  if (sys.memory.read8(ro + 5) !== 99) return 41;
  try {
    sys.memory.write8(ro + 5, 1);
    return 42;
  } catch (error) {
    if (!(error instanceof PageFaultError)) throw error;
  }
  const stub = new SysvClient(sys.trap, await sys.messageBuffer(SYSV_BUFFER_SIZE), sys.descriptors[0]!);
  const got = await stub.shmat(id, 0, SHM_RDONLY);
  if ((await sys.kernel.memMap(got.memory, 0, 0, 4096, 3)) !== -EACCES) return 43;
  await stub.shmdt(got.attachment);
  if ((await ipc.shmdt(rw)) !== 0 || (await ipc.shmdt(ro)) !== 0) return 44;
  return (await ipc.shmctl(id, IPC_RMID)) === 0 ? 0 : 45;
};

/** Errors as Linux gives them: sizes, an address not on SHMLBA, another user's segment, more than memory holds. */
const refusals: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const fails = async (r: Promise<number>, errno: number) => (await r) === -1 && ipc.errno === errno;
  if (!(await fails(ipc.shmget(0, 0, IPC_CREAT | 0o600), EINVAL))) return 50;
  const huge = await ipc.shmget(0, 1 << 30, IPC_CREAT | 0o600);
  if (huge !== -1 || ipc.errno !== ENOMEM) return 51;
  const id = await ipc.shmget(0, 100, IPC_CREAT | 0o600);
  if (id < 0) return 52;
  if (!(await fails(ipc.shmat(id, 0x4000_0123, 0), EINVAL))) return 53;
  // The same slot with the next sequence number: a stale id.
  if (!(await fails(ipc.shmat(id + 32768, 0, 0), EINVAL))) return 54;
  const at = await ipc.shmat(id, 0x4000_0000, 0);
  if (at !== 0x4000_0000) return 55;
  // The range is in use: EINVAL without SHM_REMAP.
  if (!(await fails(ipc.shmat(id, 0x4000_0000, 0), EINVAL))) return 56;
  const ds = {} as ShmidDs;
  if ((await ipc.shmctl(id, IPC_STAT, ds)) !== 0 || ds.nattch !== 1) return 57;
  sys.memory.write8(at, 7);
  // SHM_REMAP replaces the mapping there: the same segment again, one attachment.
  if ((await ipc.shmat(id, 0x4000_0000, SHM_REMAP)) !== at || sys.memory.read8(at) !== 7) return 58;
  if ((await ipc.shmctl(id, IPC_STAT, ds)) !== 0 || ds.nattch !== 1) return 59;
  if ((await ipc.shmctl(id, IPC_RMID)) !== 0 || (await ipc.shmdt(at)) !== 0) return 60;
  return sys.memory.isMapped(at) ? 61 : 0;
};

const stranger: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const s = await ipc.semget(SEM_KEY, 1, IPC_CREAT | 0o666);
  if ((await ipc.semop(s, down(0))) !== 0) return 70;
  // Flags 0 ask for no access (ipcperms), so the id is found; asking for read or attaching is EACCES.
  const id = await ipc.shmget(SHM_KEY, 0, 0);
  if (id < 0) return 71;
  if ((await ipc.shmget(SHM_KEY, 0, 0o400)) !== -1 || ipc.errno !== EACCES) return 72;
  if ((await ipc.shmat(id, 0, SHM_RDONLY)) !== -1 || ipc.errno !== EACCES) return 73;
  return 0;
};

const owner: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const id = await ipc.shmget(SHM_KEY, 4096, IPC_CREAT | 0o600);
  const s = await ipc.semget(SEM_KEY, 1, IPC_CREAT | 0o666);
  if (id < 0 || s < 0 || (await ipc.semop(s, up(0))) !== 0) return 75;
  return 0;
};

/** Texts longer than MSG_INLINE, up to MSGMAX, go by lease both ways; MSGMAX + 1 is EINVAL. */
const longTexts: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const q = await ipc.msgget(0, IPC_CREAT | 0o600);
  const text = Uint8Array.from({ length: MSGMAX }, (_, i) => (i * 31) & 0xff);
  if ((await ipc.msgsnd(q, 3, text, 0)) !== 0) return 80;
  if ((await ipc.msgsnd(q, 3, new Uint8Array(MSGMAX + 1), 0)) !== -1 || ipc.errno !== EINVAL) return 81;
  const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
  if ((await ipc.msgrcv(q, m, 5000, 0, 0)) !== -1) return 82;
  if ((await ipc.msgrcv(q, m, MSGMAX, 0, 0)) !== MSGMAX || m.mtype !== 3) return 83;
  if (!m.mtext.every((b, i) => b === ((i * 31) & 0xff))) return 84;
  return (await ipc.msgctl(q, IPC_RMID)) === 0 ? 0 : 85;
};

/** Waits in msgrcv by lease for a long text sent later; the serve thread writes it after it is woken. */
const longReceiver: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  const q = await ipc.msgget(0x53, IPC_CREAT | 0o600);
  const m: MsgBuf = { mtype: 0, mtext: new Uint8Array(0) };
  if ((await ipc.msgrcv(q, m, MSGMAX, 9, 0)) !== 6000 || m.mtype !== 9) return 90;
  return m.mtext.every((b, i) => b === i % 251) ? 0 : 91;
};

const longSender: ProgramEntry = async (sys) => {
  const ipc = await ipcOf(sys);
  for (let i = 0; i < 100; i++) await sys.kernel.threadYield();
  const q = await ipc.msgget(0x53, IPC_CREAT | 0o600);
  const text = Uint8Array.from({ length: 6000 }, (_, i) => i % 251);
  return (await ipc.msgsnd(q, 9, text, 0)) === 0 ? 0 : 92;
};

describe("sysvd shared memory on the emulator", () => {
  it("two processes see each other's writes; removal while attached waits for the last detach", async () => {
    const { statuses } = await runSysv([
      { name: "writer", program: writer, uid: 1000, gid: 100 },
      { name: "reader", program: reader, uid: 1000, gid: 100 },
    ]);
    expect(statuses).toEqual({ writer: 0, reader: 0 });
  });

  it("SHM_RDONLY maps read-only: a write faults and the reference cannot be mapped for write", async () => {
    const { statuses } = await runSysv([{ name: "ro", program: readOnly, uid: 1000, gid: 100 }]);
    expect(statuses).toEqual({ ro: 0 });
  });

  it("refuses as Linux does: sizes, addresses, ids, memory, permissions", async () => {
    const { statuses } = await runSysv([
      { name: "refusals", program: refusals, uid: 1000, gid: 100 },
      { name: "owner", program: owner, uid: 1000, gid: 100 },
      { name: "stranger", program: stranger, uid: 2000, gid: 200 },
    ]);
    expect(statuses).toEqual({ refusals: 0, owner: 0, stranger: 0 });
  });

  it("message texts up to MSGMAX travel by lease", async () => {
    const { statuses } = await runSysv([{ name: "long", program: longTexts, uid: 1000, gid: 100 }]);
    expect(statuses).toEqual({ long: 0 });
    const waited = await runSysv([
      { name: "receiver", program: longReceiver, uid: 1000, gid: 100 },
      { name: "sender", program: longSender, uid: 1000, gid: 100 },
    ]);
    expect(waited.statuses).toEqual({ receiver: 0, sender: 0 });
  });
});
