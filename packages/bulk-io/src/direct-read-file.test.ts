import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BufferPool } from "./buffer-pool.js";
import { DIRECT_IO_ALIGNMENT, directIoAvailable } from "./direct-io-file.js";
import { DirectReadFile } from "./direct-read-file.js";

const KiB = 1024;
let dir: string;
let file: string;
/** 5 blocks of 64 KiB and a 1,234-byte tail. */
const source = randomBytes(5 * 64 * KiB + 1234);
beforeAll(async () => {
  // Next to the package rather than /tmp, which may be a tmpfs: a real disk wherever the tests run.
  dir = await mkdtemp(path.join(import.meta.dirname, "..", ".direct-read-test-"));
  file = path.join(dir, "source.bin");
  await writeFile(file, source);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Reads [position, position + length) with `read`, as an upload would (several calls if short). */
async function readRange(
  file: DirectReadFile,
  buffer: Buffer,
  length: number,
  position: number,
  aligned: boolean,
): Promise<Buffer> {
  let filled = 0;
  while (filled < length) {
    const n = await file.read(
      buffer.subarray(filled),
      length - filled,
      position + filled,
      aligned && filled % DIRECT_IO_ALIGNMENT === 0,
    );
    if (n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

describe("DirectReadFile", () => {
  test("aligned blocks come around the page cache, a short tail through it, every byte as on disk", async () => {
    const block = 64 * KiB;
    const reader = await DirectReadFile.open(file, { direct: true });
    const pool = new BufferPool(block, 2, true);
    const buffer = pool.take();
    const pieces: Buffer[] = [];
    for (let at = 0; at < source.length; at += block) {
      const length = Math.min(block, source.length - at);
      pieces.push(Buffer.from(await readRange(reader, buffer, length, at, pool.isAligned(buffer))));
    }
    expect(Buffer.concat(pieces).equals(source)).toBe(true);
    expect([reader.direct, reader.directReads]).toEqual([directIoAvailable, directIoAvailable ? 5 : 0]);
    await reader.close();
  });

  test("a length that is not a multiple of the alignment is read rounded up, but only `length` bytes count", async () => {
    const reader = await DirectReadFile.open(file, { direct: true, minDirectLength: 1 });
    const pool = new BufferPool(64 * KiB, 1, true);
    const buffer = pool.take();
    const length = 5000;
    expect(await reader.read(buffer, length, 4 * 64 * KiB, true)).toBe(length);
    expect(buffer.subarray(0, length).equals(source.subarray(4 * 64 * KiB, 4 * 64 * KiB + length))).toBe(
      true,
    );
    // At the end of the file the rounded-up read returns what there is: the 1,234-byte tail, then nothing.
    const tail = await reader.read(buffer, 64 * KiB, 5 * 64 * KiB, true);
    expect(tail).toBe(1234);
    expect(buffer.subarray(0, tail).equals(source.subarray(5 * 64 * KiB))).toBe(true);
    expect(await reader.read(buffer, 64 * KiB, 6 * 64 * KiB, true)).toBe(0);
    expect(reader.directReads).toBe(directIoAvailable ? 3 : 0);
    await reader.close();
  });

  test("unaligned positions, buffers without room for the rounded length, and direct: false use the page cache", async () => {
    const pool = new BufferPool(64 * KiB, 1, true);
    const buffer = pool.take();
    const reader = await DirectReadFile.open(file, { direct: true, minDirectLength: 1 });
    expect(await reader.read(buffer, 10_000, 100, true)).toBe(10_000); // unaligned position
    expect(buffer.subarray(0, 10_000).equals(source.subarray(100, 10_100))).toBe(true);
    expect(await reader.read(buffer.subarray(0, 5000), 5000, 0, true)).toBe(5000); // no room for 8 KiB
    expect(reader.directReads).toBe(0);
    await reader.close();
    const buffered = await DirectReadFile.open(file, { direct: false });
    expect((await readRange(buffered, buffer, 64 * KiB, 0, true)).equals(source.subarray(0, 64 * KiB))).toBe(
      true,
    );
    expect([buffered.direct, buffered.directReads]).toEqual([false, 0]);
    await buffered.close();
  });

  test("a direct read the kernel refuses (EINVAL) is redone through the page cache, and direct I/O stops", async () => {
    if (!directIoAvailable) return;
    const reader = await DirectReadFile.open(file, { direct: true, minDirectLength: 1 });
    // A malloc'd Buffer claimed to be aligned: O_DIRECT refuses its address with EINVAL.
    const unaligned = Buffer.alloc(8 * KiB + 1).subarray(1);
    expect(await reader.read(unaligned, 8 * KiB, 0, true)).toBe(8 * KiB);
    expect(unaligned.equals(source.subarray(0, 8 * KiB))).toBe(true);
    expect([reader.direct, reader.directReads]).toEqual([false, 0]);
    await reader.close();
  });
});
