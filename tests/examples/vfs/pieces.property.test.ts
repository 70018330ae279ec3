import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Errno, FileSystem, OpenFiles, OpenFlags, PAGE_SIZE } from "../../../examples/vfs/fs/index.js";

const { READ, WRITE, CREATE, APPEND } = OpenFlags;

/** Two files with the same writes, one through copies and one through pieces. */
function twins(capacityPages = 16) {
  const fs = new FileSystem({ capacity: capacityPages * PAGE_SIZE });
  const files = new OpenFiles(fs);
  const a = files.open("/a", READ | WRITE | CREATE);
  const b = files.open("/b", READ | WRITE | CREATE);
  if (!a.ok || !b.ok) throw new Error("open");
  return { fs, files, a: a.value, b: b.value };
}

const write = fc.record({ offset: fc.nat(3 * PAGE_SIZE), bytes: fc.uint8Array({ maxLength: 2 * PAGE_SIZE + 10 }) });

describe("reads and writes by pieces (the server's bulk paths)", () => {
  it("give the same file and the same bytes as pread and pwrite, at every offset and length", () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 6 }), fc.nat(4 * PAGE_SIZE), fc.nat(3 * PAGE_SIZE), (writes, offset, length) => {
        const { files, a, b } = twins();
        for (const w of writes) {
          const copied = files.pwrite(a, w.offset, w.bytes);
          const pieces: number[] = [];
          const put = files.pwritePieces(b, w.offset, w.bytes.length, (piece, at) => {
            expect(piece.length).toBeLessThanOrEqual(PAGE_SIZE);
            pieces.push(at);
            piece.set(w.bytes.subarray(at, at + piece.length));
          });
          expect(put).toEqual(copied);
          expect(pieces.every((at, i) => i === 0 || at > pieces[i - 1]!)).toBe(true);
        }
        const want = new Uint8Array(length);
        const n = files.pread(a, offset, want);
        const got = new Uint8Array(length).fill(0xee);
        const m = files.preadPieces(b, offset, length, (piece, at) => got.set(piece, at));
        expect(m).toEqual(n);
        if (n.ok) {
          expect(got.subarray(0, n.value)).toEqual(want.subarray(0, n.value));
          expect(got.subarray(n.value).every((x) => x === 0xee)).toBe(true);
        }
        const [sa, sb] = [files.fstat(a), files.fstat(b)];
        if (!sa.ok || !sb.ok) throw new Error("fstat");
        expect([sb.value.size, sb.value.pages]).toEqual([sa.value.size, sa.value.pages]);
      }),
      { numRuns: 150 },
    );
  });

  it("check the handle and offset as pread and pwrite do, and write nothing without room", () => {
    const { files, a } = twins(2);
    const never = () => {
      throw new Error("no piece expected");
    };
    expect(files.preadPieces(9, 0, 4, never)).toEqual({ ok: false, errno: Errno.EBADF });
    expect(files.pwritePieces(9, 0, 4, never)).toEqual({ ok: false, errno: Errno.EBADF });
    expect(files.preadPieces(a, -1, 4, never)).toEqual({ ok: false, errno: Errno.EINVAL });
    expect(files.pwritePieces(a, 2 ** 53, 4, never)).toEqual({ ok: false, errno: Errno.EINVAL });
    expect(files.pwritePieces(a, 0, 3 * PAGE_SIZE, never)).toEqual({ ok: false, errno: Errno.ENOSPC });
    expect(files.fstat(a)).toMatchObject({ ok: true, value: { size: 0, pages: 0 } });
    const readOnly = files.open("/a", READ);
    if (!readOnly.ok) throw new Error("open");
    expect(files.pwritePieces(readOnly.value, 0, 1, never)).toEqual({ ok: false, errno: Errno.EBADF });
    const append = files.open("/a", WRITE | APPEND);
    if (!append.ok) throw new Error("open");
    files.pwrite(a, 0, new Uint8Array([1, 2, 3]));
    expect(files.pwritePieces(append.value, 0, 2, (piece) => piece.set([8, 9]))).toEqual({ ok: true, value: 2 });
    const back = new Uint8Array(5);
    files.pread(a, 0, back);
    expect([...back]).toEqual([1, 2, 3, 8, 9]);
  });
});
