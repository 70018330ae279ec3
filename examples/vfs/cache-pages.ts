/**
 * The server's page cache in its own memory: one FILE_CACHE memory object
 * (never paged out) as large as the file system's capacity, mapped once.
 * Each page is pinned on first use and handed out as a view over its frame,
 * so the file system works on it as on any array, while the kernel can copy
 * between a file's pages and a client's lease at their addresses in the
 * server: one copy, one call for a run of consecutive pages.
 *
 * Fresh pages are handed out in address order, so a file written in order
 * lies in one run. Should a page not pin (memory short), an array stands in
 * for it; such a page has no address and its transfers are staged.
 */
import { PAGE_SIZE, type PageStore } from "./fs/index.js";
import type { Sys } from "../../emulator/program/program.js";

const MEM_FILE_CACHE = 0x2;
const PROT_READ_WRITE = 3;

export class CachePages implements PageStore {
  /** Server address of each pinned page (the view the store gave). */
  readonly #addresses = new WeakMap<Uint8Array, number>();
  readonly #free: Uint8Array[] = [];
  #next = 0;

  private constructor(
    readonly sys: Sys,
    readonly base: number,
    readonly pages: number,
  ) {}

  /** Maps a cache of `capacity` bytes (whole pages); null when the kernel refuses it. */
  static async create(sys: Sys, capacity: number): Promise<CachePages | null> {
    const pages = Math.floor(capacity / PAGE_SIZE);
    if (pages === 0) return null;
    const object = await sys.kernel.memCreate(pages * PAGE_SIZE, MEM_FILE_CACHE);
    if (object < 0) return null;
    const base = await sys.kernel.memMap(object, 0, 0, pages * PAGE_SIZE, PROT_READ_WRITE);
    await sys.kernel.descClose(object);
    return base < 0 ? null : new CachePages(sys, base, pages);
  }

  allocate(): Uint8Array {
    const reused = this.#free.pop();
    if (reused) return reused.fill(0);
    if (this.#next < this.pages) {
      const address = this.base + this.#next++ * PAGE_SIZE;
      const page = this.sys.pinPage(address);
      if (page) {
        this.#addresses.set(page, address);
        return page;
      }
    }
    return new Uint8Array(PAGE_SIZE);
  }

  free(page: Uint8Array): void {
    if (this.#addresses.has(page)) this.#free.push(page);
  }

  /** The server address of a page the store gave (the whole view), or -1 when it is no cache page. */
  addressOf(page: Uint8Array): number {
    return this.#addresses.get(page) ?? -1;
  }
}
