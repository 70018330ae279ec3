/**
 * File contents in 4 KiB pages, allocated on first write. A page that was
 * never written reads as zeros, so a file may be sparse. Every page counts
 * against one pool shared by the whole file system: its capacity is what
 * makes writes fail with ENOSPC.
 *
 * Invariant: no page lies wholly at or beyond `size`, and the bytes of the
 * last page past `size` are zero, so growing a file always exposes zeros.
 */
export const PAGE_SIZE = 4096;

/** What a page never written reads as; handed out, never written to. */
const ZEROS = new Uint8Array(PAGE_SIZE);

/** Takes a piece of a file's bytes, `at` bytes from where the read began; it must not keep or change it. */
export type PieceSink = (piece: Uint8Array, at: number) => void;

/**
 * Takes `length` bytes of a file's `page` from `within`, `at` bytes from
 * where the transfer began: a piece without a view made for it.
 */
export type SpanSink = (page: Uint8Array, within: number, length: number, at: number) => void;

/** Fills all of `piece` (of the file's page) with the bytes `at` bytes from where the write began; it must not keep it. */
export type PieceSource = (piece: Uint8Array, at: number) => void;

/**
 * Where pages come from: JavaScript arrays by default, or the frames of a
 * server's own mapped cache. A page it gives is all zeros; the pool, not
 * the store, bounds how many are in use.
 */
export interface PageStore {
  allocate(): Uint8Array;
  /** Takes back a page `allocate` gave; it may give it out again. */
  free(page: Uint8Array): void;
}

export const ARRAY_PAGES: PageStore = {
  allocate: () => new Uint8Array(PAGE_SIZE),
  free() {},
};

/** The pages a file system may hold. */
export class PagePool {
  #used = 0;

  constructor(
    readonly capacity: number,
    readonly store: PageStore = ARRAY_PAGES,
  ) {}

  get used(): number {
    return this.#used;
  }

  get free(): number {
    return this.capacity - this.#used;
  }

  /** Takes `n` pages; false (and nothing taken) when fewer are free. */
  take(n: number): boolean {
    if (n > this.free) return false;
    this.#used += n;
    return true;
  }

  give(n: number): void {
    this.#used -= n;
  }
}

export class PageCache {
  readonly #pages = new Map<number, Uint8Array>();
  #size = 0;

  constructor(readonly pool: PagePool) {}

  get size(): number {
    return this.#size;
  }

  /** Pages holding data (a sparse file has fewer than its size suggests). */
  get pageCount(): number {
    return this.#pages.size;
  }

  /** Copies bytes from `offset` into `dest`, up to the end of the file; returns how many. */
  read(offset: number, dest: Uint8Array): number {
    const n = Math.max(0, Math.min(dest.length, this.#size - offset));
    let done = 0;
    while (done < n) {
      const at = offset + done;
      const index = Math.floor(at / PAGE_SIZE);
      const within = at - index * PAGE_SIZE;
      const len = Math.min(PAGE_SIZE - within, n - done);
      const page = this.#pages.get(index);
      if (page) dest.set(page.subarray(within, within + len), done);
      else dest.fill(0, done, done + len);
      done += len;
    }
    return n;
  }

  /**
   * Hands the bytes from `offset` on, up to `length` and the end of the
   * file, to `sink` piece by piece, without copying them (one copy in all
   * when the sink copies); returns how many.
   */
  readPieces(offset: number, length: number, sink: PieceSink): number {
    const n = Math.max(0, Math.min(length, this.#size - offset));
    let done = 0;
    while (done < n) {
      const at = offset + done;
      const index = Math.floor(at / PAGE_SIZE);
      const within = at - index * PAGE_SIZE;
      const len = Math.min(PAGE_SIZE - within, n - done);
      sink((this.#pages.get(index) ?? ZEROS).subarray(within, within + len), done);
      done += len;
    }
    return n;
  }

  /** readPieces by spans: a page never written is handed as a page of zeros, not to be written. */
  readSpans(offset: number, length: number, sink: SpanSink): number {
    const n = Math.max(0, Math.min(length, this.#size - offset));
    let done = 0;
    while (done < n) {
      const at = offset + done;
      const index = Math.floor(at / PAGE_SIZE);
      const within = at - index * PAGE_SIZE;
      const len = Math.min(PAGE_SIZE - within, n - done);
      sink(this.#pages.get(index) ?? ZEROS, within, len, done);
      done += len;
    }
    return n;
  }

  /**
   * Hands the spans under `[offset, offset + length)` to `sink`, to be
   * overwritten in place, when that range lies within the file and has every
   * page (a write there allocates and resizes nothing); false otherwise,
   * having called nothing.
   */
  overwriteSpans(offset: number, length: number, sink: SpanSink): boolean {
    if (offset + length > this.#size || this.pagesNeeded(offset, length) !== 0) return false;
    this.readSpans(offset, length, sink);
    return true;
  }

  /** Pages a write of `length` bytes at `offset` would have to allocate. */
  pagesNeeded(offset: number, length: number): number {
    if (length === 0) return 0;
    let n = 0;
    const last = Math.floor((offset + length - 1) / PAGE_SIZE);
    for (let i = Math.floor(offset / PAGE_SIZE); i <= last; i++) if (!this.#pages.has(i)) n++;
    return n;
  }

  /** Writes all of `src` at `offset`, or nothing when the pool lacks pages (false). */
  write(offset: number, src: Uint8Array): boolean {
    return this.writePieces(offset, src.length, (piece, at) => piece.set(src.subarray(at, at + piece.length)));
  }

  /**
   * Writes `length` bytes at `offset` that `source` puts straight into the
   * file's pages piece by piece, or nothing when the pool lacks pages (false).
   */
  writePieces(offset: number, length: number, source: PieceSource): boolean {
    if (!this.pool.take(this.pagesNeeded(offset, length))) return false;
    let done = 0;
    while (done < length) {
      const at = offset + done;
      const index = Math.floor(at / PAGE_SIZE);
      const within = at - index * PAGE_SIZE;
      const len = Math.min(PAGE_SIZE - within, length - done);
      let page = this.#pages.get(index);
      if (!page) this.#pages.set(index, (page = this.pool.store.allocate()));
      source(page.subarray(within, within + len), done);
      done += len;
    }
    this.#size = Math.max(this.#size, offset + length);
    return true;
  }

  /** Sets the size: shrinking frees whole pages past it and zeroes the rest of the last. */
  resize(size: number): void {
    if (size < this.#size) {
      const keep = Math.ceil(size / PAGE_SIZE);
      for (const index of [...this.#pages.keys()]) {
        if (index >= keep) {
          this.pool.store.free(this.#pages.get(index)!);
          this.#pages.delete(index);
          this.pool.give(1);
        }
      }
      const tail = size % PAGE_SIZE;
      if (tail !== 0) this.#pages.get(keep - 1)?.fill(0, tail);
    }
    this.#size = size;
  }

  /** Frees every page (the file is gone). */
  release(): void {
    for (const page of this.#pages.values()) this.pool.store.free(page);
    this.pool.give(this.#pages.size);
    this.#pages.clear();
    this.#size = 0;
  }
}
