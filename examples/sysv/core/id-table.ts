/**
 * One id table per kind of object (Linux's struct ipc_ids, ipc/util.c):
 * slots allocated cyclically, and an id that is `seq * IPCMNI + slot`, so a
 * removed object's id does not name the object that reuses its slot. A
 * stale or unknown id finds nothing (the callers answer EINVAL, as
 * ipc_obtain_object_check does).
 */
import { IPCMNI, IPC_CREAT, IPC_EXCL, IPC_PRIVATE } from "./constants.js";
import { EACCES, EEXIST, ENOENT, ENOSPC } from "./errno.js";
import { hasAccess, type Caller, type PermState } from "./ipc-perm.js";
import { fail, ok, type Result } from "./result.js";

export interface TableEntry {
  readonly id: number;
  readonly perm: PermState;
}

/** The smallest cycle of slot numbers (ipc_min_cycle, RADIX_TREE_MAP_SIZE). */
const MIN_CYCLE = 64;
/** Sequence numbers wrap below INT_MAX >> 15 (ipcid_seq_max). */
const SEQ_MAX = 0x7fffffff >> 15;

export class IdTable<T extends TableEntry> {
  readonly #slots = new Map<number, T>();
  /** Objects with a public key; an object leaves it when removed or made private. */
  readonly #keys = new Map<number, T>();
  #seq = 0;
  #lastSlot = -1;

  /** `limit()`: the most objects at once (MSGMNI, SEMMNI, SHMMNI). */
  constructor(private readonly limit: () => number) {}

  get size(): number {
    return this.#slots.size;
  }

  values(): IterableIterator<T> {
    return this.#slots.values();
  }

  /** The live object `id` names, or undefined (ipc_obtain_object_check). */
  find(id: number): T | undefined {
    if (!Number.isInteger(id) || id < 0) return undefined;
    const entry = this.#slots.get(id % IPCMNI);
    return entry !== undefined && entry.id === id ? entry : undefined;
  }

  /** The object with a public key (ipc_findkey); IPC_PRIVATE is never found. */
  findKey(key: number): T | undefined {
    return key === IPC_PRIVATE ? undefined : this.#keys.get(key);
  }

  /** ipc_addid(): ENOSPC beyond the limit, else a slot and the object `make` builds for its id. */
  add(make: (id: number, seq: number) => T): Result<T> {
    if (this.#slots.size >= Math.min(this.limit(), IPCMNI)) return fail(ENOSPC);
    const slot = this.#nextSlot();
    if (slot <= this.#lastSlot) this.#seq = this.#seq + 1 >= SEQ_MAX ? 0 : this.#seq + 1;
    this.#lastSlot = slot;
    const entry = make(this.#seq * IPCMNI + slot, this.#seq);
    this.#slots.set(slot, entry);
    if (entry.perm.key !== IPC_PRIVATE) this.#keys.set(entry.perm.key, entry);
    return ok(entry);
  }

  remove(entry: T): void {
    this.#slots.delete(entry.id % IPCMNI);
    if (this.#keys.get(entry.perm.key) === entry) this.#keys.delete(entry.perm.key);
  }

  /** Hides the object's key (ipc_set_key_private): it stays reachable by id only. */
  makePrivate(entry: T): void {
    if (this.#keys.get(entry.perm.key) === entry) this.#keys.delete(entry.perm.key);
    entry.perm.key = IPC_PRIVATE;
  }

  /** idr_alloc_cyclic over [0, max(in_use * 3/2, 64)), starting after the last slot given. */
  #nextSlot(): number {
    const end = Math.min(Math.max(Math.floor((this.#slots.size * 3) / 2), MIN_CYCLE), IPCMNI);
    for (let slot = this.#lastSlot + 1; slot < end; slot++) if (!this.#slots.has(slot)) return slot;
    for (let slot = 0; slot < end; slot++) if (!this.#slots.has(slot)) return slot;
    throw new Error("id table: no free slot below the limit");
  }
}

export interface GetHooks<T> {
  /** Builds a new object (newary, newque, newseg): its own checks, then `table.add`. */
  create(): Result<T>;
  /** Checks an existing object against the request (sem_more_checks, shm_more_checks): 0 or an errno. */
  moreChecks(entry: T): number;
}

/**
 * ipcget(): IPC_PRIVATE always creates; a key not found needs IPC_CREAT
 * (ENOENT); a key found with IPC_CREAT|IPC_EXCL is EEXIST; then the
 * object's own checks; then the permission bits of `flags` (EACCES).
 */
export function ipcget<T extends TableEntry>(
  table: IdTable<T>,
  caller: Caller,
  key: number,
  flags: number,
  hooks: GetHooks<T>,
): Result<number> {
  const created = (): Result<number> => {
    const made = hooks.create();
    return made.kind === "ok" ? ok(made.value.id) : made;
  };
  if (key === IPC_PRIVATE) return created();
  const entry = table.findKey(key);
  if (entry === undefined) return flags & IPC_CREAT ? created() : fail(ENOENT);
  if (flags & IPC_CREAT && flags & IPC_EXCL) return fail(EEXIST);
  const more = hooks.moreChecks(entry);
  if (more !== 0) return fail(more);
  if (!hasAccess(caller, entry.perm, flags)) return fail(EACCES);
  return ok(entry.id);
}
