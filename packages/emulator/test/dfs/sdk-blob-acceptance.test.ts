import { createHash, randomBytes } from "node:crypto";
import type { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * The acceptance list through `@azure/storage-blob` alone with a bearer token (`ClientSecretCredential`),
 * for the cells docs/gen2-acceptance.md found empty: the container and directory lifecycle, and a 20 MiB upload
 * in parallel blocks with one commit, read back in ranges. The other cells of the Blob SDK's column are
 * covered by the tests that table names.
 */
let fx: DfsFixture;
let service: BlobServiceClient;
const md5 = (b: Buffer | Uint8Array) => createHash("md5").update(b).digest("base64");

beforeAll(async () => {
  fx = await startDfsFixture("bacc");
  service = fx.blob();
}, 60_000);
afterAll(() => fx?.close());

describe("@azure/storage-blob with a bearer token", () => {
  it("container and directory lifecycle: create, properties, paged listing, directories made and removed, delete", async () => {
    for (const name of ["bacc-1", "bacc-2", "bacc-3"])
      await service.getContainerClient(name).create({ metadata: { made: name } });
    const container = service.getContainerClient("bacc-2");
    expect((await container.getProperties()).metadata).toEqual({ made: "bacc-2" });
    expect(await failureOf(container.create())).toEqual({ status: 409, code: "ContainerAlreadyExists" });
    const pages: string[][] = [];
    for await (const page of service.listContainers({ prefix: "bacc-" }).byPage({ maxPageSize: 2 }))
      pages.push((page.containerItems ?? []).map((c) => c.name));
    expect(pages).toEqual([["bacc-1", "bacc-2"], ["bacc-3"]]);

    // Directories: made by an upload below them, shown as hdi_isfolder blobs, removed once empty.
    await container.getBlockBlobClient("d/sub/f.txt").uploadData(Buffer.from("f"));
    expect((await container.getBlobClient("d/sub").getProperties()).metadata).toMatchObject({
      hdi_isfolder: "true",
    });
    expect((await failureOf(container.getBlobClient("d/sub").delete())).status).toBe(409);
    await container.getBlobClient("d/sub/f.txt").delete();
    await container.getBlobClient("d/sub").delete();
    expect(await container.getBlobClient("d/sub").exists()).toBe(false);
    expect(await container.getBlobClient("d").exists()).toBe(true);

    await container.delete();
    expect(await container.exists()).toBe(false);
    expect(await failureOf(container.getProperties())).toMatchObject({ status: 404 });
  }, 60_000);

  it("20 MiB uploadData in parallel blocks with one Put Block List; ranged downloads with the range's MD5", async () => {
    const data = randomBytes(20 * 1024 * 1024);
    const container = service.getContainerClient("bacc-big");
    await container.create();
    const blob = container.getBlockBlobClient("big/twenty.bin");
    const journal = fx.arm.emu.emulator.services.journal;
    const staged = () => journal.entries((e) => e.op === "blob:path-block-put" && e.status === 201).length;
    const before = staged();
    await blob.uploadData(data, {
      blockSize: 4 * 1024 * 1024,
      maxSingleShotSize: 1024 * 1024,
      concurrency: 4,
    });
    expect(staged() - before).toBe(5);
    expect(journal.entries((e) => e.op === "blob:path-blocklist-put" && e.status === 201)).toHaveLength(1);
    expect((await blob.getProperties()).contentLength).toBe(data.length);

    const whole = await blob.downloadToBuffer(undefined, undefined, {
      concurrency: 4,
      blockSize: 4 * 1024 * 1024,
    });
    expect(md5(whole)).toBe(md5(data));
    const start = 7 * 1024 * 1024 + 3;
    const part = await blob.downloadToBuffer(start, 1024 * 1024);
    expect(part.equals(data.subarray(start, start + 1024 * 1024))).toBe(true);
    const ranged = await blob.download(1000, 4000, { rangeGetContentMD5: true });
    expect(ranged.contentLength).toBe(4000);
    expect(ranged.contentRange).toBe(`bytes 1000-4999/${data.length}`);
    expect(Buffer.from(ranged.contentMD5 ?? []).toString("base64")).toBe(md5(data.subarray(1000, 5000)));
    expect(await failureOf(blob.download(data.length, 10))).toMatchObject({ status: 416 });
  }, 60_000);
});
