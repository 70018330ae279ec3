import { describe, expect, it } from "vitest";
import { Errno, FileSystem, OpenFiles, OpenFlags, PAGE_SIZE, type PageStore, type Result } from "../../../examples/vfs/fs/index.js";

const { READ, WRITE, CREATE, APPEND } = OpenFlags;

/** A store that hands out views of one array and records what is in use. */
function recordingStore(pages: number) {
  const memory = new Uint8Array(pages * PAGE_SIZE);
  const free: Uint8Array[] = [];
  const inUse = new Set<Uint8Array>();
  let next = 0;
  const store: PageStore = {
    allocate() {
      const page = free.pop()?.fill(0) ?? memory.subarray(next * PAGE_SIZE, ++next * PAGE_SIZE);
      inUse.add(page);
      return page;
    },
    free(page) {
      expect(inUse.delete(page)).toBe(true);
      free.push(page);
    },
  };
  return { store, memory, inUse };
}

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`errno ${r.errno}`);
  return r.value;
}

function setup() {
  const recorded = recordingStore(8);
  const fs = new FileSystem({ capacity: 8 * PAGE_SIZE, store: recorded.store });
  const files = new OpenFiles(fs);
  const h = value(files.open("/f", READ | WRITE | CREATE));
  return { ...recorded, fs, files, h };
}

interface Span {
  page: Uint8Array;
  within: number;
  length: number;
  at: number;
}

function spansOf(visit: (sink: (page: Uint8Array, within: number, length: number, at: number) => void) => unknown): { spans: Span[]; result: unknown } {
  const spans: Span[] = [];
  const result = visit((page, within, length, at) => spans.push({ page, within, length, at }));
  return { spans, result };
}

describe("page stores", () => {
  it("takes file pages from the store and gives them back on truncate and unlink", () => {
    const { fs, files, h, inUse, memory } = setup();
    value(files.pwrite(h, 0, new Uint8Array(3 * PAGE_SIZE).fill(7)));
    expect(inUse.size).toBe(3);
    expect(memory.subarray(0, 3 * PAGE_SIZE).every((b) => b === 7)).toBe(true);
    value(files.ftruncate(h, PAGE_SIZE + 1));
    expect(inUse.size).toBe(2);
    value(files.close(h));
    value(fs.unlink("/f"));
    expect(inUse.size).toBe(0);
  });

  it("gives a reused page back as zeros", () => {
    const { files, h } = setup();
    value(files.pwrite(h, 0, new Uint8Array(PAGE_SIZE).fill(9)));
    value(files.ftruncate(h, 0));
    value(files.pwrite(h, PAGE_SIZE - 1, new Uint8Array([1])));
    const back = new Uint8Array(PAGE_SIZE);
    expect(value(files.pread(h, 0, back))).toBe(PAGE_SIZE);
    expect(back.subarray(0, PAGE_SIZE - 1).every((b) => b === 0)).toBe(true);
    expect(back[PAGE_SIZE - 1]).toBe(1);
  });
});

describe("spans", () => {
  it("hands a read's spans over the file's own pages, holes as zeros", () => {
    const { files, h, inUse } = setup();
    value(files.pwrite(h, 2 * PAGE_SIZE, new Uint8Array(10).fill(3)));
    const { spans, result } = spansOf((sink) => files.preadSpans(h, PAGE_SIZE - 5, PAGE_SIZE + 20, sink));
    expect(result).toEqual({ ok: true, value: PAGE_SIZE + 15 });
    expect(spans.map(({ within, length, at }) => [within, length, at])).toEqual([
      [PAGE_SIZE - 5, 5, 0],
      [0, PAGE_SIZE, 5],
      [0, 10, PAGE_SIZE + 5],
    ]);
    expect(inUse.has(spans[2]!.page)).toBe(true);
    expect(inUse.has(spans[1]!.page)).toBe(false);
    expect(spans[1]!.page.every((b) => b === 0)).toBe(true);
  });

  it("overwrites in place only a range that has every page and lies within the file", () => {
    const { files, h, inUse } = setup();
    value(files.pwrite(h, 0, new Uint8Array(2 * PAGE_SIZE)));
    const inside = spansOf((sink) => files.overwriteSpans(h, 100, PAGE_SIZE, sink));
    expect(inside.result).toEqual({ ok: true, value: true });
    expect(inside.spans.map(({ within, length, at }) => [within, length, at])).toEqual([
      [100, PAGE_SIZE - 100, 0],
      [0, 100, PAGE_SIZE - 100],
    ]);
    for (const s of inside.spans) s.page.fill(5, s.within, s.within + s.length);
    const back = new Uint8Array(PAGE_SIZE + 2);
    value(files.pread(h, 99, back));
    expect([back[0], back[1], back[PAGE_SIZE], back[PAGE_SIZE + 1]]).toEqual([0, 5, 5, 0]);

    const pagesBefore = inUse.size;
    const past = spansOf((sink) => files.overwriteSpans(h, PAGE_SIZE, PAGE_SIZE + 1, sink));
    expect(past).toEqual({ spans: [], result: { ok: true, value: false } });
    expect(value(files.fstat(h)).size).toBe(2 * PAGE_SIZE);
    expect(inUse.size).toBe(pagesBefore);
  });

  it("refuses a range with a hole, a read-only handle, and goes to the end with APPEND", () => {
    const { files, h } = setup();
    value(files.pwrite(h, 3 * PAGE_SIZE, new Uint8Array(1)));
    expect(spansOf((sink) => files.overwriteSpans(h, 0, 10, sink))).toEqual({ spans: [], result: { ok: true, value: false } });
    const ro = value(files.open("/f", READ));
    expect(spansOf((sink) => files.overwriteSpans(ro, 3 * PAGE_SIZE, 1, sink)).result).toEqual({ ok: false, errno: Errno.EBADF });
    const append = value(files.open("/f", WRITE | APPEND));
    expect(spansOf((sink) => files.overwriteSpans(append, 3 * PAGE_SIZE, 1, sink)).result).toEqual({ ok: true, value: false });
    expect(spansOf((sink) => files.overwriteSpans(h, 3 * PAGE_SIZE, 1, sink)).spans).toHaveLength(1);
  });
});
