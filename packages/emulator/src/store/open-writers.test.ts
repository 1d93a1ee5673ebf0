import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { BlobStore } from "./blob-store.js";

// Descriptors are counted in /proc/self/fd (Linux, where the emulator's direct I/O matters).
const canCount = existsSync("/proc/self/fd");
/** Descriptors of this process open on `file`. */
function descriptorsOn(file: string): string[] {
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(file);
    } catch {
      return false; // closed meanwhile (the readdir's own descriptor)
    }
  });
}

async function* body(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

let dir: string;
let blobs: BlobStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "adl-writers-"));
  blobs = new BlobStore(dir, { writerIdleMs: 200 });
});
afterEach(async () => {
  await blobs.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(canCount)("writers kept open between writes (keepOpen)", () => {
  test("consecutive writes reuse the same descriptors, and removing the blob closes them", async () => {
    const id = blobs.newId();
    const file = path.join(dir, id);
    await blobs.write(id, body("first "), 0, { create: true, limit: 100, keepOpen: true });
    const open = descriptorsOn(file);
    expect(open.length).toBeGreaterThan(0);
    await blobs.write(id, body("second "), 6, { create: false, limit: 100, keepOpen: true });
    await blobs.write(id, body("third"), 13, { create: false, limit: 100, keepOpen: true });
    expect(descriptorsOn(file)).toEqual(open);
    expect(readFileSync(file, "utf8")).toBe("first second third");
    await blobs.remove([id]);
    expect(descriptorsOn(file)).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });

  test("a write without keepOpen (the file's last APPEND) closes the writer it reused", async () => {
    const id = blobs.newId();
    const file = path.join(dir, id);
    await blobs.write(id, body("a"), 0, { create: true, limit: 10, keepOpen: true });
    await blobs.write(id, body("b"), 1, { create: false, limit: 10 });
    expect(descriptorsOn(file)).toEqual([]);
    expect(readFileSync(file, "utf8")).toBe("ab");
  });

  test("an idle writer is closed after its idle time, and close() closes the rest", async () => {
    const idle = blobs.newId();
    await blobs.write(idle, body("x"), 0, { create: true, limit: 10, keepOpen: true });
    expect(descriptorsOn(path.join(dir, idle)).length).toBeGreaterThan(0);
    await sleep(400);
    expect(descriptorsOn(path.join(dir, idle))).toEqual([]);

    const kept = blobs.newId();
    await blobs.write(kept, body("y"), 0, { create: true, limit: 10, keepOpen: true });
    await blobs.close();
    expect(descriptorsOn(path.join(dir, kept))).toEqual([]);
    // After close(), writes still work; nothing more is kept open.
    await blobs.write(kept, body("z"), 1, { create: false, limit: 10, keepOpen: true });
    expect(descriptorsOn(path.join(dir, kept))).toEqual([]);
  });

  test("a blob removed while a request writes into it: the writer is closed, not kept", async () => {
    const id = blobs.newId();
    const file = path.join(dir, id);
    await blobs.write(id, body("a"), 0, { create: true, limit: 10, keepOpen: true });
    const source = new PassThrough();
    const writing = blobs.write(id, source, 1, { create: false, limit: 10, keepOpen: true });
    source.write("b");
    await sleep(20);
    await blobs.remove([id]); // a DELETE that does not wait for the APPEND's lock
    source.end();
    await writing;
    expect(descriptorsOn(file)).toEqual([]);
  });

  test("a write that fails does not keep its writer", async () => {
    const id = blobs.newId();
    const file = path.join(dir, id);
    await blobs.write(id, body("a"), 0, { create: true, limit: 10, keepOpen: true });
    const source = new PassThrough();
    source.write("b");
    source.once("resume", () => setImmediate(() => source.destroy(new Error("connection reset"))));
    await expect(blobs.write(id, source, 1, { create: false, limit: 10, keepOpen: true })).rejects.toThrow(
      /connection reset/,
    );
    expect(descriptorsOn(file)).toEqual([]);
  });
});
