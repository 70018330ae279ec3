/**
 * Identities and the ipc_perm checks of Linux's ipc/util.c: `ipcperms`
 * (read/write access by owner/group/other bits), the creator-or-owner check
 * of IPC_SET and IPC_RMID, and the update IPC_SET makes. uid 0 stands for
 * the capabilities Linux checks (CAP_IPC_OWNER, CAP_SYS_ADMIN,
 * CAP_SYS_RESOURCE, CAP_IPC_LOCK).
 */
import { S_IRWXUGO } from "./constants.js";

/**
 * Who is calling. The daemon fills it from what the process manager set up
 * for the caller's reference, never from a message body.
 */
export interface Caller {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups. */
  readonly groups?: readonly number[];
}

/** Linux's kern_ipc_perm as IPC_STAT shows it. */
export interface IpcPerm {
  readonly key: number;
  readonly uid: number;
  readonly gid: number;
  readonly cuid: number;
  readonly cgid: number;
  /** The nine permission bits, and for segments SHM_DEST / SHM_LOCKED. */
  readonly mode: number;
  /** The slot's sequence number, part of the id. */
  readonly seq: number;
}

/** The fields IPC_SET may change (ipc_update_perm). */
export interface PermSet {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

/** What every object keeps of its ownership; mutable by its table only. */
export interface PermState {
  key: number;
  uid: number;
  gid: number;
  readonly cuid: number;
  readonly cgid: number;
  mode: number;
  readonly seq: number;
}

export function isPrivileged(caller: Caller): boolean {
  return caller.uid === 0;
}

function inGroup(caller: Caller, gid: number): boolean {
  return caller.gid === gid || (caller.groups?.includes(gid) ?? false);
}

/**
 * Linux ipcperms(): `flag`'s rwx bits, in any of the three positions, ask
 * for that access; the owner class is chosen by uid == cuid or uid, then
 * by group (gid or cgid), else others. Returns true when granted.
 */
export function hasAccess(caller: Caller, perm: PermState, flag: number): boolean {
  const requested = ((flag >> 6) | (flag >> 3) | flag) & 0o7;
  let granted = perm.mode;
  if (caller.uid === perm.cuid || caller.uid === perm.uid) granted >>= 6;
  else if (inGroup(caller, perm.cgid) || inGroup(caller, perm.gid)) granted >>= 3;
  return (requested & ~granted & 0o7) === 0 || isPrivileged(caller);
}

/** ipcctl_obtain_check(): only the creator, the owner or uid 0 may IPC_SET or IPC_RMID. */
export function mayControl(caller: Caller, perm: PermState): boolean {
  return caller.uid === perm.cuid || caller.uid === perm.uid || isPrivileged(caller);
}

/** A valid uid or gid: 32 bits, not (uid_t)-1 (ipc_update_perm gives EINVAL for it). */
export function isValidId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < 0xffffffff;
}

/** ipc_update_perm(): the new owner and the nine bits; the other mode bits stay. */
export function updatePerm(perm: PermState, set: PermSet): void {
  perm.uid = set.uid;
  perm.gid = set.gid;
  perm.mode = (perm.mode & ~S_IRWXUGO) | (set.mode & S_IRWXUGO);
}

export function newPerm(caller: Caller, key: number, flags: number, seq: number): PermState {
  return { key, uid: caller.uid, gid: caller.gid, cuid: caller.uid, cgid: caller.gid, mode: flags & S_IRWXUGO, seq };
}

export function snapshotPerm(perm: PermState): IpcPerm {
  return { ...perm };
}
