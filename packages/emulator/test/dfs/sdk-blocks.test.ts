import { createHash, randomBytes } from "node:crypto";
import type { ContainerClient } from "@azure/storage-blob";
import type { DataLakeFileSystemClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, permissionsOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * Uploads through the blob endpoint with `@azure/storage-blob` 12.34.0 (`uploadData` as Put Blob or as Put Block +
 * Put Block List, `stageBlock`, `commitBlockList`, `getBlockList`), read back through the DataLake SDK: the same
 * tree, directories made implicitly, rights and leases checked, uncommitted blocks invisible until committed.
 */
let fx: DfsFixture;
let blobs: ContainerClient;
let lake: DataLakeFileSystemClient;
const id = (n: number) => Buffer.from(`block-${String(n).padStart(6, "0")}`).toString("base64");
const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

beforeAll(async () => {
  fx = await startDfsFixture("blocks");
  blobs = fx.blob().getContainerClient("blk");
  await blobs.create();
  lake = fx.owner.client.getFileSystemClient("blk");
}, 60_000);
afterAll(() => fx?.close());

describe("Put Blob", () => {
  it("uploadData in one Put Blob: directories made implicitly, the file readable through DataLake, mode rw-r-----", async () => {
    const data = Buffer.from("one shot through the blob endpoint");
    await blobs.getBlockBlobClient("made/on/the/way.txt").uploadData(data, {
      blobHTTPHeaders: { blobContentType: "text/plain" },
      metadata: { origin: "blob" },
    });
    expect((await lake.getFileClient("made/on/the/way.txt").readToBuffer()).equals(data)).toBe(true);
    const dir = await lake.getDirectoryClient("made/on").getProperties();
    expect(dir.metadata).toMatchObject({ hdi_isfolder: "true" });
    const file = await lake.getFileClient("made/on/the/way.txt").getProperties();
    expect(file).toMatchObject({ contentType: "text/plain", metadata: { origin: "blob" } });
    const acl = await lake.getFileClient("made/on/the/way.txt").getAccessControl();
    expect(acl.owner).toBe(fx.owner.objectId);
    expect(acl.permissions).toMatchObject({ owner: { read: true, write: true }, other: { read: false } });
  });

  it("overwrite keeps owner and ACL; If-None-Match * is 409; a directory is 409; AppendBlob 400; a lease is honoured", async () => {
    const client = blobs.getBlockBlobClient("over/write.txt");
    await client.uploadData(Buffer.from("first"));
    await lake.getFileClient("over/write.txt").setPermissions(permissionsOf("rw-rw----"));
    await client.uploadData(Buffer.from("second, longer"));
    expect((await lake.getFileClient("over/write.txt").readToBuffer()).toString()).toBe("second, longer");
    expect((await lake.getFileClient("over/write.txt").getAccessControl()).permissions?.group.write).toBe(
      true,
    );
    expect(
      await failureOf(client.uploadData(Buffer.from("x"), { conditions: { ifNoneMatch: "*" } })),
    ).toEqual({
      status: 409,
      code: "BlobAlreadyExists",
    });
    expect((await failureOf(blobs.getBlockBlobClient("over").uploadData(Buffer.from("x")))).status).toBe(409);
    expect((await failureOf(blobs.getAppendBlobClient("over/append.log").create())).status).toBe(400);
    const lease = lake.getFileClient("over/write.txt").getDataLakeLeaseClient();
    await lease.acquireLease(-1);
    expect(await failureOf(client.uploadData(Buffer.from("x")))).toEqual({
      status: 412,
      code: "LeaseIdMissing",
    });
    await client.uploadData(Buffer.from("leased"), { conditions: { leaseId: lease.leaseId } });
    await lease.releaseLease();
  });
});

describe("Put Block, Put Block List, Get Block List", () => {
  it("uploadData of 9 MiB in 2 MiB blocks: staged blocks, one commit, the bytes and the committed list", async () => {
    const data = randomBytes(9 * 1024 * 1024);
    const client = blobs.getBlockBlobClient("big/nine.bin");
    await client.uploadData(data, {
      blockSize: 2 * 1024 * 1024,
      maxSingleShotSize: 1024 * 1024,
      concurrency: 3,
    });
    const journal = fx.arm.emu.emulator.services.journal;
    expect(journal.entries((e) => e.op === "blob:path-block-put" && e.status === 201)).toHaveLength(5);
    expect(journal.entries((e) => e.op === "blob:path-blocklist-put" && e.status === 201)).toHaveLength(1);
    expect(md5(await lake.getFileClient("big/nine.bin").readToBuffer())).toBe(md5(data));
    const list = await client.getBlockList("all");
    expect(list.committedBlocks?.map((b) => b.size)).toEqual([2, 2, 2, 2, 1].map((m) => m * 1024 * 1024));
    expect(list.uncommittedBlocks).toEqual([]);
  });

  it("staged blocks are invisible until committed, in the listed order; reused committed blocks; unknown ids 400", async () => {
    const client = blobs.getBlockBlobClient("staged/file.txt");
    await client.stageBlock(id(1), Buffer.from("AAA"), 3);
    await client.stageBlock(id(2), Buffer.from("BB"), 2);
    await client.stageBlock(id(3), Buffer.from("never"), 5);
    expect(await lake.getFileClient("staged/file.txt").exists()).toBe(false);
    const pending = await client.getBlockList("uncommitted");
    expect(pending.uncommittedBlocks?.map((b) => [b.name, b.size])).toEqual([
      [id(1), 3],
      [id(2), 2],
      [id(3), 5],
    ]);
    await client.commitBlockList([id(2), id(1)]);
    expect((await lake.getFileClient("staged/file.txt").readToBuffer()).toString()).toBe("BBAAA");
    // Uncommitted blocks not listed are discarded by the commit.
    expect((await client.getBlockList("uncommitted")).uncommittedBlocks).toEqual([]);
    await client.stageBlock(id(4), Buffer.from("C"), 1);
    await client.commitBlockList([id(1), id(4), id(2)]);
    expect((await lake.getFileClient("staged/file.txt").readToBuffer()).toString()).toBe("AAACBB");
    expect(await failureOf(client.commitBlockList([id(9)]))).toEqual({
      status: 400,
      code: "InvalidBlockList",
    });
    expect((await lake.getFileClient("staged/file.txt").readToBuffer()).toString()).toBe("AAACBB");
  });

  it("uncommitted blocks survive a restart (the orphan sweep keeps them) and commit after it", async () => {
    const client = blobs.getBlockBlobClient("restart/kept.txt");
    await client.stageBlock(id(1), Buffer.from("before "), 7);
    await fx.arm.emu.restart();
    await client.stageBlock(id(2), Buffer.from("after"), 5);
    await client.commitBlockList([id(1), id(2)]);
    expect((await lake.getFileClient("restart/kept.txt").readToBuffer()).toString()).toBe("before after");
  });

  it("a principal without write rights stages nothing (403), and a bad block id is 400", async () => {
    const theirs = fx.blob("other").getContainerClient("blk");
    const denied = await failureOf(
      theirs.getBlockBlobClient("staged/intruder.txt").stageBlock(id(1), "x", 1),
    );
    expect(denied).toEqual({ status: 403, code: "AuthorizationPermissionMismatch" });
    expect(
      await failureOf(blobs.getBlockBlobClient("staged/intruder.txt").getBlockList("all")),
    ).toMatchObject({
      status: 404,
    });
    const bad = await fx.raw("PUT", "/blk/staged/x.txt?comp=block&blockid=%21%21", { body: "x" });
    expect(bad.status).toBe(400);
    expect(bad.headers["x-ms-error-code"]).toBe("InvalidQueryParameterValue");
  });
});
