import { randomUUID } from "node:crypto";
import {
  DataLakeServiceClient,
  FileSystemSASPermissions,
  generateDataLakeSASQueryParameters,
} from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gen2FsClient, RecursiveAclResult } from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";

/**
 * The server-side recursive ACL change (setAccessControlRecursive) over a tree of a few hundred paths, paged by
 * the service, with a caller who owns most of the tree but not all of it: a user delegation SAS whose `suoid`
 * makes the service check ACLs (and ownership) as that object id, as it does for a bearer caller who is not a
 * super-user.
 */
let t: Gen2Context;
let fs: Gen2FsClient;
let asOther: Gen2FsClient;
const other = randomUUID();
const reader = "11111111-2222-3333-4444-555555555555";
const DIRS = 12;
const FILES = 24;
// The root, its directories and their files.
const TREE = 1 + DIRS + DIRS * FILES;

beforeAll(async () => {
  t = await setupGen2("g2racl");
  fs = t.client;
  const sdk = new DataLakeServiceClient(t.endpoint, t.credential);
  const now = Date.now();
  const key = await sdk.getUserDelegationKey(new Date(now - 60_000), new Date(now + 3600_000));
  const sas = generateDataLakeSASQueryParameters(
    {
      fileSystemName: t.filesystem,
      permissions: FileSystemSASPermissions.parse("racwdlmeop"),
      startsOn: new Date(now - 60_000),
      expiresOn: new Date(now + 3600_000),
      agentObjectId: other,
    },
    key,
    t.account,
  ).toString();
  asOther = t.makeClient({ credential: { sas } });
  // The tree is made by `other` (so it owns it), below a directory given to it.
  // `other` needs to pass through the root.
  await fs.setPermission("/", "751");
  await fs.mkdir("/tree", { permission: "755" });
  await fs.setOwner("/tree", { owner: other });
  for (let d = 0; d < DIRS; d++) {
    await asOther.mkdir(`/tree/d${d}`);
    await Promise.all(
      Array.from({ length: FILES }, (_, f) => asOther.create(`/tree/d${d}/f${String(f).padStart(2, "0")}`)),
    );
  }
});
afterAll(async () => {
  await asOther?.close();
  await fs?.close();
});

describe("recursive ACL changes on the service, in batches", () => {
  it("pages a tree of a few hundred paths (each batch a request with a continuation)", async () => {
    const seen: number[] = [];
    const result = await asOther.modifyAclRecursive("/tree", `user:${reader}:r-x`, {
      batchSize: 50,
      onProgress: (p) => seen.push(p.directoriesSuccessful + p.filesSuccessful),
    });
    expect(result).toEqual({
      directoriesSuccessful: 1 + DIRS,
      filesSuccessful: DIRS * FILES,
      failureCount: 0,
      failedEntries: [],
    });
    expect(seen).toHaveLength(Math.ceil(TREE / 50));
    expect(seen.at(-1)).toBe(TREE);
    expect((await fs.getAclStatus("/tree/d11/f23")).entries).toContain(`user:${reader}:r-x`);
  });

  it("counts the items the caller may not change and goes on past them with continueOnFailure", async () => {
    // Two items in the tree that `other` does not own.
    await fs.setOwner("/tree/d3", { owner: reader });
    await fs.setOwner("/tree/d7/f05", { owner: reader });
    const progress: RecursiveAclResult[] = [];
    const all = await asOther.removeAclRecursive("/tree", `user:${reader}`, {
      batchSize: 40,
      continueOnFailure: true,
      onProgress: (p) => progress.push(p),
    });
    expect(all).toMatchObject({
      directoriesSuccessful: DIRS,
      filesSuccessful: DIRS * FILES - 1,
      failureCount: 2,
    });
    expect(all.continuation).toBeUndefined();
    expect(all.failedEntries.map((e) => [e.name, e.type])).toEqual([
      ["tree/d3", "DIRECTORY"],
      ["tree/d7/f05", "FILE"],
    ]);
    expect(all.failedEntries[0]?.errorMessage).toMatch(/not authorized/);
    expect(progress.length).toBeGreaterThan(1);
    // The items it could change are changed, the others left as they were.
    expect((await fs.getAclStatus("/tree/d11/f23")).entries.join()).not.toContain(reader);
    expect((await fs.getAclStatus("/tree/d3")).entries).toContain(`user:${reader}:r-x`);

    // Without continueOnFailure the service stops at the first one, and no continuation is offered.
    const stopped = await asOther.modifyAclRecursive("/tree", `user:${reader}:r--`, { batchSize: 40 });
    expect(stopped.failureCount).toBe(1);
    expect(stopped.failedEntries.map((e) => e.name)).toEqual(["tree/d3"]);
    expect(stopped.continuation).toBeUndefined();
    expect(stopped.directoriesSuccessful + stopped.filesSuccessful).toBeLessThan(TREE - 2);
  });

  it("range-checks batchSize and maxBatches before any request", async () => {
    for (const bad of [{ batchSize: 0 }, { batchSize: 2001 }, { batchSize: 1.5 }, { maxBatches: 0 }])
      await expect(fs.setAclRecursive("/tree", "user::rwx,group::r-x,other::---", bad)).rejects.toMatchObject(
        {
          code: "INVALID_ARGUMENT",
        },
      );
  });
});
