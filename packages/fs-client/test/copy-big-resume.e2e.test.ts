import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { copy, type FsClient, type Gen2FsClient } from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";
import { admin, bytes, setup, type TestContext } from "./helpers.js";

const MiB = 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));

let g1: TestContext;
let gen1: FsClient;
let g2: Gen2Context;
let gen2: Gen2FsClient;
let local: string;

beforeAll(async () => {
  g1 = setup("copy-big-resume");
  gen1 = g1.client;
  g2 = await setupGen2("copybig");
  gen2 = g2.client;
  local = await mkdtemp(path.join(tmpdir(), "adlkit-copy-big-"));
});
afterAll(async () => {
  await gen1?.rm(g1.root, { recursive: true, force: true });
  await gen1?.close();
  await gen2?.close();
  if (local) await rm(local, { recursive: true, force: true });
});

/** The last committed length a state file records for a big file part way (0 when none). */
function committedIn(stateFile: string): number {
  const text = existsSync(stateFile) ? readFileSync(stateFile, "utf8") : "";
  let committed = 0;
  for (const m of text.matchAll(/"st":"partial"[^\n]*?"committed":(\d+)/g)) committed = Number(m[1]);
  return committed;
}

describe("copy: a big file killed part way", () => {
  it("continues after the ranges it committed (Gen2), reading none of them again, and verifies the whole", async () => {
    const source = `${g1.root}/big.bin`;
    const data = bytes(16 * MiB + 321, 9);
    await gen1.writeFile(source, data);
    const stateFile = path.join(local, "big.jsonl");
    const options = { concurrency: 2, chunkSize: MiB, blockSize: 32 * 1024, stateFile };
    const child = spawn(process.execPath, [path.join(here, "fixtures/copy-child.mjs")], {
      env: {
        ...process.env,
        ADLKIT_CHILD: JSON.stringify({
          connectionFile: inject("emulatorConnectionFile"),
          gen1Account: "testacct",
          gen2Account: g2.account,
          filesystem: g2.filesystem,
          source,
          destination: "/big.bin",
          options,
        }),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    // Killed once a few ranges are committed and recorded, whatever the machine's speed.
    for (;;) {
      if (exited) throw new Error("the child finished before it could be killed");
      if (committedIn(stateFile) >= 2 * MiB) break;
      await sleep(5);
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => (exited ? resolve(undefined) : child.on("exit", resolve)));
    const committed = committedIn(stateFile);
    expect(committed % MiB).toBe(0);
    expect(committed).toBeLessThan(data.length);

    const since = new Date().toISOString();
    const report = await copy(
      { client: gen1, path: source },
      { client: gen2, path: "/big.bin" },
      {
        ...options,
        resume: true,
      },
    );
    expect(report).toMatchObject({ files: 1, failed: 0, bytes: data.length });
    expect(await gen2.cat("/big.bin")).toEqual(data);
    // Every range after the committed ones was read from the source once; none of those before it.
    const { entries } = (await admin(g1.fixture.connection, g1.fixture.caPem, "GET", "journal")) as {
      entries: Array<{ time: string; path: string; op?: string }>;
    };
    const reads = entries.filter(
      (e) => e.time >= since && e.op === "OPEN" && decodeURIComponent(e.path).endsWith(source),
    );
    expect(reads).toHaveLength(Math.ceil(data.length / MiB) - committed / MiB);
    const names: string[] = [];
    for await (const e of gen2.walk("/")) names.push(e.path);
    expect(names.filter((n) => n.includes(".adlkit-copy."))).toEqual([]);
    expect(existsSync(stateFile)).toBe(false);
  });

  it("an abort keeps what was committed, and resume continues from it", async () => {
    const source = `${g1.root}/aborted.bin`;
    const data = bytes(8 * MiB + 5, 3);
    await gen1.writeFile(source, data);
    const stateFile = path.join(local, "aborted.jsonl");
    const options = { concurrency: 1, chunkSize: MiB, blockSize: 256 * 1024, stateFile };
    const stop = new AbortController();
    await expect(
      copy(
        { client: gen1, path: source },
        { client: gen2, path: "/aborted.bin" },
        {
          ...options,
          abortSignal: stop.signal,
          onProgress: (p) => {
            if (p.bytesTransferred >= 5 * MiB) stop.abort();
          },
        },
      ),
    ).rejects.toThrow();
    const committed = committedIn(stateFile);
    expect(committed).toBeGreaterThanOrEqual(4 * MiB);
    const since = new Date().toISOString();
    const report = await copy(
      { client: gen1, path: source },
      { client: gen2, path: "/aborted.bin" },
      {
        ...options,
        resume: true,
      },
    );
    expect(report).toMatchObject({ files: 1, failed: 0 });
    expect(await gen2.cat("/aborted.bin")).toEqual(data);
    const { entries } = (await admin(g1.fixture.connection, g1.fixture.caPem, "GET", "journal")) as {
      entries: Array<{ time: string; path: string; op?: string }>;
    };
    const reads = entries.filter(
      (e) => e.time >= since && e.op === "OPEN" && decodeURIComponent(e.path).endsWith(source),
    );
    expect(reads).toHaveLength(Math.ceil(data.length / MiB) - committed / MiB);
  });
});
