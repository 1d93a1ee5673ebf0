import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { BlobStore, BodyTooLargeError } from "./blob-store.js";

let dir: string;
let blobs: BlobStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "adl-blobs-"));
  blobs = new BlobStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

async function read(ranges: Parameters<BlobStore["openRanges"]>[0]): Promise<string> {
  const collected: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      collected.push(Buffer.from(chunk)); // the reader reuses its buffer: copy
      done();
    },
  });
  await (await blobs.openRanges(ranges)).sendTo(sink);
  return Buffer.concat(collected).toString();
}

describe("BlobStore", () => {
  test("positional writes: bytes past the recorded length are simply overwritten", async () => {
    const id = blobs.newId();
    expect(await blobs.write(id, chunks("hello", " wor"), 0, { create: true, limit: 100 })).toBe(9);
    writeFileSync(path.join(dir, id), "hello worGARBAGE-FROM-A-CRASHED-WRITE");
    expect(await blobs.write(id, chunks("ld"), 9, { create: false, limit: 100 })).toBe(2);
    expect(await read([{ blob: id, start: 0, end: 11 }])).toBe("hello world");
  });

  test("ranges across blobs are sent in order", async () => {
    const a = blobs.newId();
    const b = blobs.newId();
    await blobs.write(a, chunks("0123456789"), 0, { create: true, limit: 100 });
    await blobs.write(b, chunks("abcdefghij"), 0, { create: true, limit: 100 });
    expect(
      await read([
        { blob: a, start: 7, end: 10 },
        { blob: b, start: 0, end: 4 },
      ]),
    ).toBe("789abcd");
  });

  test("a body of several pooled buffers arrives whole, in order, while the stream waits for the disk", async () => {
    const id = blobs.newId();
    const body = Buffer.alloc(5 * 1024 * 1024 + 12_344);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(i, i);
    const source = new PassThrough({ highWaterMark: 16 * 1024 });
    const writing = blobs.write(id, source, 100, { create: true, limit: body.length });
    for (let i = 0; i < body.length; i += 16 * 1024) {
      if (!source.write(body.subarray(i, i + 16 * 1024))) await new Promise((r) => source.once("drain", r));
    }
    source.end();
    expect(await writing).toBe(body.length);
    const back = readFileSync(path.join(dir, id));
    expect(back.subarray(100).equals(body)).toBe(true);
  });

  test("a body over the limit is refused and left readable (the caller drains it), not destroyed", async () => {
    const id = blobs.newId();
    const source = new PassThrough();
    source.write("123456");
    await expect(blobs.write(id, source, 0, { create: true, limit: 5 })).rejects.toThrow(BodyTooLargeError);
    expect(source.destroyed).toBe(false);
    // The store no longer takes the chunks pushed into the body: the rest reaches whoever drains it.
    expect(Object.hasOwn(source, "push")).toBe(false);
    const rest: Buffer[] = [];
    source.on("data", (chunk: Buffer) => rest.push(chunk)).resume();
    source.end("789");
    await new Promise((resolve) => source.once("end", resolve));
    expect(Buffer.concat(rest).toString()).toBe("789");
  });

  test("a body that fails midway rejects with its error", async () => {
    const id = blobs.newId();
    const source = new PassThrough();
    source.write("partial");
    // Once the store reads the body (its file is open by then), the connection goes.
    source.once("resume", () => setImmediate(() => source.destroy(new Error("connection reset"))));
    await expect(blobs.write(id, source, 0, { create: true, limit: 100 })).rejects.toThrow(
      /connection reset/,
    );
  });

  test("large ranges starting and ending off the 4 KiB grid read back byte for byte across blobs", async () => {
    const pattern = (n: number, seed: number) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
      return b;
    };
    const a = blobs.newId();
    const b = blobs.newId();
    const bytesA = pattern(3 * 1024 * 1024 + 777, 1);
    const bytesB = pattern(2 * 1024 * 1024 + 5, 2);
    await blobs.write(a, Readable.from([bytesA]), 0, { create: true, limit: bytesA.length });
    await blobs.write(b, Readable.from([bytesB]), 0, { create: true, limit: bytesB.length });
    const collected: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        collected.push(Buffer.from(chunk));
        done();
      },
    });
    const ranges = [
      { blob: a, start: 1234, end: bytesA.length - 3 },
      { blob: b, start: 4096 * 3 + 1, end: bytesB.length },
    ];
    await (await blobs.openRanges(ranges)).sendTo(sink);
    const expected = Buffer.concat([bytesA.subarray(1234, bytesA.length - 3), bytesB.subarray(4096 * 3 + 1)]);
    expect(Buffer.concat(collected).equals(expected)).toBe(true);
  });

  test("a body over the limit is refused", async () => {
    const id = blobs.newId();
    await expect(blobs.write(id, chunks("12345", "6"), 0, { create: true, limit: 5 })).rejects.toThrow(
      BodyTooLargeError,
    );
  });

  test("blob ids are validated, so no caller can name a file outside the directory", async () => {
    await expect(blobs.write("../escape", new PassThrough(), 0, { create: true, limit: 1 })).rejects.toThrow(
      /invalid blob id/,
    );
    await expect(blobs.openRanges([{ blob: "/etc/passwd", start: 0, end: 1 }])).rejects.toThrow(
      /invalid blob id/,
    );
  });

  test("orphans (blobs no metadata refers to) are swept; other files are left alone", async () => {
    const kept = blobs.newId();
    const orphan = blobs.newId();
    await blobs.write(kept, chunks("k"), 0, { create: true, limit: 10 });
    await blobs.write(orphan, chunks("o"), 0, { create: true, limit: 10 });
    writeFileSync(path.join(dir, "README"), "not a blob");
    expect(blobs.sweepOrphans(new Set([kept]))).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([kept, "README"].sort());
  });
});
