import { DataLakeServiceClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gen2FsClient, PathExistsError, PathNotFoundError } from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";

let t: Gen2Context;
let fs: Gen2FsClient;

beforeAll(async () => {
  t = await setupGen2("g2fss");
  fs = t.client;
});
afterAll(async () => {
  await fs?.close();
});

async function names(client: Gen2FsClient, prefix?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const f of client.listFilesystems({ prefix })) out.push(f.name);
  return out;
}

describe("the filesystems of a storage account", () => {
  it("creates, lists (by prefix, page by page) and deletes filesystems; the SDK sees the same", async () => {
    const made = ["lst-a", "lst-b", "lst-c", "lst-d", "lst-e"];
    for (const name of made) {
      const client = t.makeClient({ filesystem: name });
      await client.createFilesystem();
      await expect(client.createFilesystem()).rejects.toBeInstanceOf(PathExistsError);
      await client.close();
    }
    expect(await names(fs, "lst-")).toEqual(made);
    expect((await names(fs)).sort()).toEqual([...made, t.filesystem].sort());
    const pages: string[][] = [];
    const tokens: Array<string | undefined> = [];
    for await (const page of fs.listFilesystems({ prefix: "lst-" }).byPage({ maxPageSize: 2 })) {
      pages.push(page.map((f) => f.name));
      tokens.push(page.continuationToken);
    }
    expect(pages).toEqual([["lst-a", "lst-b"], ["lst-c", "lst-d"], ["lst-e"]]);
    expect(tokens.at(-1)).toBeUndefined();
    const resumed = fs.listFilesystems({ prefix: "lst-" }).byPage({ continuationToken: tokens[0] });
    expect((await resumed.next()).value.map((f: { name: string }) => f.name)).toEqual([
      "lst-c",
      "lst-d",
      "lst-e",
    ]);
    const [first] = (await fs.listFilesystems({ prefix: "lst-a" }).byPage().next()).value;
    expect(first?.lastModified).toBeGreaterThan(Date.now() - 3600_000);
    expect(first?.etag).toBeTruthy();

    const sdk = new DataLakeServiceClient(t.endpoint, t.credential);
    const theirs: string[] = [];
    for await (const f of sdk.listFileSystems({ prefix: "lst-" })) theirs.push(f.name);
    expect(theirs).toEqual(made);

    const gone = t.makeClient({ filesystem: "lst-c" });
    await gone.deleteFilesystem();
    await expect(gone.deleteFilesystem()).rejects.toBeInstanceOf(PathNotFoundError);
    await gone.close();
    expect(await names(fs, "lst-")).toEqual(["lst-a", "lst-b", "lst-d", "lst-e"]);
  });

  it("a client of a filesystem that does not exist lists its account's; a missing account is not found", async () => {
    const elsewhere = t.makeClient({ filesystem: "not-there" });
    try {
      expect(await names(elsewhere, "lst-a")).toEqual(["lst-a"]);
    } finally {
      await elsewhere.close();
    }
    const noAccount = t.makeClient({ accountName: "nosuchacct1234", filesystem: "x-y-z" });
    try {
      const err = await names(noAccount).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PathNotFoundError);
      expect(err).toMatchObject({ status: 404, operation: "listFilesystems" });
      // Also on the Blob endpoint, whose XML message is unescaped.
      const blob = await noAccount.setExpiry("/f", "NeverExpire").catch((e: unknown) => e);
      expect(blob).toMatchObject({ status: 404, exception: "ResourceNotFound" });
      expect(String((blob as Error).message)).toMatch(/The storage account 'nosuchacct1234' does not exist/);
    } finally {
      await noAccount.close();
    }
  });
});
