/**
 * System V IPC flags, commands and limits, with the values of Linux's
 * <linux/ipc.h>, <linux/sem.h>, <linux/msg.h> and <linux/shm.h> (i386), so
 * that a program written against Linux means the same thing here.
 */

/** The key that always creates a new object (ipc(2)). */
export const IPC_PRIVATE = 0;

// Flags of the *get calls, beside the nine permission bits (svipc(7)).
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;

// Commands common to semctl, msgctl and shmctl.
export const IPC_RMID = 0;
export const IPC_SET = 1;
export const IPC_STAT = 2;

// semctl(2) commands.
export const GETPID = 11;
export const GETVAL = 12;
export const GETALL = 13;
export const GETNCNT = 14;
export const GETZCNT = 15;
export const SETVAL = 16;
export const SETALL = 17;

/** semop(2) sem_flg: undo the operation when the process exits. */
export const SEM_UNDO = 0x1000;

// msgrcv(2) flags.
export const MSG_NOERROR = 0o10000;
export const MSG_EXCEPT = 0o20000;
export const MSG_COPY = 0o40000;

// shmat(2) flags.
export const SHM_RDONLY = 0o10000;
export const SHM_RND = 0o20000;
export const SHM_REMAP = 0o40000;
export const SHM_EXEC = 0o100000;

// shmctl(2) commands.
export const SHM_LOCK = 11;
export const SHM_UNLOCK = 12;

/** shm_perm.mode bits above the permission bits (shmctl(2)). */
export const SHM_DEST = 0o1000;
export const SHM_LOCKED = 0o2000;

/** The nine rwx bits of a mode (S_IRWXUGO). */
export const S_IRWXUGO = 0o777;
/** Read permission for owner, group and others (S_IRUGO). */
export const S_IRUGO = 0o444;
/** Write permission for owner, group and others (S_IWUGO). */
export const S_IWUGO = 0o222;

/** Page size of the i386 machine; shared memory is allocated in pages. */
export const PAGE_SIZE = 4096;
/** Attach addresses must be multiples of this unless SHM_RND (shmat(2)). */
export const SHMLBA = PAGE_SIZE;

// Linux's default limits (sem(7)... proc(5) /proc/sys/kernel/{sem,msg*,shm*}).
/** Most semaphores in one set. */
export const SEMMSL = 32000;
/** Most semaphores in the system. */
export const SEMMNS = 1024000000;
/** Most operations in one semop call. */
export const SEMOPM = 500;
/** Most semaphore sets. */
export const SEMMNI = 32000;
/** Largest semaphore value. */
export const SEMVMX = 32767;
/** Largest undo adjustment (semadj lies in -SEMAEM-1 .. SEMAEM). */
export const SEMAEM = SEMVMX;
/** Largest message text, in bytes. */
export const MSGMAX = 8192;
/** Default (and unprivileged maximum) msg_qbytes of a queue. */
export const MSGMNB = 16384;
/** Most message queues. */
export const MSGMNI = 32000;
/** Smallest segment. */
export const SHMMIN = 1;
/** Largest segment: ULONG_MAX - 2^24 on i386. */
export const SHMMAX = 0xffffffff - (1 << 24);
/** Most pages of shared memory in the system. */
export const SHMALL = 0xffffffff - (1 << 24);
/** Most segments. */
export const SHMMNI = 4096;
/** Most slots of an id table (IPCMNI); ids are seq * IPCMNI + slot. */
export const IPCMNI = 32768;

/** The limits one instance enforces; defaults are Linux's. */
export interface Limits {
  readonly semmsl: number;
  readonly semmns: number;
  readonly semopm: number;
  readonly semmni: number;
  readonly msgmax: number;
  readonly msgmnb: number;
  readonly msgmni: number;
  readonly shmmax: number;
  readonly shmall: number;
  readonly shmmni: number;
}

export const LINUX_LIMITS: Limits = {
  semmsl: SEMMSL,
  semmns: SEMMNS,
  semopm: SEMOPM,
  semmni: SEMMNI,
  msgmax: MSGMAX,
  msgmnb: MSGMNB,
  msgmni: MSGMNI,
  shmmax: SHMMAX,
  shmall: SHMALL,
  shmmni: SHMMNI,
};
