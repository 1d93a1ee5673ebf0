import diagnostics from "node:diagnostics_channel";
import tls from "node:tls";
import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileStatusPage } from "../src/index.js";
import { setup } from "./helpers.js";

const t = setup("list");
const ENTRIES = 20_000;
const PAGE = 1000;
const dir = `${t.root}/big`;

/** Counts LISTSTATUS requests as they leave the client. */
let listRequests = 0;
const agent = new Agent({ connect: { ca: [...tls.rootCertificates, t.fixture.caPem] }, connections: 32 });
const counting: Dispatcher = agent.compose((dispatch) => (opts, handler) => {
  if (String(opts.path).includes("op=LISTSTATUS")) listRequests++;
  return dispatch(opts, handler);
});
/**
 * Counts LISTSTATUS requests of `dir` whose head undici has written to a socket (`undici:client:sendHeaders`), not
 * those merely queued.
 */
function countWrittenListRequests(): { readonly count: number; stop(): void } {
  let count = 0;
  const onHeaders = (message: unknown) => {
    const { path } = (message as { request: { path: string } }).request;
    if (path.includes("op=LISTSTATUS") && path.includes("/big?")) count++;
  };
  diagnostics.subscribe("undici:client:sendHeaders", onHeaders);
  return {
    get count() {
      return count;
    },
    stop: () => diagnostics.unsubscribe("undici:client:sendHeaders", onHeaders),
  };
}

const client = t.makeClient({ dispatcher: counting, listPageSize: PAGE, concurrency: 32 });
const name = (i: number) => `e${String(i).padStart(5, "0")}`;

beforeAll(async () => {
  // 20,000 entries, created 32 at a time.
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < ENTRIES) {
        const i = next++;
        await client.mkdirs(`${dir}/${name(i)}`);
      }
    }),
  );
}, 600_000);
afterAll(async () => {
  await client.rm(t.root, { recursive: true, force: true });
  await client.close();
});

describe("listing a directory of 20,000 entries", () => {
  it("iterates every entry in order while fetching at most one page ahead", async () => {
    listRequests = 0;
    let count = 0;
    let previous = "";
    for await (const entry of client.list(dir)) {
      expect(entry.pathSuffix > previous).toBe(true);
      previous = entry.pathSuffix;
      count++;
      // The next page is requested while the current one is consumed: never more than one page ahead.
      expect(listRequests).toBeGreaterThanOrEqual(Math.ceil(count / PAGE));
      expect(listRequests).toBeLessThanOrEqual(Math.ceil(count / PAGE) + 1);
    }
    expect(count).toBe(ENTRIES);
    expect(previous).toBe(name(ENTRIES - 1));
  });

  it("byPage yields pages of at most maxPageSize and continues from a token", async () => {
    const sizes: number[] = [];
    let third: string | undefined;
    for await (const page of client.list(dir).byPage({ maxPageSize: 3000 })) {
      sizes.push(page.length);
      if (sizes.length === 3) third = page.continuationToken;
    }
    expect(sizes.every((s) => s <= 3000)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(ENTRIES);
    expect(third).toBe(name(8999));
    const resumed = await client.list(dir).byPage({ continuationToken: third, maxPageSize: 10 }).next();
    expect((resumed.value as FileStatusPage).map((e) => e.pathSuffix)).toEqual(
      Array.from({ length: 10 }, (_, i) => name(9000 + i)),
    );
  });

  it("answers next() calls made before earlier ones resolved with distinct entries, in order", async () => {
    const iterator = client.list(dir);
    const results = await Promise.all(Array.from({ length: 2500 }, () => iterator.next()));
    expect(results.map((r) => (r.value as { pathSuffix: string }).pathSuffix)).toEqual(
      Array.from({ length: 2500 }, (_, i) => name(i)),
    );
    // Not in core-paging's type, but there: a listing read by hand can be ended early.
    await (iterator as AsyncIterableIterator<unknown>).return?.(undefined);
  });

  it("has the next page's request on the wire before it hands out the current page", async () => {
    const written = countWrittenListRequests();
    try {
      const seen: Array<[number, number]> = [];
      for await (const page of client.list(dir).byPage({ maxPageSize: 3000 }))
        seen.push([page.length, written.count]);
      // Page k (from 1) is handed out once k + 1 requests are written (its own and the next); the last with its own.
      expect(seen).toEqual([
        [3000, 2],
        [3000, 3],
        [3000, 4],
        [3000, 5],
        [3000, 6],
        [3000, 7],
        [2000, 7],
      ]);
    } finally {
      written.stop();
    }
  });

  it("has the next page's request on the wire before it hands out a page that arrived whole meanwhile", async () => {
    // A consumer slower than the server: each page has arrived whole before the consumer asks for it, so the request
    // for the page after it is made only then, and must still leave before the page is handed out.
    const written = countWrittenListRequests();
    try {
      const seen: number[] = [];
      for await (const _page of client.list(dir).byPage({ maxPageSize: 6000 })) {
        seen.push(written.count);
        // Long enough for the next page to arrive whole (it was requested as this one's token arrived).
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(seen).toEqual([2, 3, 4, 4]);
    } finally {
      written.stop();
    }
  });

  it("stops sending requests when the consumer stops early", async () => {
    listRequests = 0;
    let count = 0;
    for await (const _ of client.list(dir)) if (++count === 1500) break;
    // Pages 1 and 2, and page 3 prefetched while page 2 was consumed; nothing after the stop.
    expect(listRequests).toBe(3);
  });
});
