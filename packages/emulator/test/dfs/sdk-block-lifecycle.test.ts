import { setTimeout as sleep } from "node:timers/promises";
import type { ContainerClient } from "@azure/storage-blob";
import type { DataLakeFileSystemClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/options.js";
import { type DfsFixture, failureOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * What happens to blocks around their path, through `@azure/storage-blob` (stageBlock, commitBlockList,
 * getBlockList, listBlobsFlat/ByHierarchy) and `@azure/storage-file-datalake` (create, delete, move): a block
 * listed twice, Put Blob and deletes discarding uncommitted blocks, renames taking them along, the listing of
 * blobs that have only uncommitted blocks, and their expiry (a 3-second lifetime here; Azure's is a week).
 */
const LIFETIME_SECONDS = 3;
let fx: DfsFixture;
let blobs: ContainerClient;
let lake: DataLakeFileSystemClient;
const id = (n: number) => Buffer.from(`blk-${String(n).padStart(4, "0")}`).toString("base64");

beforeAll(async () => {
  fx = await startDfsFixture("blife", { uncommittedBlockLifetimeSeconds: LIFETIME_SECONDS });
  blobs = fx.blob().getContainerClient("life");
  await blobs.create();
  lake = fx.owner.client.getFileSystemClient("life");
}, 60_000);
afterAll(() => fx?.close());

const block = (path: string) => blobs.getBlockBlobClient(path);
const pending = async (path: string) =>
  ((await block(path).getBlockList("uncommitted")).uncommittedBlocks ?? []).map((b) => b.name);
const text = async (path: string) => (await lake.getFileClient(path).readToBuffer()).toString();

describe("Put Block List", () => {
  it("the same block listed twice: the content is the blocks in list order, and the committed list shows each", async () => {
    const client = block("twice/file.txt");
    await client.stageBlock(id(1), Buffer.from("ab"), 2);
    await client.stageBlock(id(2), Buffer.from("C"), 1);
    await client.commitBlockList([id(1), id(2), id(1), id(1)]);
    expect(await text("twice/file.txt")).toBe("abCabab");
    const list = await client.getBlockList("all");
    expect(list.committedBlocks?.map((b) => [b.name, b.size])).toEqual([
      [id(1), 2],
      [id(2), 1],
      [id(1), 2],
      [id(1), 2],
    ]);
    expect(list.uncommittedBlocks).toEqual([]);
    // Committed blocks again, one of them twice, with a new one between.
    await client.stageBlock(id(3), Buffer.from("-"), 1);
    await client.commitBlockList([id(2), id(3), id(2)]);
    expect(await text("twice/file.txt")).toBe("C-C");
    // Replacing the file frees the shared blob once, whatever the number of extents reading it.
    await client.uploadData(Buffer.from("replaced"));
    expect(await text("twice/file.txt")).toBe("replaced");
    expect(fx.arm.emu.emulator.services.journal.entries((e) => e.status >= 500)).toEqual([]);
  }, 30_000);
});

describe("committed blocks of files written through DFS", () => {
  it("a file written by appends and a flush lists its committed blocks; a Put Block List keeps them and adds one", async () => {
    const file = lake.getFileClient("dfs/written.txt");
    await file.create();
    await file.append("hello ", 0, 6);
    await file.append("world", 6, 5);
    await file.flush(11);
    const first = (await block("dfs/written.txt").getBlockList("committed")).committedBlocks ?? [];
    expect(first.map((b) => b.size)).toEqual([6, 5]);
    expect(new Set(first.map((b) => b.name)).size).toBe(2);
    await block("dfs/written.txt").stageBlock(id(9), Buffer.from("!"), 1);
    await block("dfs/written.txt").commitBlockList([...first.map((b) => b.name), id(9)]);
    expect(await text("dfs/written.txt")).toBe("hello world!");
    // A DFS append and flush after it: the listed ids stay, the new data is a block of its own.
    await file.append("?", 12, 1);
    await file.flush(13);
    const after = (await block("dfs/written.txt").getBlockList("committed")).committedBlocks ?? [];
    expect(after.map((b) => [b.name, b.size]).slice(0, 3)).toEqual([
      [first[0]!.name, 6],
      [first[1]!.name, 5],
      [id(9), 1],
    ]);
    expect(after.map((b) => b.size)).toEqual([6, 5, 1, 1]);
  }, 30_000);
});

describe("uncommitted blocks follow their path", () => {
  it("Put Blob, a DFS create, and deletes (DFS, Blob, recursive) discard the path's uncommitted blocks", async () => {
    await block("gone/put.txt").uploadData(Buffer.from("v1"));
    await block("gone/put.txt").stageBlock(id(1), Buffer.from("stale"), 5);
    await block("gone/put.txt").uploadData(Buffer.from("v2"));
    expect(await pending("gone/put.txt")).toEqual([]);
    expect(await failureOf(block("gone/put.txt").commitBlockList([id(1)]))).toEqual({
      status: 400,
      code: "InvalidBlockList",
    });
    expect(await text("gone/put.txt")).toBe("v2");

    // A staged path (no file yet) that a DFS create makes a file: an empty Put Blob.
    await block("gone/created.txt").stageBlock(id(2), Buffer.from("x"), 1);
    await lake.getFileClient("gone/created.txt").create();
    expect(await pending("gone/created.txt")).toEqual([]);

    await block("gone/dfs-delete.txt").uploadData(Buffer.from("f"));
    await block("gone/dfs-delete.txt").stageBlock(id(3), Buffer.from("x"), 1);
    await lake.getFileClient("gone/dfs-delete.txt").delete();
    expect((await failureOf(block("gone/dfs-delete.txt").getBlockList("all"))).status).toBe(404);

    await block("gone/blob-delete.txt").uploadData(Buffer.from("f"));
    await block("gone/blob-delete.txt").stageBlock(id(4), Buffer.from("x"), 1);
    await block("gone/blob-delete.txt").delete();
    expect((await failureOf(block("gone/blob-delete.txt").getBlockList("all"))).status).toBe(404);

    // A recursive delete takes the blocks of every path below, and only those.
    await lake.getDirectoryClient("tree/sub").create();
    await block("tree/a.txt").stageBlock(id(5), Buffer.from("x"), 1);
    await block("tree/sub/b.txt").stageBlock(id(6), Buffer.from("x"), 1);
    await block("tree-x/c.txt").stageBlock(id(7), Buffer.from("x"), 1);
    await block("treez/d.txt").stageBlock(id(8), Buffer.from("x"), 1);
    await lake.getDirectoryClient("tree").delete(true);
    for (const gone of ["tree/a.txt", "tree/sub/b.txt"])
      expect((await failureOf(block(gone).getBlockList("all"))).status).toBe(404);
    expect(await pending("tree-x/c.txt")).toEqual([id(7)]);
    expect(await pending("treez/d.txt")).toEqual([id(8)]);
    // A file made later under a deleted name starts with no blocks.
    await block("tree/a.txt").uploadData(Buffer.from("new"));
    expect(await pending("tree/a.txt")).toEqual([]);
  }, 30_000);

  it("a rename takes them along (file, directory, and onto a file whose own go); none stay under the old name", async () => {
    await block("mv/src.txt").uploadData(Buffer.from("old"));
    await block("mv/src.txt").stageBlock(id(1), Buffer.from("new"), 3);
    await lake.getFileClient("mv/src.txt").move("mv/dst.txt");
    expect((await failureOf(block("mv/src.txt").getBlockList("all"))).status).toBe(404);
    expect(await pending("mv/dst.txt")).toEqual([id(1)]);
    await lake.getFileClient("mv/src.txt").create();
    expect(await pending("mv/src.txt")).toEqual([]);
    await block("mv/dst.txt").commitBlockList([id(1)]);
    expect(await text("mv/dst.txt")).toBe("new");

    // A directory: its files' blocks and those of paths below it with no file yet.
    await block("dir/f.txt").uploadData(Buffer.from("f"));
    await block("dir/f.txt").stageBlock(id(2), Buffer.from("x"), 1);
    await block("dir/only/n.txt").stageBlock(id(3), Buffer.from("y"), 1);
    await lake.getDirectoryClient("dir").move("dir2");
    expect(await pending("dir2/f.txt")).toEqual([id(2)]);
    expect(await pending("dir2/only/n.txt")).toEqual([id(3)]);
    for (const gone of ["dir/f.txt", "dir/only/n.txt"])
      expect((await failureOf(block(gone).getBlockList("all"))).status).toBe(404);

    // Names beyond the BMP (two UTF-16 units, one character to SQLite) and a prefix-sharing sibling.
    await lake.getDirectoryClient("emo😀").create();
    await block("emo😀/ü/f.txt").stageBlock(id(6), Buffer.from("u"), 1);
    await block("emo😀x/g.txt").stageBlock(id(7), Buffer.from("v"), 1);
    await lake.getDirectoryClient("emo😀").move("émo");
    expect(await pending("émo/ü/f.txt")).toEqual([id(6)]);
    expect(await pending("emo😀x/g.txt")).toEqual([id(7)]);
    const listed: string[] = [];
    for await (const b of blobs.listBlobsFlat({ prefix: "émo/", includeUncommitedBlobs: true }))
      listed.push(b.name);
    expect(listed).toEqual(["émo/ü/f.txt"]);

    // Onto an existing file: the destination's own uncommitted blocks are discarded with it.
    await block("mv/a.txt").uploadData(Buffer.from("a"));
    await block("mv/a.txt").stageBlock(id(4), Buffer.from("from a"), 6);
    await block("mv/b.txt").uploadData(Buffer.from("b"));
    await block("mv/b.txt").stageBlock(id(5), Buffer.from("from b"), 6);
    await lake.getFileClient("mv/a.txt").move("mv/b.txt");
    expect(await pending("mv/b.txt")).toEqual([id(4)]);
    expect(await text("mv/b.txt")).toBe("a");
  }, 30_000);
});

describe("uncommitted blocks of an expiring file", () => {
  it("a file that expires (setExpiry) takes its uncommitted blocks along", async () => {
    await block("expiring/f.txt").uploadData(Buffer.from("soon gone"));
    await block("expiring/f.txt").stageBlock(id(1), Buffer.from("x"), 1);
    await lake.getFileClient("expiring/f.txt").setExpiry("RelativeToNow", { timeToExpireInMs: 1000 });
    await sleep(1500);
    expect(await lake.getFileClient("expiring/f.txt").exists()).toBe(false);
    expect((await failureOf(block("expiring/f.txt").getBlockList("all"))).status).toBe(404);
    expect(await failureOf(block("expiring/f.txt").commitBlockList([id(1)]))).toEqual({
      status: 400,
      code: "InvalidBlockList",
    });
  }, 30_000);
});

describe("List Blobs include=uncommittedblobs", () => {
  it("lists the paths that have only uncommitted blocks, in order, empty; not without the include", async () => {
    await block("ub/file.txt").uploadData(Buffer.from("committed"));
    await block("ub/file.txt").stageBlock(id(1), Buffer.from("x"), 1);
    await block("ub/only.txt").stageBlock(id(2), Buffer.from("xyz"), 3);
    await block("ub/deep/x.txt").stageBlock(id(3), Buffer.from("x"), 1);
    const flat: Array<[string, number | undefined]> = [];
    for await (const b of blobs.listBlobsFlat({ prefix: "ub/", includeUncommitedBlobs: true }))
      flat.push([b.name, b.properties.contentLength]);
    expect(flat).toEqual([
      ["ub/deep/x.txt", 0],
      ["ub/file.txt", 9],
      ["ub/only.txt", 0],
    ]);
    const plain: string[] = [];
    for await (const b of blobs.listBlobsFlat({ prefix: "ub/" })) plain.push(b.name);
    expect(plain).toEqual(["ub/file.txt"]);
    // One level: those right in the directory listed; pages resume between them.
    const names: string[] = [];
    for await (const page of blobs
      .listBlobsByHierarchy("/", { prefix: "ub/", includeUncommitedBlobs: true })
      .byPage({ maxPageSize: 1 }))
      names.push(...page.segment.blobItems.map((b) => b.name));
    expect(names).toEqual(["ub/file.txt", "ub/only.txt"]);
  }, 30_000);
});

describe("expiry", () => {
  it("a path's uncommitted blocks go once the lifetime has passed since its last Put Block", async () => {
    await block("exp/f.txt").stageBlock(id(1), Buffer.from("a"), 1);
    await sleep(2000);
    // A later Put Block restarts the clock for all of the path's blocks.
    await block("exp/f.txt").stageBlock(id(2), Buffer.from("b"), 1);
    await sleep(2000);
    expect(await pending("exp/f.txt")).toEqual([id(1), id(2)]);
    await sleep((LIFETIME_SECONDS + 0.5) * 1000);
    expect((await failureOf(block("exp/f.txt").getBlockList("all"))).status).toBe(404);
    expect(await failureOf(block("exp/f.txt").commitBlockList([id(1), id(2)]))).toEqual({
      status: 400,
      code: "InvalidBlockList",
    });
  }, 20_000);

  it("uncommittedBlockLifetimeSeconds is a whole number of seconds from 1 to 366 days", () => {
    for (const bad of [0, -1, 1.5, 366 * 86400 + 1, Number.NaN])
      expect(() => loadConfig({ config: { uncommittedBlockLifetimeSeconds: bad } })).toThrow(
        /uncommittedBlockLifetimeSeconds/,
      );
    expect(loadConfig({}).uncommittedBlockLifetimeSeconds).toBe(7 * 86400);
    expect(loadConfig({ config: { uncommittedBlockLifetimeSeconds: 366 * 86400 } })).toMatchObject({
      uncommittedBlockLifetimeSeconds: 366 * 86400,
    });
  }, 30_000);
});
