import { randomBytes } from "node:crypto";
import { type FileHandle, mkdtemp, open, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileBody, LocalFileShrankError, readerOf } from "./file-body.js";

const PIECE = 64 * 1024;
let dir: string;
let file: string;
let handle: FileHandle;
const content = randomBytes(5 * PIECE + 777);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "adlkit-file-body-"));
  file = path.join(dir, "source.bin");
  await writeFile(file, content);
  handle = await open(file, "r");
});
afterAll(async () => {
  await handle.close();
  await rm(dir, { recursive: true, force: true });
});

const pair = () => [Buffer.alloc(PIECE), Buffer.alloc(PIECE)] as const;

/** Collects the pieces the way undici uses them: each one copied out before the next is asked for. */
async function drain(pieces: AsyncIterable<Buffer>): Promise<{ bytes: Buffer; sizes: number[] }> {
  const parts: Buffer[] = [];
  for await (const piece of pieces) parts.push(Buffer.from(piece));
  return { bytes: Buffer.concat(parts), sizes: parts.map((p) => p.byteLength) };
}

describe("fileBody", () => {
  it("yields exactly the range, in pieces the size of the buffers, from two buffers taking turns", async () => {
    const buffers = pair();
    for (const [position, length] of [
      [0, content.byteLength],
      [PIECE - 3, 2 * PIECE + 10],
      [100, 5],
      [content.byteLength - PIECE, PIECE],
    ] as const) {
      const body = fileBody(readerOf(handle), position, length, buffers);
      expect(body.byteLength).toBe(length);
      const { bytes, sizes } = await drain(body.pieces());
      expect(bytes.equals(content.subarray(position, position + length))).toBe(true);
      expect(sizes.slice(0, -1).every((size) => size === PIECE)).toBe(true);
    }
    const seen = new Set<ArrayBufferLike>();
    for await (const piece of fileBody(readerOf(handle), 0, 4 * PIECE, buffers).pieces())
      seen.add(piece.buffer);
    expect(seen).toEqual(new Set([buffers[0].buffer, buffers[1].buffer]));
  });

  it("each pieces() starts over (one per attempt) and retires the one before, which reads no further", async () => {
    const body = fileBody(readerOf(handle), 0, content.byteLength, pair());
    const abandoned = body.pieces()[Symbol.asyncIterator]();
    const firstPiece = Buffer.from((await abandoned.next()).value as Buffer);
    expect(firstPiece.equals(content.subarray(0, PIECE))).toBe(true);
    const retry = await drain(body.pieces());
    expect(retry.bytes.equals(content)).toBe(true);
    // The abandoned attempt may hand out the piece it had already read, then stops.
    const rest: IteratorResult<Buffer>[] = [];
    for (let r = await abandoned.next(); !r.done; r = await abandoned.next()) rest.push(r);
    expect(rest.length).toBeLessThanOrEqual(1);
  });

  it("settled() waits for the read an abandoned attempt left running, so the buffers can be handed on", async () => {
    for (let round = 0; round < 5; round++) {
      const buffers = pair();
      const body = fileBody(readerOf(handle), 0, content.byteLength, buffers);
      const attempt = body.pieces()[Symbol.asyncIterator]();
      await attempt.next(); // the first piece is out; the second is being read into the other buffer
      await attempt.return?.(undefined); // the request failed: nobody asks for more
      await body.settled();
      for (const buffer of buffers) buffer.fill(0xee);
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(buffers.every((buffer) => buffer.every((byte) => byte === 0xee))).toBe(true);
    }
  });

  it("a file that got shorter fails with LocalFileShrankError, naming the byte", async () => {
    const shrinking = path.join(dir, "shrinking.bin");
    await writeFile(shrinking, content);
    const h = await open(shrinking, "r");
    try {
      const body = fileBody(readerOf(h), 0, content.byteLength, pair());
      await truncate(shrinking, 2 * PIECE);
      await expect(drain(body.pieces())).rejects.toThrow(LocalFileShrankError);
      await expect(drain(body.pieces())).rejects.toThrow(`at byte ${2 * PIECE}`);
    } finally {
      await h.close();
    }
  });
});
