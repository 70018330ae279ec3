/**
 * Shared memory segments: shmget, shmat/shmdt bookkeeping, shmctl. Follows
 * Linux's ipc/shm.c. The memory itself is an opaque handle `M` the daemon
 * supplies (setMemory) and frees when a `shm-destroyed` event says so; an
 * attachment is a number the client keeps beside the address it mapped.
 */
import { IPC_RMID, IPC_SET, IPC_STAT, PAGE_SIZE, SHMLBA, SHMMIN, SHM_DEST, SHM_EXEC, SHM_LOCK } from "./constants.js";
import { SHM_LOCKED, SHM_RDONLY, SHM_REMAP, SHM_RND, SHM_UNLOCK, S_IRUGO, S_IWUGO } from "./constants.js";
import { EACCES, EFAULT, EINVAL, ENOSPC, EPERM } from "./errno.js";
import type { Context } from "./events.js";
import { IdTable, ipcget } from "./id-table.js";
import { hasAccess, isValidId, mayControl, newPerm, snapshotPerm, updatePerm } from "./ipc-perm.js";
import type { Caller, IpcPerm, PermSet, PermState } from "./ipc-perm.js";
import { fail, ok, type Result } from "./result.js";

export interface ShmidDs {
  readonly perm: IpcPerm;
  readonly segsz: number;
  readonly atime: number;
  readonly dtime: number;
  readonly ctime: number;
  readonly cpid: number;
  readonly lpid: number;
  readonly nattch: number;
}

export type ShmctlValue = { readonly kind: "done" } | { readonly kind: "stat"; readonly stat: ShmidDs };

/** What shmat gives the caller to map. */
export interface ShmAttach<M> {
  readonly attachment: number;
  readonly memory: M | undefined;
  readonly size: number;
  readonly readonly: boolean;
  /** The address asked for (rounded down with SHM_RND), 0 for "anywhere". */
  readonly addr: number;
}

interface Segment<M> {
  readonly id: number;
  readonly perm: PermState;
  readonly size: number;
  readonly pages: number;
  atime: number;
  dtime: number;
  ctime: number;
  readonly cpid: number;
  lpid: number;
  nattch: number;
  memory: M | undefined;
}

interface Attachment {
  readonly pid: number;
  readonly shmid: number;
}

const S_IXUGO = 0o111;

export class SharedMemory<M> {
  readonly #table: IdTable<Segment<M>>;
  readonly #attachments = new Map<number, Attachment>();
  #nextAttachment = 1;
  /** Pages in all segments (shm_tot), against SHMALL. */
  #pages = 0;

  constructor(private readonly ctx: Context<M>) {
    this.#table = new IdTable<Segment<M>>(() => ctx.limits.shmmni);
  }

  /** shmget(2): an existing segment smaller than `size` is EINVAL (shm_more_checks). */
  shmget(caller: Caller, key: number, size: number, shmflg: number): Result<number> {
    return ipcget(this.#table, caller, key, shmflg, {
      create: () => this.#create(caller, key, size, shmflg),
      moreChecks: (segment) => (size > segment.size ? EINVAL : 0),
    });
  }

  /** newseg(): SHMMIN..SHMMAX (EINVAL), then SHMALL pages (ENOSPC), then SHMMNI (ENOSPC). */
  #create(caller: Caller, key: number, size: number, shmflg: number): Result<Segment<M>> {
    if (!Number.isInteger(size) || size < SHMMIN || size > this.ctx.limits.shmmax) return fail(EINVAL);
    const pages = Math.ceil(size / PAGE_SIZE);
    if (this.#pages + pages > this.ctx.limits.shmall) return fail(ENOSPC);
    const made = this.#table.add((id, seq) => ({
      id,
      perm: newPerm(caller, key, shmflg, seq),
      size,
      pages,
      atime: 0,
      dtime: 0,
      ctime: this.ctx.now(),
      cpid: caller.pid,
      lpid: 0,
      nattch: 0,
      memory: undefined,
    }));
    if (made.kind === "ok") this.#pages += pages;
    return made;
  }

  /** Gives a new segment its memory; false when `shmid` names none. */
  setMemory(shmid: number, memory: M): boolean {
    const segment = this.#table.find(shmid);
    if (segment === undefined) return false;
    segment.memory = memory;
    return true;
  }

  /** The memory a segment was given; undefined when `shmid` names none or it has none yet. */
  memoryOf(shmid: number): M | undefined {
    return this.#table.find(shmid)?.memory;
  }

  /**
   * Takes back a segment that never got its memory (the daemon could not
   * make it): it goes without an event, as if shmget had failed. False when
   * `shmid` names no such segment.
   */
  discard(shmid: number): boolean {
    const segment = this.#table.find(shmid);
    if (segment === undefined || segment.memory !== undefined || segment.nattch > 0) return false;
    this.#table.remove(segment);
    this.#pages -= segment.pages;
    return true;
  }

  /**
   * shmat(2), in do_shmat's order: the id, the address (EINVAL unless
   * SHMLBA-aligned or SHM_RND; SHM_REMAP needs one), the segment (EINVAL),
   * access (read, and write unless SHM_RDONLY; EACCES). Linux lets a
   * segment marked for removal be attached.
   */
  shmat(caller: Caller, shmid: number, addr: number, shmflg: number): Result<ShmAttach<M>> {
    if (shmid < 0) return fail(EINVAL);
    let at = addr;
    if (at !== 0) {
      if (at % SHMLBA !== 0) {
        if (!(shmflg & SHM_RND)) return fail(EINVAL);
        at -= at % SHMLBA;
        if (at === 0 && shmflg & SHM_REMAP) return fail(EINVAL);
      }
    } else if (shmflg & SHM_REMAP) return fail(EINVAL);
    const readonly = (shmflg & SHM_RDONLY) !== 0;
    const access = (readonly ? S_IRUGO : S_IRUGO | S_IWUGO) | (shmflg & SHM_EXEC ? S_IXUGO : 0);
    const segment = this.#table.find(shmid);
    if (segment === undefined) return fail(EINVAL);
    if (!hasAccess(caller, segment.perm, access)) return fail(EACCES);
    segment.nattch++;
    segment.atime = this.ctx.now();
    segment.lpid = caller.pid;
    const attachment = this.#nextAttachment++;
    this.#attachments.set(attachment, { pid: caller.pid, shmid });
    return ok({ attachment, memory: segment.memory, size: segment.size, readonly, addr: at });
  }

  /** shmdt(2): EINVAL when the caller has no such attachment. */
  shmdt(caller: Caller, attachment: number): Result<0> {
    const found = this.#attachments.get(attachment);
    if (found === undefined || found.pid !== caller.pid) return fail(EINVAL);
    this.#detach(attachment, found);
    return ok(0);
  }

  /** shm_close(): the last detach of a segment marked for removal destroys it. */
  #detach(attachment: number, found: Attachment): void {
    this.#attachments.delete(attachment);
    const segment = this.#table.find(found.shmid);
    if (segment === undefined) return;
    segment.nattch--;
    segment.dtime = this.ctx.now();
    segment.lpid = found.pid;
    if (segment.nattch === 0 && segment.perm.mode & SHM_DEST) this.#destroy(segment);
  }

  #destroy(segment: Segment<M>): void {
    this.#table.remove(segment);
    this.#pages -= segment.pages;
    this.ctx.emit({ kind: "shm-destroyed", shmid: segment.id, memory: segment.memory });
  }

  /** shmctl(2): IPC_STAT, IPC_SET, IPC_RMID, SHM_LOCK, SHM_UNLOCK; anything else is EINVAL. */
  shmctl(caller: Caller, shmid: number, cmd: number, set?: PermSet): Result<ShmctlValue> {
    if (cmd < 0 || shmid < 0) return fail(EINVAL);
    switch (cmd) {
      case IPC_STAT: {
        const segment = this.#table.find(shmid);
        if (segment === undefined) return fail(EINVAL);
        if (!hasAccess(caller, segment.perm, S_IRUGO)) return fail(EACCES);
        return ok({ kind: "stat", stat: this.#stat(segment) });
      }
      case IPC_SET:
      case IPC_RMID:
      case SHM_LOCK:
      case SHM_UNLOCK:
        return this.#shmctlDown(caller, shmid, cmd, set);
      default:
        return fail(EINVAL);
    }
  }

  /**
   * shmctl_down() and shmctl_do_lock(): the segment (EINVAL), creator or
   * owner (EPERM). IPC_RMID of an attached segment marks it SHM_DEST and
   * hides its key; it goes at the last detach.
   */
  #shmctlDown(caller: Caller, shmid: number, cmd: number, set: PermSet | undefined): Result<ShmctlValue> {
    const segment = this.#table.find(shmid);
    if (segment === undefined) return fail(EINVAL);
    if (!mayControl(caller, segment.perm)) return fail(EPERM);
    switch (cmd) {
      case IPC_RMID:
        if (segment.nattch === 0) this.#destroy(segment);
        else {
          segment.perm.mode |= SHM_DEST;
          this.#table.makePrivate(segment);
        }
        return ok({ kind: "done" });
      case IPC_SET:
        if (set === undefined) return fail(EFAULT);
        if (!isValidId(set.uid) || !isValidId(set.gid)) return fail(EINVAL);
        updatePerm(segment.perm, set);
        segment.ctime = this.ctx.now();
        return ok({ kind: "done" });
      case SHM_LOCK:
        segment.perm.mode |= SHM_LOCKED;
        return ok({ kind: "done" });
      default:
        segment.perm.mode &= ~SHM_LOCKED;
        return ok({ kind: "done" });
    }
  }

  #stat(segment: Segment<M>): ShmidDs {
    return {
      perm: snapshotPerm(segment.perm),
      segsz: segment.size,
      atime: segment.atime,
      dtime: segment.dtime,
      ctime: segment.ctime,
      cpid: segment.cpid,
      lpid: segment.lpid,
      nattch: segment.nattch,
    };
  }

  /** exit_shm(): a process that exits detaches everything it attached. */
  exitProcess(pid: number): void {
    for (const [attachment, found] of [...this.#attachments]) if (found.pid === pid) this.#detach(attachment, found);
  }

  /** For invariant checks: each segment's attach count against the attachments recorded. */
  *inspect(): IterableIterator<{
    id: number;
    nattch: number;
    attachments: number;
    destroying: boolean;
  }> {
    for (const segment of this.#table.values()) {
      let attachments = 0;
      for (const a of this.#attachments.values()) if (a.shmid === segment.id) attachments++;
      yield {
        id: segment.id,
        nattch: segment.nattch,
        attachments,
        destroying: (segment.perm.mode & SHM_DEST) !== 0,
      };
    }
  }
}
