import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BufferPool } from "./buffer-pool.js";
import { DIRECT_IO_ALIGNMENT, DirectIoFile, directIoAvailable } from "./direct-io-file.js";

const KiB = 1024;
let dir: string;
beforeAll(async () => {
  // Next to the package rather than /tmp, which may be a tmpfs: a real disk wherever the tests run.
  dir = await mkdtemp(path.join(import.meta.dirname, "..", ".direct-io-test-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("BufferPool", () => {
  test("aligned pools hand out page-aligned views, reuse given-back buffers, then fall back to plain ones", () => {
    const pool = new BufferPool(64 * KiB, 2, true);
    expect(pool.aligned).toBe(true);
    const a = pool.take();
    const b = pool.take();
    expect([pool.isAligned(a), pool.isAligned(b)]).toEqual([true, true]);
    expect([a.byteLength, b.byteLength, b.byteOffset - a.byteOffset]).toEqual([64 * KiB, 64 * KiB, 64 * KiB]);
    const extra = pool.take(); // past capacity: still works, just not aligned
    expect(pool.isAligned(extra)).toBe(false);
    pool.give(a);
    expect(pool.take()).toBe(a);
  });

  test("sizes that are not a multiple of a page, or unaligned pools, get plain buffers", () => {
    expect(new BufferPool(5000, 4, true).aligned).toBe(false);
    const plain = new BufferPool(64 * KiB, 4, false);
    expect(plain.aligned).toBe(false);
    expect(plain.isAligned(plain.take())).toBe(false);
  });
});

describe("DirectIoFile", () => {
  test("aligned blocks (direct) and an unaligned tail (buffered), written out of order, give the exact bytes", async () => {
    const block = 64 * KiB;
    const size = 5 * block + 1234;
    const source = randomBytes(size);
    const file = path.join(dir, "mixed.bin");
    const target = await DirectIoFile.open(file, "w", { direct: true, minDirectLength: block });
    await target.truncate(size);
    const pool = new BufferPool(block, 6, true);
    const writes: Promise<void>[] = [];
    for (const index of [3, 0, 5, 1, 4, 2]) {
      const buffer = pool.take();
      const length = Math.min(block, size - index * block);
      source.copy(buffer, 0, index * block, index * block + length);
      writes.push(target.write(buffer, length, index * block, pool.isAligned(buffer)));
    }
    await Promise.all(writes);
    // Five whole blocks went around the page cache, the 1,234-byte tail through it.
    expect(target.directWrites).toBe(directIoAvailable ? 5 : 0);
    expect(target.direct).toBe(directIoAvailable);
    await target.sync();
    await target.close();
    expect((await readFile(file)).equals(source)).toBe(true);
  });

  test("many writes at once, the last finishing first: datasync() and close() wait for the queued and running ones", async () => {
    const block = 1024 * KiB;
    const count = 12;
    const tail = 1234;
    const source = randomBytes(count * block + tail);
    const file = path.join(dir, "parallel.bin");
    const target = await DirectIoFile.open(file, "w", { direct: true, parallelWrites: 3 });
    const pool = new BufferPool(block, count, true);
    const writes: Promise<void>[] = [];
    for (let index = 0; index < count; index++) {
      const buffer = pool.take();
      source.copy(buffer, 0, index * block, (index + 1) * block);
      writes.push(target.write(buffer, block, index * block, pool.isAligned(buffer)));
    }
    // The last write is a short one through the page cache: it finishes long before the big ones ahead of it.
    writes.push(target.write(source.subarray(count * block), tail, count * block, false));
    // Nothing awaited: datasync and close must wait for the writes still queued or running (close() that did not
    // would close the descriptors under the queued ones: EBADF).
    await target.datasync();
    await target.close();
    await Promise.all(writes);
    expect(target.directWrites).toBe(directIoAvailable ? count : 0);
    expect((await readFile(file)).equals(source)).toBe(true);
  });

  test("a direct write the kernel refuses (EINVAL) is redone through the page cache, and direct I/O stops", async () => {
    if (!directIoAvailable) return;
    const size = 2 * DIRECT_IO_ALIGNMENT;
    const source = randomBytes(size);
    const file = path.join(dir, "refused.bin");
    const target = await DirectIoFile.open(file, "wx", { direct: true, mode: 0o600, minDirectLength: 1 });
    // A malloc'd Buffer claimed to be aligned: O_DIRECT refuses its address with EINVAL.
    const unaligned = Buffer.concat([Buffer.alloc(1), source]).subarray(1);
    await target.write(unaligned, size, 0, true);
    expect([target.direct, target.directWrites]).toEqual([false, 0]);
    await target.datasync();
    await target.close();
    expect((await readFile(file)).equals(source)).toBe(true);
  });

  test("r+ writes into an existing file (resume) and keeps what is there", async () => {
    const size = 4 * DIRECT_IO_ALIGNMENT;
    const source = randomBytes(size);
    const file = path.join(dir, "resume.bin");
    const pool = new BufferPool(2 * DIRECT_IO_ALIGNMENT, 2, true);
    const first = await DirectIoFile.open(file, "w", { direct: true, minDirectLength: 1 });
    const a = pool.take();
    source.copy(a, 0, 0, 2 * DIRECT_IO_ALIGNMENT);
    await first.write(a, 2 * DIRECT_IO_ALIGNMENT, 0, pool.isAligned(a));
    await first.close();
    const second = await DirectIoFile.open(file, "r+", { direct: true, minDirectLength: 1 });
    const b = pool.take();
    source.copy(b, 0, 2 * DIRECT_IO_ALIGNMENT);
    await second.write(b, 2 * DIRECT_IO_ALIGNMENT, 2 * DIRECT_IO_ALIGNMENT, pool.isAligned(b));
    await second.close();
    expect((await readFile(file)).equals(source)).toBe(true);
  });

  test("a failing write rejects that write only; the queue goes on", async () => {
    const file = path.join(dir, "queue.bin");
    const target = await DirectIoFile.open(file, "w", { direct: false });
    const bad = target.write(Buffer.from("abcd"), 4, 2 ** 50, false); // past the largest file: EFBIG
    const good = target.write(Buffer.from("wxyz"), 4, 4, false);
    await expect(bad).rejects.toThrow();
    await good;
    await target.close();
    expect((await readFile(file)).subarray(4).toString()).toBe("wxyz");
  });

  test("aligned writes shorter than minDirectLength go through the page cache", async () => {
    const file = path.join(dir, "small.bin");
    const pool = new BufferPool(DIRECT_IO_ALIGNMENT, 1, true);
    const buffer = pool.take().fill(7);
    const target = await DirectIoFile.open(file, "w", { direct: true });
    await target.write(buffer, DIRECT_IO_ALIGNMENT, 0, pool.isAligned(buffer));
    expect([target.directWrites, target.direct]).toEqual([0, directIoAvailable]);
    await target.close();
    expect((await readFile(file)).equals(buffer)).toBe(true);
  });

  test('"wx" refuses an existing file', async () => {
    const file = path.join(dir, "exists.bin");
    await (await DirectIoFile.open(file, "w", { direct: false })).close();
    await expect(DirectIoFile.open(file, "wx", { direct: true })).rejects.toMatchObject({ code: "EEXIST" });
  });
});
