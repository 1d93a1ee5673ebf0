import { tmpdir } from "node:os";
import path from "node:path";
import { DataLakeServiceClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copy, type FileStatus, FsError, type Gen2FsClient, PathNotFoundError } from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";
import { setup, type TestContext } from "./helpers.js";

let t: Gen2Context;
let fs: Gen2FsClient;
let g1: TestContext;

beforeAll(async () => {
  t = await setupGen2("g2exp");
  fs = t.client;
  g1 = setup("g2exp");
});
afterAll(async () => {
  await fs?.close();
  await g1?.client.close();
});

const HOUR = 3600_000;

async function listed(path: string): Promise<FileStatus | undefined> {
  const parent = path.slice(0, path.lastIndexOf("/")) || "/";
  for await (const entry of fs.list(parent)) if (entry.path === path) return entry;
  return undefined;
}

describe("Gen2 file expiry (Set Blob Expiry on the Blob endpoint)", () => {
  it("sets an absolute, relative or creation-relative expiry and removes it; listings and the SDK agree", async () => {
    await fs.writeFile("/exp/a.txt", "a");
    const at = Date.now() + 5 * HOUR + 789;
    await fs.setExpiry("/exp/a.txt", "Absolute", at);
    // An HTTP date: whole seconds.
    const whole = Math.floor(at / 1000) * 1000;
    expect(await fs.getExpiry("/exp/a.txt")).toBe(whole);
    expect((await listed("/exp/a.txt"))?.msExpirationTime).toBe(whole);
    const sdk = new DataLakeServiceClient(t.endpoint, t.credential);
    const props = await sdk.getFileSystemClient(t.filesystem).getFileClient("exp/a.txt").getProperties();
    expect(props.expiresOn?.getTime()).toBe(whole);

    const before = Date.now();
    await fs.setExpiry("/exp/a.txt", "RelativeToNow", 2 * HOUR);
    const relative = await fs.getExpiry("/exp/a.txt");
    expect(relative).toBeGreaterThanOrEqual(Math.floor((before + 2 * HOUR) / 1000) * 1000);
    expect(relative).toBeLessThanOrEqual(Date.now() + 2 * HOUR);

    await fs.setExpiry("/exp/a.txt", "RelativeToCreationDate", 3 * HOUR);
    const created = (await listed("/exp/a.txt"))?.creationTime as number;
    expect(created).toBeLessThanOrEqual(before);
    expect(Math.floor(created / 1000) * 1000).toBe((await fs.stat("/exp/a.txt")).creationTime);
    expect(await fs.getExpiry("/exp/a.txt")).toBe(Math.floor((created + 3 * HOUR) / 1000) * 1000);

    await fs.setExpiry("/exp/a.txt", "NeverExpire");
    expect(await fs.getExpiry("/exp/a.txt")).toBe(0);
    expect((await listed("/exp/a.txt"))?.msExpirationTime).toBe(0);
  });

  it("a time already past deletes the file", async () => {
    await fs.writeFile("/exp/gone.txt", "x");
    await fs.setExpiry("/exp/gone.txt", "Absolute", Date.now() - 10_000);
    expect(await fs.exists("/exp/gone.txt")).toBe(false);
  });

  it("works with a Shared Key too (the Blob endpoint is signed as the DFS one)", async () => {
    const keyed = t.makeClient({ credential: { accountName: t.account, accountKey: await t.accountKey() } });
    try {
      await keyed.writeFile("/exp/keyed.txt", "k");
      await keyed.setExpiry("/exp/keyed.txt", "RelativeToNow", HOUR);
      expect(await keyed.getExpiry("/exp/keyed.txt")).toBeGreaterThan(Date.now());
    } finally {
      await keyed.close();
    }
  });

  it("refuses directories, missing files and bad arguments clearly", async () => {
    await fs.mkdir("/exp/dir");
    const onDir = await fs.setExpiry("/exp/dir", "RelativeToNow", HOUR).catch((e: unknown) => e);
    expect(onDir).toBeInstanceOf(FsError);
    expect(onDir).toMatchObject({ status: 400, operation: "setExpiry" });
    const missing = await fs.setExpiry("/exp/nothing", "RelativeToNow", HOUR).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PathNotFoundError);
    // The Blob endpoint answers in XML: its message is kept.
    expect(missing).toMatchObject({ exception: "BlobNotFound" });
    expect(String((missing as Error).message)).toMatch(/The specified blob does not exist/);
    await expect(fs.setExpiry("/exp/a.txt", "RelativeToNow")).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(fs.setExpiry("/exp/a.txt", "Absolute", Date.UTC(10000, 0, 1))).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(
      fs.setExpiry("/exp/a.txt", "Tomorrow" as "Absolute", Date.now() + HOUR),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});

describe("copy() carries expiry from Gen1 to Gen2", () => {
  it("plans it in a dry run (nothing reported as not carried) and sets it, to the second", async () => {
    const gen1 = g1.client;
    const src = `${g1.root}/expiring`;
    await gen1.writeFile(`${src}/e.txt`, "e");
    await gen1.writeFile(`${src}/never.txt`, "n");
    const at = Date.now() + 7 * HOUR + 345;
    await gen1.setExpiry(`${src}/e.txt`, "Absolute", at);
    const stateFile = path.join(tmpdir(), `adlkit-g2exp-${process.pid}.jsonl`);
    const dry = await copy(
      { client: gen1, path: src },
      { client: fs, path: "/copied" },
      { recursive: true, dryRun: true, stateFile },
    );
    expect(dry).toMatchObject({ dryRun: true, files: 2, failed: 0, notCarried: [] });
    const report = await copy(
      { client: gen1, path: src },
      { client: fs, path: "/copied" },
      { recursive: true, stateFile },
    );
    expect(report).toMatchObject({ files: 2, failed: 0, notCarried: [] });
    expect(await fs.getExpiry("/copied/e.txt")).toBe(Math.floor(at / 1000) * 1000);
    expect(await fs.getExpiry("/copied/never.txt")).toBe(0);
    // Back to Gen1: the instant Gen2 holds.
    const back = await copy(
      { client: fs, path: "/copied" },
      { client: gen1, path: `${g1.root}/back` },
      { recursive: true, preserve: ["permissions"], stateFile },
    );
    expect(back).toMatchObject({ files: 2, failed: 0 });
    expect((await gen1.stat(`${g1.root}/back/e.txt`)).msExpirationTime).toBe(Math.floor(at / 1000) * 1000);
  });
});
