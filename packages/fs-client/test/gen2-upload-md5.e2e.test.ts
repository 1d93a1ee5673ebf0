import { createHash } from "node:crypto";
import { readdirSync, readlinkSync } from "node:fs";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { readFixture } from "@adlkit/testkit";
import { DataLakeServiceClient } from "@azure/storage-file-datalake";
import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DIGEST_WORKER_MIN_SIZE, liveDigestWorkers } from "../src/gen2/file-digests.js";
import type { Gen2FsClient } from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";
import { bytes } from "./helpers.js";

const MiB = 1024 * 1024;
let t: Gen2Context;
let local: string;
let sdk: DataLakeServiceClient;
const clients: Gen2FsClient[] = [];

beforeAll(async () => {
  t = await setupGen2("g2md5");
  local = await mkdtemp(path.join(tmpdir(), "adlkit-gen2-md5-"));
  sdk = new DataLakeServiceClient(t.endpoint, t.credential);
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await t?.client.close();
  if (local) await rm(local, { recursive: true, force: true });
});

const md5 = (data: Buffer) => createHash("md5").update(data).digest("base64");

/** A client with small chunks and blocks, so that a few MiB are several chunks of several appends each. */
function client(options: Parameters<Gen2Context["makeClient"]>[0] = {}): Gen2FsClient {
  const c = t.makeClient({ chunkSize: MiB, blockSize: 512 * 1024, concurrency: 3, ...options });
  clients.push(c);
  return c;
}

async function storedMd5(remote: string): Promise<string | undefined> {
  const props = await sdk.getFileSystemClient(t.filesystem).getFileClient(remote.slice(1)).getProperties();
  return props.contentMD5 ? Buffer.from(props.contentMD5).toString("base64") : undefined;
}

/**
 * A dispatcher on the emulator's CA that flips one byte of the first append body it sends (bytes damaged on the
 * way, after the client read them): below our HTTP layer, like a fault on the wire.
 */
function corruptingDispatcher(): Dispatcher {
  const { caPem } = readFixture(inject("emulatorConnectionFile"));
  let done = false;
  const damage = (piece: Uint8Array): Uint8Array => {
    if (done || piece.byteLength < 2) return piece;
    done = true;
    const copy = Buffer.from(piece);
    const at = copy.byteLength >> 1;
    copy[at] = (copy[at] ?? 0) ^ 0xff;
    return copy;
  };
  return new Agent({ connect: { ca: caPem } }).compose((dispatch) => (opts, handler) => {
    const body = opts.body as unknown;
    const isAppend = opts.method === "PATCH" && String(opts.path).includes("action=append");
    if (!isAppend || !body || typeof body !== "object" || !(Symbol.asyncIterator in body))
      return dispatch(opts, handler);
    async function* damaged() {
      for await (const piece of body as AsyncIterable<Uint8Array>) yield damage(piece);
    }
    return dispatch({ ...opts, body: damaged() as unknown as Dispatcher.DispatchOptions["body"] }, handler);
  });
}

describe("Gen2 put: what is hashed (md5)", () => {
  it('stores the whole file\'s MD5 by default, and none with md5: "none"', async () => {
    const data = bytes(3 * MiB + 4321, 71);
    const source = path.join(local, "file.bin");
    await writeFile(source, data);
    await client().put(source, "/md5/default.bin");
    expect(await storedMd5("/md5/default.bin")).toBe(md5(data));
    await client({ md5: "file+appends" }).put(source, "/md5/both.bin");
    expect(await storedMd5("/md5/both.bin")).toBe(md5(data));
    await client({ md5: "none" }).put(source, "/md5/none.bin");
    expect(await storedMd5("/md5/none.bin")).toBeUndefined();
    expect((await client().cat("/md5/none.bin")).equals(data)).toBe(true);
  });

  it('with md5: "file+appends" the service refuses a body damaged on the way, and nothing is published', async () => {
    const data = bytes(2 * MiB + 99, 72);
    const source = path.join(local, "damaged.bin");
    await writeFile(source, data);
    const guarded = client({ md5: "file+appends", dispatcher: corruptingDispatcher() });
    await expect(guarded.put(source, "/md5/damaged.bin", { resume: false })).rejects.toThrow(/md5/i);
    expect(await client().exists("/md5/damaged.bin")).toBe(false);
    // Without the per-append MD5 the same damage goes unnoticed by the service: the stored bytes then differ
    // from the stored whole-file MD5, which is what a later reader checks.
    const unguarded = client({ dispatcher: corruptingDispatcher() });
    await unguarded.put(source, "/md5/unnoticed.bin", { resume: false });
    const stored = await client().cat("/md5/unnoticed.bin");
    expect(stored.equals(data)).toBe(false);
    expect(await storedMd5("/md5/unnoticed.bin")).toBe(md5(data));
    expect(md5(stored)).not.toBe(md5(data));
  });

  it("refuses an unknown md5 mode before any request", () => {
    expect(() => client({ md5: "sha1" as never })).toThrow(/md5.*"file", "file\+appends", "none"/);
  });
});

/** Threads of this process and its open descriptors of `file` (Linux): an upload must leave none of its own. */
function threadsAndDescriptors(file: string): { threads: number; files: number } {
  const open = readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false; // closed meanwhile
    }
  });
  return { threads: readdirSync("/proc/self/task").length, files: open.length };
}

describe.runIf(process.platform === "linux")(
  "Gen2 put of a large file: the MD5 computed in a worker thread",
  () => {
    const size = DIGEST_WORKER_MIN_SIZE + 3 * MiB + 17;
    let data: Buffer;
    let source: string;
    beforeAll(async () => {
      data = bytes(size, 73);
      source = path.join(local, "large.bin");
      await writeFile(source, data);
    });

    /** A client with chunks and blocks that make a large file many appends in parallel. */
    const large = (options: Parameters<Gen2Context["makeClient"]>[0] = {}) =>
      client({ chunkSize: 8 * MiB, blockSize: 4 * MiB, concurrency: 4, ...options });

    it("stores the whole file's MD5 (and checks a SHA-256 read back) and leaves no thread or descriptor", async () => {
      const before = threadsAndDescriptors(source);
      let workers = 0;
      const result = await large().put(source, "/md5/large.bin", {
        checksum: "sha256",
        onProgress: () => {
          workers = Math.max(workers, liveDigestWorkers());
        },
      });
      expect(workers).toBe(1); // the hashing ran off the event loop
      expect(liveDigestWorkers()).toBe(0);
      expect(result).toMatchObject({ sha256: createHash("sha256").update(data).digest("hex") });
      expect(await storedMd5("/md5/large.bin")).toBe(md5(data));
      const after = threadsAndDescriptors(source);
      expect(after.threads).toBeLessThanOrEqual(before.threads);
      expect(after.files).toBe(0);
    });

    it('with md5: "file+appends" a body damaged on the way is still refused by the service', async () => {
      const guarded = large({ md5: "file+appends", dispatcher: corruptingDispatcher() });
      await expect(guarded.put(source, "/md5/large-damaged.bin", { resume: false })).rejects.toThrow(/md5/i);
      expect(liveDigestWorkers()).toBe(0);
      expect(await client().exists("/md5/large-damaged.bin")).toBe(false);
    });

    it("an abort mid-upload stops the hashing thread before put() returns", async () => {
      await large().put(source, "/md5/warm.bin"); // the thread pool and the connections exist from here on
      const before = threadsAndDescriptors(source);
      const abort = new AbortController();
      let workers = 0;
      const put = large().put(source, "/md5/aborted.bin", {
        abortSignal: abort.signal,
        onProgress: (p) => {
          workers = Math.max(workers, liveDigestWorkers());
          if (p.bytesTransferred >= 4 * MiB) abort.abort();
        },
      });
      await expect(put).rejects.toMatchObject({ name: "AbortError" });
      expect(workers).toBe(1);
      expect(liveDigestWorkers()).toBe(0);
      const after = threadsAndDescriptors(source);
      expect(after.threads).toBeLessThanOrEqual(before.threads);
      expect(after.files).toBe(0);
      expect(await client().exists("/md5/aborted.bin")).toBe(false);
    });

    it("a source that gets shorter during the upload fails it, naming the byte", async () => {
      const shrinking = path.join(local, "large-shrinking.bin");
      await writeFile(shrinking, data);
      let truncated: Promise<void> | undefined;
      try {
        const failure = await large({ concurrency: 1 })
          .put(shrinking, "/md5/shrinking.bin", {
            resume: false,
            onProgress: () => {
              truncated ??= truncate(shrinking, MiB);
            },
          })
          .then(
            () => undefined,
            (err: unknown) => err,
          );
        expect((failure as Error).message).toMatch(/got shorter while being uploaded \(at byte \d+\)/);
        expect(liveDigestWorkers()).toBe(0);
        expect(await client().exists("/md5/shrinking.bin")).toBe(false);
      } finally {
        await truncated;
      }
    });
  },
);
