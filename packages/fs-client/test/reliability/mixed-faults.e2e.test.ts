import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type FaultRule, type RunningEmulator, startEmulator } from "@adlkit/emulator";
import { findSecrets, knownSecrets } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadStatePath, type FsClient, partialPath, uploadStatePath } from "../../src/index.js";
import { setupFor, type TestContext } from "../helpers.js";

/**
 * Issue 7: 50 uploads and downloads of assorted sizes through fs-client while about one request in ten fails in
 * every way the emulator offers. Every file must come back byte-identical, with nothing left behind on either
 * side. The emulator is private to this file because faults are global to an emulator.
 */
const KiB = 1024;
const MiB = 1024 * KiB;
const CHUNK = 1 * MiB;
const BLOCK = 256 * KiB;

/** Sizes from 0 B to tens of MiB, around chunk and block boundaries; about 250 MiB in all. */
const SIZES: number[] = [
  0,
  1,
  2,
  17,
  4095,
  4096,
  BLOCK - 1,
  BLOCK,
  BLOCK + 1,
  CHUNK - 1,
  CHUNK,
  CHUNK + 1,
  2 * CHUNK,
  2 * CHUNK + BLOCK,
  ...Array.from({ length: 14 }, (_, i) => 100 * KiB + i * 211 * KiB + i),
  ...Array.from({ length: 16 }, (_, i) => 3 * MiB + i * 337 * KiB + 7 * i),
  11 * MiB + 3,
  13 * MiB,
  15 * MiB + 5,
  17 * MiB + BLOCK,
  21 * MiB - 1,
  33 * MiB + 77,
];

/** About 10% of filesystem requests fail: each rule fires with its own probability, first match wins. */
const FAULTS: FaultRule[] = [
  { area: "fs", status: 429, retryAfterSeconds: 1, probability: 0.015 },
  { area: "fs", status: 500, probability: 0.02 },
  { area: "fs", status: 503, probability: 0.02 },
  // Cut while the APPEND body arrives: nothing applied.
  { area: "fs", method: "POST", action: "reset-request", afterBytes: 32 * KiB, probability: 0.02 },
  // Cut part-way through an OPEN body: the client has some bytes and must not keep them twice.
  { area: "fs", op: "OPEN", action: "reset-response", afterBytes: 64 * KiB, probability: 0.03 },
  // Applied, answer lost: an APPEND, a CREATE, an MSCONCAT or a DELETE that landed but whose answer never came.
  { area: "fs", method: "POST", action: "lose-response", probability: 0.015 },
  { area: "fs", method: "PUT", action: "lose-response", probability: 0.015 },
  { area: "fs", method: "DELETE", action: "lose-response", probability: 0.05 },
  { area: "fs", latencyMs: 40, probability: 0.025 },
];

interface Entry {
  method: string;
  op?: string;
  status: number;
  fault?: string;
}

let emulator: RunningEmulator;
let dir: string;
let t: TestContext;
let client: FsClient;
/** Everything the client logs, at every level (retries log at info, each request at verbose). */
const logLines: string[] = [];
const logAll = (line: string) => logLines.push(line);

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

beforeAll(async () => {
  dir = await tmpdirFor("fs-client-mixed-faults-");
  emulator = await startEmulator({
    port: 0,
    dataDir: path.join(dir, "emulator"),
    config: { accounts: ["mixed"], faults: [] },
  });
  t = setupFor(emulator.connection, emulator.caPem, "mixed", "mixed", {
    retry: { limit: 8, baseDelayInMs: 20, maxDelayInMs: 1500 },
    chunkSize: CHUNK,
    blockSize: BLOCK,
    concurrency: 4,
    timeoutInMs: 20_000,
    logger: { error: logAll, warning: logAll, info: logAll, verbose: logAll },
  });
  client = t.makeClient();
});

afterAll(async () => {
  emulator?.services.faults.clear();
  await client?.close();
  await t?.client.close();
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function tmpdirFor(prefix: string): Promise<string> {
  const d = path.join(tmpdir(), `${prefix}${randomBytes(4).toString("hex")}`);
  await mkdir(d, { recursive: true });
  return d;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(runners);
}

describe("50 transfers with ~10% of requests failing", () => {
  it("every file goes up and comes back byte-identical, and nothing temporary is left", async () => {
    expect(SIZES).toHaveLength(50);
    const total = SIZES.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(200 * MiB);
    expect(total).toBeLessThan(300 * MiB);

    const up = path.join(dir, "up");
    const down = path.join(dir, "down");
    await mkdir(up);
    await mkdir(down);
    const files = SIZES.map((size, i) => ({
      name: `f${String(i).padStart(2, "0")}-${size}.bin`,
      size,
      hash: "",
    }));
    for (const f of files) {
      const data = randomBytes(f.size);
      f.hash = sha256(data);
      await writeFile(path.join(up, f.name), data);
    }

    emulator.services.journal.clear();
    emulator.services.faults.set(FAULTS);
    try {
      await pool(files, 3, async (f) => {
        const result = await client.put(path.join(up, f.name), `${t.root}/${f.name}`);
        expect(result.kind === "file" && result.bytes).toBe(f.size);
      });
      await pool(files, 3, async (f) => {
        await client.get(`${t.root}/${f.name}`, path.join(down, f.name), { checksum: "sha256" });
      });
    } finally {
      emulator.services.faults.clear();
    }

    // The faults really happened, of every kind, at about the rate asked for.
    const journal = emulator.services.journal.entries() as Entry[];
    const fsEntries = journal.filter((e) => e.op !== undefined);
    const faulted = fsEntries.filter((e) => e.fault);
    const kinds = (re: RegExp) => faulted.filter((e) => re.test(e.fault ?? "")).length;
    const counts = {
      requests: fsEntries.length,
      faulted: faulted.length,
      s429: kinds(/status 429/),
      s500: kinds(/status 500/),
      s503: kinds(/status 503/),
      resetRequest: kinds(/reset-request/),
      resetResponse: kinds(/reset-response/),
      lostResponse: kinds(/lose-response/),
      latency: kinds(/^latency \d+ms$/),
    };
    console.log("mixed faults:", JSON.stringify(counts));
    expect(fsEntries.length).toBeGreaterThan(1000);
    for (const [kind, n] of Object.entries(counts)) expect(n, kind).toBeGreaterThan(0);
    expect(faulted.length / fsEntries.length).toBeGreaterThan(0.05);

    // Byte-identical both ways: the server's copy (read without faults) and the downloaded file.
    for (const f of files) {
      const local = await readFile(path.join(down, f.name));
      expect(local.length, f.name).toBe(f.size);
      expect(sha256(local), f.name).toBe(f.hash);
      const status = await client.getFileStatus(`${t.root}/${f.name}`);
      expect(status.length, f.name).toBe(f.size);
    }
    for (const f of files.filter((x) => x.size <= 4 * MiB)) {
      expect(sha256(await client.cat(`${t.root}/${f.name}`)), f.name).toBe(f.hash);
    }

    // Nothing temporary on the server: the whole account holds exactly the 50 files.
    const remote: string[] = [];
    for await (const entry of client.walk("/")) remote.push(`${entry.path}:${entry.type}`);
    expect(remote.sort()).toEqual(
      [`${t.root}:DIRECTORY`, ...files.map((f) => `${t.root}/${f.name}:FILE`)].sort(),
    );
    // ... and nothing on the client: no state files, no partial downloads.
    for (const f of files) {
      expect(existsSync(uploadStatePath(path.join(up, f.name))), f.name).toBe(false);
      expect(existsSync(downloadStatePath(path.join(down, f.name))), f.name).toBe(false);
      expect(existsSync(partialPath(path.join(down, f.name))), f.name).toBe(false);
    }
    expect((await readdir(down)).sort()).toEqual(files.map((f) => f.name).sort());

    // No secret or token in anything the client logged about all those failures and retries.
    expect(logLines.filter((l) => /retry/i.test(l)).length).toBeGreaterThan(50);
    expect(findSecrets(logLines.join("\n"), knownSecrets(emulator.connection))).toEqual([]);
  }, 240_000);
});

describe("responses cut part-way through a JSON body", () => {
  // The JSON body of a metadata call is read inside the attempt, so a connection cut part-way through it is
  // retried like any other network failure (OPEN bodies are covered by the mixed test above).
  it("a status, a listing and a MKDIRS whose answers are cut are retried", async () => {
    await client.writeFile(`${t.root}-cut/a/b`, "hello");
    try {
      emulator.services.faults.set([
        { area: "fs", op: "GETFILESTATUS", action: "reset-response", afterBytes: 10, times: 1 },
      ]);
      expect((await client.getFileStatus(`${t.root}-cut/a/b`)).length).toBe(5);
      emulator.services.faults.set([
        { area: "fs", op: "LISTSTATUS", action: "reset-response", afterBytes: 10, times: 1 },
      ]);
      expect((await client.listStatus(`${t.root}-cut/a`)).map((s) => s.pathSuffix)).toEqual(["b"]);
      emulator.services.faults.set([
        { area: "fs", op: "MKDIRS", action: "reset-response", afterBytes: 5, times: 1 },
      ]);
      expect(await client.mkdirs(`${t.root}-cut/c`)).toBe(true);
    } finally {
      emulator.services.faults.clear();
      await client.rm(`${t.root}-cut`, { recursive: true, force: true });
    }
  });
});
