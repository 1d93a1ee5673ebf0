import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { TimeoutError } from "@adlkit/core";
import { type RunningEmulator, startEmulator } from "@adlkit/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  downloadStatePath,
  type FsClient,
  partialPath,
  ThrottledError,
  uploadStatePath,
} from "../src/index.js";
import { admin, bytes, setupFor, type TestContext } from "./helpers.js";

// Faults are global to an emulator, so this file runs its own.
const MiB = 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));
let emulator: RunningEmulator;
let dir: string;
let t: TestContext;
let client: FsClient;

interface JournalEntry {
  method: string;
  op?: string;
  status: number;
  fault?: string;
  path: string;
}

async function setFaults(rules: unknown[]): Promise<void> {
  await admin(emulator.connection, emulator.caPem, "PUT", "faults", rules);
}
async function journal(filter: (e: JournalEntry) => boolean): Promise<JournalEntry[]> {
  const { entries } = (await admin(emulator.connection, emulator.caPem, "GET", "journal")) as {
    entries: JournalEntry[];
  };
  return entries.filter(filter);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fs-client-faults-"));
  emulator = await startEmulator({
    port: 0,
    dataDir: path.join(dir, "emulator"),
    config: { accounts: ["faults"] },
  });
  t = setupFor(emulator.connection, emulator.caPem, "faults", "faults");
  client = t.makeClient({ chunkSize: MiB, blockSize: 256 * 1024, concurrency: 4 });
});
afterEach(async () => {
  await admin(emulator.connection, emulator.caPem, "DELETE", "faults");
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("retries", () => {
  it("an upload rides out 503s with Retry-After on APPEND and 429s on CREATE", async () => {
    const data = bytes(6 * MiB + 3, 21);
    const local = path.join(dir, "retry-up.bin");
    await writeFile(local, data);
    await admin(emulator.connection, emulator.caPem, "DELETE", "journal");
    await setFaults([
      { area: "fs", op: "APPEND", status: 503, retryAfterSeconds: 1, everyNth: 3, times: 5 },
      { area: "fs", op: "CREATE", status: 429, everyNth: 2, times: 2 },
    ]);
    await client.put(local, `${t.root}/retry-up.bin`);
    expect((await client.cat(`${t.root}/retry-up.bin`)).equals(data)).toBe(true);
    const faulted = await journal((e) => Boolean(e.fault));
    // The journal records the op only once a handler runs; a faulted POST here is an APPEND, a faulted PUT a CREATE.
    expect(faulted.filter((e) => e.method === "POST" && e.status === 503)).toHaveLength(5);
    expect(faulted.filter((e) => e.method === "PUT" && e.status === 429)).toHaveLength(2);
  });

  it("default 4 MiB blocks from pooled buffers survive connections cut mid-body and lost answers", async () => {
    // Default blockSize: each segment worker reuses one pooled 4 MiB buffer, sent as 1 MiB pieces per attempt.
    const big = t.makeClient({ chunkSize: 8 * MiB, concurrency: 2 });
    try {
      const data = bytes(17 * MiB + 5, 23);
      const local = path.join(dir, "pieces-up.bin");
      await writeFile(local, data);
      await admin(emulator.connection, emulator.caPem, "DELETE", "journal");
      await setFaults([
        {
          area: "fs",
          method: "POST",
          action: "reset-request",
          afterBytes: 1536 * 1024,
          everyNth: 2,
          times: 3,
        },
        { area: "fs", method: "PUT", action: "reset-request", afterBytes: 3 * MiB, times: 1 },
        { area: "fs", method: "POST", action: "lose-response", everyNth: 3, times: 2 },
      ]);
      await big.put(local, `${t.root}/pieces-up.bin`);
      expect((await client.cat(`${t.root}/pieces-up.bin`)).equals(data)).toBe(true);
      expect((await journal((e) => Boolean(e.fault))).length).toBeGreaterThanOrEqual(4);
    } finally {
      await big.close();
    }
  });

  it("a download rides out 503s on OPEN and 429s on GETFILESTATUS", async () => {
    const data = bytes(4 * MiB + 1, 22);
    await client.writeFile(`${t.root}/retry-down.bin`, data);
    await setFaults([
      { area: "fs", op: "OPEN", status: 503, everyNth: 2, times: 3 },
      { area: "fs", op: "GETFILESTATUS", status: 429, retryAfterSeconds: 1, times: 1 },
    ]);
    const local = path.join(dir, "retry-down.bin");
    await client.get(`${t.root}/retry-down.bin`, local);
    expect((await readFile(local)).equals(data)).toBe(true);
  });

  it("a whole-file read stream is one OPEN (no status first), continued after its body is cut, every byte once", async () => {
    const data = bytes(3 * MiB + 17, 24);
    await client.writeFile(`${t.root}/stream-cut.bin`, data);
    await admin(emulator.connection, emulator.caPem, "DELETE", "journal");
    await setFaults([{ area: "fs", op: "OPEN", action: "reset-response", afterBytes: MiB + 3, times: 1 }]);
    const parts: Buffer[] = [];
    for await (const chunk of client.createReadStream(`${t.root}/stream-cut.bin`))
      parts.push(chunk as Buffer);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
    const requests = await journal((e) => e.path.endsWith("stream-cut.bin"));
    expect(requests.filter((e) => e.op === "GETFILESTATUS")).toHaveLength(0);
    expect(requests.filter((e) => e.op === "OPEN" || e.fault).length).toBeGreaterThanOrEqual(2);
    // A range still starts from the file's status (its end is checked against the length).
    const range: Buffer[] = [];
    for await (const chunk of client.createReadStream(`${t.root}/stream-cut.bin`, { start: 5, end: 9 }))
      range.push(chunk as Buffer);
    expect(Buffer.concat(range)).toEqual(data.subarray(5, 10));
  });

  it("gives up with a ThrottledError once the retry budget is spent", async () => {
    await client.writeFile(`${t.root}/throttled`, "x");
    await setFaults([{ area: "fs", op: "GETFILESTATUS", status: 429 }]);
    const strict = t.makeClient({ retry: { limit: 1, baseDelayInMs: 1 } });
    await expect(strict.stat(`${t.root}/throttled`)).rejects.toBeInstanceOf(ThrottledError);
    await strict.close();
  });

  it("the watchdog stops a transfer that makes no progress, keeping what it did for a resume", async () => {
    const data = bytes(2 * MiB, 23);
    await client.writeFile(`${t.root}/stall.bin`, data);
    const stalling = t.makeClient({ chunkSize: MiB, stallTimeoutInMs: 300 });
    await setFaults([{ area: "fs", op: "OPEN", latencyMs: 5000 }]);
    const local = path.join(dir, "stall.bin");
    await expect(stalling.get(`${t.root}/stall.bin`, local)).rejects.toBeInstanceOf(TimeoutError);
    expect(existsSync(local)).toBe(false);
    expect(existsSync(downloadStatePath(local))).toBe(true);
    await admin(emulator.connection, emulator.caPem, "DELETE", "faults");
    await stalling.get(`${t.root}/stall.bin`, local);
    expect((await readFile(local)).equals(data)).toBe(true);
    await stalling.close();
  });
});

describe("resume after the process is killed", () => {
  beforeAll(() => {
    // The child runs the built package.
    execFileSync(
      path.resolve(here, "../../../node_modules/.bin/tsc"),
      ["-p", path.resolve(here, "../tsconfig.build.json")],
      { stdio: "inherit" },
    );
  });

  async function killMidway(
    mode: "put" | "get",
    local: string,
    remote: string,
    stateFile: string,
  ): Promise<void> {
    const child = spawn(process.execPath, [path.join(here, "fixtures/transfer-child.mjs")], {
      env: {
        ...process.env,
        ADLKIT_CHILD: JSON.stringify({
          connectionFile: emulator.connectionFile,
          account: "faults",
          mode,
          local,
          remote,
          clientOptions: { chunkSize: MiB, blockSize: 64 * 1024, concurrency: 2 },
        }),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    // Kill once the state file says three chunks are done: a crash mid-transfer, whatever the machine's speed.
    for (;;) {
      if (exited) throw new Error("the child finished before it could be killed");
      const completed = existsSync(stateFile)
        ? ((JSON.parse(readFileSync(stateFile, "utf8") || "{}").completed as number[] | undefined) ?? [])
        : [];
      if (completed.length >= 3) break;
      await sleep(10);
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => (exited ? resolve(undefined) : child.on("exit", resolve)));
  }

  it("an upload killed mid-way resumes from its state file and verified segments", async () => {
    const data = bytes(12 * MiB + 77, 31);
    const local = path.join(dir, "killed-up.bin");
    await writeFile(local, data);
    await setFaults([{ area: "fs", op: "APPEND", latencyMs: 40 }]);
    await killMidway("put", local, `${t.root}/killed/up.bin`, uploadStatePath(local));
    await admin(emulator.connection, emulator.caPem, "DELETE", "faults");
    expect(await client.exists(`${t.root}/killed/up.bin`)).toBe(false);

    const result = await client.put(local, `${t.root}/killed/up.bin`);
    expect(result.kind === "file" && result.resumedBytes).toBeGreaterThanOrEqual(3 * MiB);
    const stored = await client.cat(`${t.root}/killed/up.bin`);
    expect(createHash("sha256").update(stored).digest("hex")).toBe(
      createHash("sha256").update(data).digest("hex"),
    );
    const names = [];
    for await (const entry of client.list(`${t.root}/killed`)) names.push(entry.pathSuffix);
    expect(names).toEqual(["up.bin"]);
  });

  it("a download killed mid-way resumes from its state file and partial file", async () => {
    const data = bytes(12 * MiB + 5, 32);
    await client.writeFile(`${t.root}/killed/down.bin`, data);
    const local = path.join(dir, "killed-down.bin");
    await setFaults([{ area: "fs", op: "OPEN", latencyMs: 300 }]);
    await killMidway("get", local, `${t.root}/killed/down.bin`, downloadStatePath(local));
    await admin(emulator.connection, emulator.caPem, "DELETE", "faults");
    expect(existsSync(local)).toBe(false);
    expect(existsSync(partialPath(local))).toBe(true);

    const result = await client.get(`${t.root}/killed/down.bin`, local);
    expect(result.kind === "file" && result.resumedBytes).toBeGreaterThanOrEqual(3 * MiB);
    expect((await readFile(local)).equals(data)).toBe(true);
    expect(existsSync(partialPath(local)) || existsSync(downloadStatePath(local))).toBe(false);
  });
});
