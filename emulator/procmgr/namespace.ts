/**
 * The process manager's namespace: registered names and the objects behind
 * them. Only the process manager mutates it; each entry remembers the
 * process that registered it, so that its names go when it exits.
 */
import { childrenOf } from "./names.js";

/** One entry of a directory listing. */
export interface ListEntry {
  /** The last component. */
  readonly name: string;
  readonly directory: boolean;
  /** For an object: whether it is a system object. */
  readonly system: boolean;
}

/** The manager's two references to an object: the owner's (kept, given to the creator) and a send-only one (given on lookup). */
export interface ObjectRefs {
  readonly owner: number;
  readonly send: number;
}

export interface NameEntry {
  readonly name: string;
  readonly refs: ObjectRefs;
  /** The object's security type. */
  readonly type: string;
  readonly system: boolean;
  /** pid of the process that registered it. */
  readonly owner: number;
}

export class Namespace {
  private readonly entries = new Map<string, NameEntry>();

  get size(): number {
    return this.entries.size;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): NameEntry | undefined {
    return this.entries.get(name);
  }

  /** The caller has checked that the name is free (policy decideCreate). */
  add(entry: NameEntry): void {
    if (this.entries.has(entry.name)) throw new Error(`namespace: '${entry.name}' is already registered`);
    this.entries.set(entry.name, entry);
  }

  remove(name: string): NameEntry | undefined {
    const entry = this.entries.get(name);
    this.entries.delete(name);
    return entry;
  }

  countOwnedBy(pid: number): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.owner === pid) n++;
    return n;
  }

  /** Removes and returns every name `pid` registered, in name order. */
  removeOwnedBy(pid: number): NameEntry[] {
    const gone = [...this.entries.values()].filter((e) => e.owner === pid).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of gone) this.entries.delete(e.name);
    return gone;
  }

  /**
   * The direct children of `dir`, sorted: objects whose type `visible`
   * accepts, and subdirectories holding at least one visible name. A name
   * that is both an object and a directory gives two entries.
   */
  list(dir: string, visible: (type: string) => boolean): ListEntry[] {
    const shown = [...this.entries.values()].filter((e) => visible(e.type));
    const base = dir === "/" ? "" : dir;
    return childrenOf(
      dir,
      shown.map((e) => e.name),
    ).map((child) => {
      const directory = child.endsWith("/");
      const name = directory ? child.slice(0, -1) : child;
      return { name, directory, system: !directory && this.entries.get(`${base}/${name}`)!.system };
    });
  }
}
