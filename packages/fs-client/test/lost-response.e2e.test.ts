import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { NetworkError } from "@adlkit/core";
import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, bytes, setup } from "./helpers.js";

const MiB = 1024 * 1024;
const t = setup("lost");

/**
 * A dispatcher that lets chosen requests reach the server (which commits them) and then loses the response,
 * as a dropped connection would: the client sees a network error for a change that did happen.
 */
function lossyDispatcher(drop: (opts: Dispatcher.DispatchOptions) => boolean): {
  dispatcher: Dispatcher;
  dropped: () => number;
} {
  let dropped = 0;
  const agent = new Agent({ connect: { ca: [...tls.rootCertificates, t.fixture.caPem] }, connections: 32 });
  const dispatcher = agent.compose((dispatch) => (opts, handler) => {
    if (!drop(opts)) return dispatch(opts, handler);
    return dispatch(opts, {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onResponseStart: (controller) => {
        dropped++;
        controller.abort(
          Object.assign(new Error("simulated: the response was lost after the server committed"), {
            code: "ECONNRESET",
          }),
        );
      },
      onResponseData: () => {},
      onResponseEnd: () => {},
      onResponseError: (controller, err) => handler.onResponseError?.(controller, err),
    });
  });
  return { dispatcher, dropped: () => dropped };
}

/** Every attempt of one call carries the same `x-ms-client-request-id`: the first one is the first seen. */
const seenRequestIds = new Set<string>();
function isFirstAttempt(opts: Dispatcher.DispatchOptions): boolean {
  const headers = opts.headers as Record<string, string> | undefined;
  const id = String(headers?.["x-ms-client-request-id"] ?? "");
  if (seenRequestIds.has(id)) return false;
  seenRequestIds.add(id);
  return true;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fs-client-lost-"));
  await t.client.mkdir(t.root);
});
afterAll(async () => {
  await t.client.rm(t.root, { recursive: true, force: true });
  await t.client.close();
  await rm(dir, { recursive: true, force: true });
});

async function appendsTo(file: string): Promise<Array<{ status: number }>> {
  const { entries } = (await admin(t.fixture.connection, t.fixture.caPem, "GET", "journal")) as {
    entries: Array<{ path: string; op?: string; status: number }>;
  };
  return entries.filter((e) => e.op === "APPEND" && decodeURIComponent(e.path).endsWith(file));
}

describe("appends whose response is lost", () => {
  it("an APPEND with an offset that landed is recognised by the file's length, not sent twice", async () => {
    const file = `${t.root}/one.bin`;
    let seen = 0;
    const lossy = lossyDispatcher((opts) => String(opts.path).includes("op=APPEND") && ++seen === 1);
    const client = t.makeClient({ dispatcher: lossy.dispatcher });
    const { leaseId } = await client.create(file, { syncFlag: "DATA" });
    await client.append(file, Buffer.from("hello"), { offset: 0, syncFlag: "CLOSE", leaseId });
    expect(lossy.dropped()).toBe(1);
    expect((await t.client.cat(file)).toString()).toBe("hello");
    // The first attempt landed; the retry met BadOffsetException (400) and was resolved by the length.
    expect((await appendsTo(file)).map((e) => e.status)).toEqual([200, 400]);
    await client.close();
  });

  it("an APPEND without an offset is not retried once it may have landed, so data is never duplicated", async () => {
    const file = `${t.root}/no-offset.bin`;
    await t.client.writeFile(file, "a");
    let seen = 0;
    const lossy = lossyDispatcher((opts) => String(opts.path).includes("op=APPEND") && ++seen === 1);
    const client = t.makeClient({ dispatcher: lossy.dispatcher });
    await expect(client.append(file, Buffer.from("b"))).rejects.toBeInstanceOf(NetworkError);
    expect((await t.client.cat(file)).toString()).toBe("ab");
    await client.close();
  });

  it("a parallel upload losing every fourth APPEND response is still byte-identical", async () => {
    const data = bytes(8 * MiB + 9, 41);
    const local = path.join(dir, "lossy.bin");
    await writeFile(local, data);
    let seen = 0;
    // First attempts only: counting retries too, one APPEND could be lost on every attempt (the four workers
    // back off and wake together) and legitimately run out of retries, which is not what this test is about.
    const lossy = lossyDispatcher(
      (opts) => String(opts.path).includes("op=APPEND") && isFirstAttempt(opts) && ++seen % 4 === 0,
    );
    const client = t.makeClient({
      dispatcher: lossy.dispatcher,
      chunkSize: MiB,
      blockSize: 128 * 1024,
      concurrency: 4,
    });
    await client.put(local, `${t.root}/lossy.bin`);
    expect(lossy.dropped()).toBeGreaterThan(10);
    expect((await t.client.cat(`${t.root}/lossy.bin`)).equals(data)).toBe(true);
    await client.close();
  });
});
