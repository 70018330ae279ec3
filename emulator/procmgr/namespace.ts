/**
 * The process manager's namespace: registered names and the objects behind
 * them. Only the process manager mutates it; each entry remembers the
 * process that registered it, so that its names go when it exits.
 */
import { childrenOf } from "./names.js";

export interface NameEntry {
  readonly name: string;
  /** The manager's own descriptor for the object. */
  readonly ref: number;
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

  /** Removes and returns every name `pid` registered, in name order. */
  removeOwnedBy(pid: number): NameEntry[] {
    const gone = [...this.entries.values()].filter((e) => e.owner === pid).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of gone) this.entries.delete(e.name);
    return gone;
  }

  /**
   * The direct children of `dir`: names (whose type `visible` accepts) and
   * subdirectories (ending in `/`) holding at least one visible name.
   */
  list(dir: string, visible: (type: string) => boolean): string[] {
    const shown = [...this.entries.values()].filter((e) => visible(e.type)).map((e) => e.name);
    return childrenOf(dir, shown);
  }
}
