import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { readFixture } from "@adlkit/testkit";
import { DataLakeServiceClient } from "@azure/storage-file-datalake";
import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
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
