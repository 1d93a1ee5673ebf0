import { createHash, randomBytes } from "node:crypto";
import type { DataLakeFileSystemClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * Files through the official @azure/storage-file-datalake: the parallel upload (appends at positions, one
 * flush), reads with ranges (Blob GET), properties (Blob HEAD), and atomic renames.
 */
let fx: DfsFixture;
let fs: DataLakeFileSystemClient;

beforeAll(async () => {
  fx = await startDfsFixture("files");
  fs = fx.owner.client.getFileSystemClient("data");
  await fs.create();
}, 60_000);
afterAll(() => fx?.close());

const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("base64");

describe("uploads", () => {
  it("20 MiB upload with parallel appends at positions and one flush; readToBuffer and ranged reads", async () => {
    const data = randomBytes(20 * 1024 * 1024);
    const file = fs.getFileClient("big/20mib.bin");
    const appends: number[] = [];
    let flushes = 0;
    await file.upload(data, {
      chunkSize: 4 * 1024 * 1024,
      maxConcurrency: 5,
      singleUploadThreshold: 1024 * 1024,
      pathHttpHeaders: { contentType: "application/x-test", contentMD5: Buffer.from(md5(data), "base64") },
      close: true,
      onProgress: () => {},
    });
    for (const e of fx.arm.emu.emulator.services.journal.entries((e) => e.op === "dfs:append"))
      appends.push(e.status);
    flushes = fx.arm.emu.emulator.services.journal.entries((e) => e.op === "dfs:flush").length;
    expect(appends).toEqual([202, 202, 202, 202, 202]);
    expect(flushes).toBe(1);

    const props = await file.getProperties();
    expect(props.contentLength).toBe(data.length);
    expect(props.contentType).toBe("application/x-test");
    expect(Buffer.from(props.contentMD5!).toString("base64")).toBe(md5(data));
    const whole = await file.readToBuffer(undefined, undefined, {
      concurrency: 4,
      chunkSize: 3 * 1024 * 1024,
    });
    expect(whole.equals(data)).toBe(true);

    const part = await file.read(5 * 1024 * 1024 + 7, 1000, { rangeGetContentMD5: true });
    const body = Buffer.from(await new Response(part.readableStreamBody as never).arrayBuffer());
    expect(body.equals(data.subarray(5 * 1024 * 1024 + 7, 5 * 1024 * 1024 + 1007))).toBe(true);
    expect(Buffer.from(part.contentMD5!).toString("base64")).toBe(md5(body));
    expect(part.contentRange).toBe(`bytes ${5 * 1024 * 1024 + 7}-${5 * 1024 * 1024 + 1006}/${data.length}`);
    // A range past the end is clamped; a start at the end is 416.
    const tail = await file.read(data.length - 10, 100);
    expect(tail.contentLength).toBe(10);
    const tailBody = Buffer.from(await new Response(tail.readableStreamBody as never).arrayBuffer());
    expect(tailBody.equals(data.subarray(data.length - 10))).toBe(true);
    expect(await failureOf(file.read(data.length, 1))).toMatchObject({ status: 416 });
  }, 120_000);

  it("appends out of order are invisible until the flush; a gap is 400 InvalidFlushPosition", async () => {
    const file = fs.getFileClient("staged.txt");
    await file.create();
    await file.append("world", 6, 5);
    await file.append("hello ", 0, 6);
    expect((await file.getProperties()).contentLength).toBe(0);
    expect(await failureOf(file.flush(12))).toEqual({ status: 400, code: "InvalidFlushPosition" });
    const before = (await file.getProperties()).etag;
    await file.flush(11, { retainUncommittedData: false, close: true });
    const after = await file.getProperties();
    expect(after.contentLength).toBe(11);
    expect(after.etag).not.toBe(before);
    expect((await file.readToBuffer()).toString()).toBe("hello world");
    // A flush below the committed length, or an append to a missing file.
    expect(await failureOf(file.flush(5))).toEqual({ status: 400, code: "InvalidFlushPosition" });
    expect(await failureOf(fs.getFileClient("nope").append("x", 0, 1))).toMatchObject({
      status: 404,
      code: "PathNotFound",
    });
    // Re-creating (overwrite) empties the file.
    await file.create();
    expect((await file.getProperties()).contentLength).toBe(0);
  });

  it("uploadFile-style small upload, empty files, and If-Match on flush", async () => {
    const file = fs.getFileClient("small.txt");
    await file.upload(Buffer.from("tiny"));
    expect((await file.readToBuffer()).toString()).toBe("tiny");
    const empty = fs.getFileClient("empty");
    await empty.create();
    expect((await empty.readToBuffer()).length).toBe(0);
    expect(await failureOf(empty.read(0, 10))).toMatchObject({ status: 416, code: "InvalidRange" });
    const etag = (await file.getProperties()).etag!;
    await file.append("more", 4, 4);
    expect(await failureOf(file.flush(8, { conditions: { ifMatch: '"0x8D0000000000000"' } }))).toEqual({
      status: 412,
      code: "ConditionNotMet",
    });
    await file.flush(8, { conditions: { ifMatch: etag } });
    expect((await file.readToBuffer()).toString()).toBe("tinymore");
  });
});

describe("expiry", () => {
  it("setExpiry RelativeToNow, Absolute and NeverExpire; an expired file is gone everywhere", async () => {
    const file = fs.getFileClient("expiring.txt");
    await file.upload(Buffer.from("soon gone"));
    await file.setExpiry("RelativeToNow", { timeToExpireInMs: 1500 });
    const props = await file.getProperties();
    expect(props.expiresOn).toBeInstanceOf(Date);
    expect(props.expiresOn!.getTime()).toBeGreaterThan(Date.now() - 1000);
    const kept = fs.getFileClient("kept.txt");
    await kept.upload(Buffer.from("kept"));
    await kept.setExpiry("Absolute", { expiresOn: new Date(Date.now() + 1500) });
    await kept.setExpiry("NeverExpire");
    expect((await kept.getProperties()).expiresOn).toBeUndefined();
    // Directories do not expire.
    expect(await failureOf(fs.getFileClient("big").setExpiry("NeverExpire"))).toEqual({
      status: 400,
      code: "InvalidInput",
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await file.exists()).toBe(false);
    const names: string[] = [];
    for await (const p of fs.listPaths()) names.push(p.name!);
    expect(names).not.toContain("expiring.txt");
    expect(names).toContain("kept.txt");
  });
});

describe("renames", () => {
  it("a directory tree moves atomically; conditions; file rename over a file; errors", async () => {
    for (const f of ["src/a/1.txt", "src/a/2.txt", "src/b.txt"])
      await fs.getFileClient(f).upload(Buffer.from(f));
    const src = fs.getDirectoryClient("src");
    await src.move("dst");
    expect(await src.exists()).toBe(false);
    expect((await fs.getFileClient("dst/a/2.txt").readToBuffer()).toString()).toBe("src/a/2.txt");
    const names: string[] = [];
    for await (const p of fs.listPaths({ path: "dst", recursive: true })) names.push(p.name!);
    expect(names).toEqual(["dst/a", "dst/a/1.txt", "dst/a/2.txt", "dst/b.txt"]);

    const one = fs.getFileClient("dst/b.txt");
    expect(await failureOf(one.move("missing/parent/b.txt"))).toEqual({
      status: 404,
      code: "RenameDestinationParentPathNotFound",
    });
    expect(await failureOf(fs.getFileClient("ghost").move("x"))).toEqual({
      status: 404,
      code: "SourcePathNotFound",
    });
    expect(await failureOf(fs.getDirectoryClient("dst").move("dst/a/inside"))).toEqual({
      status: 409,
      code: "InvalidRenameSourcePath",
    });
    expect(await failureOf(one.move("dst/a"))).toEqual({
      status: 409,
      code: "InvalidSourceOrDestinationResourceType",
    });
    expect(await failureOf(one.move("dst/a/1.txt", { destinationConditions: { ifNoneMatch: "*" } }))).toEqual(
      {
        status: 409,
        code: "PathAlreadyExists",
      },
    );
    expect(
      await failureOf(one.move("dst/c.txt", { conditions: { ifMatch: '"0x8D0000000000000"' } })),
    ).toMatchObject({ status: 412 });
    await one.move("dst/a/1.txt");
    expect((await fs.getFileClient("dst/a/1.txt").readToBuffer()).toString()).toBe("src/b.txt");
    expect(await one.exists()).toBe(false);
  });
});
