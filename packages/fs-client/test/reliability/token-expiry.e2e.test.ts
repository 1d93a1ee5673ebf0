import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type JournalEntry, type RunningEmulator, startEmulator } from "@adlkit/emulator";
import { findSecrets, knownSecrets } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FsClient } from "../../src/index.js";
import { admin, setupFor, type TestContext } from "../helpers.js";

/**
 * Issue 7: tokens that expire every two seconds during a transfer that lasts many times longer. Every request
 * is slowed down so the transfer outlives several tokens, and every few requests one is held back longer than
 * a token lives, so the token it carries has expired by the time the emulator checks it (zero clock skew):
 * the client must take the 401, fetch a fresh token and send the request again.
 */
const KiB = 1024;
const MiB = 1024 * KiB;
const LIFETIME_SECONDS = 2;

let emulator: RunningEmulator;
let dir: string;
let t: TestContext;
let client: FsClient;
const logLines: string[] = [];
const logAll = (line: string) => logLines.push(line);
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fs-client-token-expiry-"));
  emulator = await startEmulator({
    port: 0,
    dataDir: path.join(dir, "emulator"),
    config: { accounts: ["tokens"] },
  });
  t = setupFor(emulator.connection, emulator.caPem, "tokens", "tokens", {
    // One request at a time, so "every Nth" below is never the retry of the request it delayed.
    concurrency: 1,
    chunkSize: MiB,
    blockSize: 256 * KiB,
    retry: { limit: 4, baseDelayInMs: 20, maxDelayInMs: 1000 },
    logger: { error: logAll, warning: logAll, info: logAll, verbose: logAll },
  });
  client = t.makeClient();
  // Short-lived tokens, set at run time through the admin API (as a test or a developer would).
  const config = (await admin(emulator.connection, emulator.caPem, "PATCH", "config", {
    tokenLifetimeSeconds: LIFETIME_SECONDS,
    clockSkewSeconds: 0,
  })) as { tokenLifetimeSeconds: number; clockSkewSeconds: number };
  expect(config).toMatchObject({ tokenLifetimeSeconds: LIFETIME_SECONDS, clockSkewSeconds: 0 });
});

afterAll(async () => {
  await client?.close();
  await t?.client.close();
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function summary(entries: JournalEntry[]) {
  const tokens = entries.filter((e) => e.op?.startsWith("token-") && e.status === 200);
  const fs = entries.filter((e) => e.account === "tokens");
  const refused = fs.filter((e) => e.status === 401);
  return { tokens: tokens.length, fsRequests: fs.length, refused: refused.length, fs };
}

describe("tokens that expire every two seconds", () => {
  it("an upload and a download that outlive many tokens complete, refreshing after each 401", async () => {
    const data = randomBytes(4 * MiB + 12_345);
    const local = path.join(dir, "long.bin");
    await writeFile(local, data);

    emulator.services.journal.clear();
    emulator.services.faults.set([
      // Held back longer than a token lives: the token has expired when the handler checks it.
      { area: "fs", op: "APPEND", latencyMs: LIFETIME_SECONDS * 1000 + 600, everyNth: 5 },
      { area: "fs", op: "OPEN", latencyMs: LIFETIME_SECONDS * 1000 + 600, everyNth: 2 },
      // Every other request slowed down, so the transfer spans many token lifetimes.
      { area: "fs", latencyMs: 250 },
    ]);
    try {
      await client.put(local, `${t.root}/long.bin`);
      const upload = summary(emulator.services.journal.entries());
      console.log("upload:", JSON.stringify({ ...upload, fs: undefined }));

      emulator.services.journal.clear();
      const copy = path.join(dir, "long-copy.bin");
      await client.get(`${t.root}/long.bin`, copy);
      const download = summary(emulator.services.journal.entries());
      console.log("download:", JSON.stringify({ ...download, fs: undefined }));

      expect(sha256(await readFile(copy))).toBe(sha256(data));

      for (const [name, s] of [
        ["upload", upload],
        ["download", download],
      ] as const) {
        // Several tokens were issued during the transfer, some were refused as expired ...
        expect(s.tokens, name).toBeGreaterThanOrEqual(3);
        expect(s.refused, name).toBeGreaterThanOrEqual(1);
        // ... and each refused request was sent again and answered (the next request to the same path and op).
        for (const [i, e] of s.fs.entries()) {
          if (e.status !== 401) continue;
          const retry = s.fs.slice(i + 1).find((x) => x.path === e.path && x.method === e.method);
          expect(retry?.status, `${name}: retry of ${e.method} ${e.op}`).toBeGreaterThanOrEqual(200);
          expect(retry?.status, `${name}: retry of ${e.method} ${e.op}`).toBeLessThan(300);
        }
      }
    } finally {
      emulator.services.faults.clear();
    }
    expect(sha256(await client.cat(`${t.root}/long.bin`))).toBe(sha256(data));
    // The 401s were logged, without the refused tokens or any secret.
    expect(logLines.some((l) => l.includes("401"))).toBe(true);
    expect(findSecrets(logLines.join("\n"), knownSecrets(emulator.connection))).toEqual([]);
  }, 120_000);

  it("the token endpoint itself fails now and then (503, 429 with Retry-After): the transfer still completes", async () => {
    const data = randomBytes(2 * MiB + 999);
    const local = path.join(dir, "entra-faults.bin");
    await writeFile(local, data);
    emulator.services.journal.clear();
    emulator.services.faults.set([
      { area: "entra", method: "POST", status: 503, everyNth: 3 },
      { area: "entra", method: "POST", status: 429, retryAfterSeconds: 1, everyNth: 5 },
      { area: "fs", latencyMs: 150 },
    ]);
    try {
      await client.put(local, `${t.root}/entra-faults.bin`);
      const copy = path.join(dir, "entra-faults-copy.bin");
      await client.get(`${t.root}/entra-faults.bin`, copy);
      expect(sha256(await readFile(copy))).toBe(sha256(data));
    } finally {
      emulator.services.faults.clear();
    }
    // Token requests are the POSTs outside any account; some were refused and asked again.
    const tokenPosts = emulator.services.journal.entries((e) => e.method === "POST" && !e.account);
    const refused = tokenPosts.filter((e) => e.fault);
    console.log("token endpoint:", JSON.stringify({ requests: tokenPosts.length, refused: refused.length }));
    expect(refused.some((e) => e.status === 503)).toBe(true);
    expect(refused.some((e) => e.status === 429)).toBe(true);
    expect(tokenPosts.length - refused.length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
