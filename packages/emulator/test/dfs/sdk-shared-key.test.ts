import { StorageSharedKeyCredential as BlobKey, BlobServiceClient } from "@azure/storage-blob";
import { DataLakeServiceClient, StorageSharedKeyCredential } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeLocalhostNames } from "../storage-auth/capture-server.js";
import { type DfsFixture, failureOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * Shared Key against the real emulator, signed by the official SDKs' own `StorageSharedKeyCredential`
 * (`@azure/storage-file-datalake` 12.31.0 and `@azure/storage-blob` 12.34.0), path style and host style: the key
 * holder is a super-user named `$superuser` (ACLs do not apply to it), and a wrong key is 403.
 */
let fx: DfsFixture;
const keys = () => fx.arm.emu.emulator.storageAccounts.lookup(fx.account)!.keys;
const dataLake = (key = keys().key1, endpoint = fx.endpoint) =>
  new DataLakeServiceClient(endpoint, new StorageSharedKeyCredential(fx.account, key));
const blob = (key = keys().key2) => new BlobServiceClient(fx.endpoint, new BlobKey(fx.account, key));

beforeAll(async () => {
  fx = await startDfsFixture("sharedkey");
}, 60_000);
afterAll(() => fx?.close());

describe("Shared Key through the official SDKs", () => {
  it("DataLake SDK, path style: filesystem, directories, upload, read, move(), ACLs, listing, delete; new items owned by $superuser", async () => {
    const fs = dataLake().getFileSystemClient("skfs");
    await fs.create({ metadata: { team: "data" } });
    expect((await fs.getProperties()).metadata).toEqual({ team: "data" });
    await fs.getDirectoryClient("in/deep").create();
    const file = fs.getFileClient("in/deep/hello.txt");
    const data = Buffer.from("signed with the account key");
    await file.upload(data, { chunkSize: 8, maxConcurrency: 2, singleUploadThreshold: 4 });
    expect((await file.readToBuffer()).equals(data)).toBe(true);

    const acl = await file.getAccessControl();
    expect(acl).toMatchObject({ owner: "$superuser", group: "$superuser" });
    await file.setPermissions({
      owner: { read: true, write: true, execute: false },
      group: { read: false, write: false, execute: false },
      other: { read: false, write: false, execute: false },
      stickyBit: false,
      extendedAcls: false,
    });
    expect((await file.getAccessControl()).permissions.group.read).toBe(false);

    // Path style, move() sends the destination without the account segment: signed and routed all the same.
    await fs.getDirectoryClient("in").move("out");
    const names: string[] = [];
    for await (const p of fs.listPaths({ recursive: true })) names.push(p.name!);
    expect(names).toEqual(["out", "out/deep", "out/deep/hello.txt"]);
    const listed: string[] = [];
    for await (const f of dataLake().listFileSystems({ prefix: "skf" })) listed.push(f.name);
    expect(listed).toEqual(["skfs"]);
    await fs.getDirectoryClient("out").delete(true);
    expect(await fs.getFileClient("out/deep/hello.txt").exists()).toBe(false);
    const journal = fx.arm.emu.emulator.services.journal.entries((e) => e.op === "dfs:rename");
    expect(journal[journal.length - 1]).toMatchObject({ status: 201, principal: "$superuser" });
  });

  it("Blob SDK with key2: containers, account info, properties, metadata, HTTP headers, download, delete", async () => {
    await dataLake().getFileSystemClient("skblob").create();
    await dataLake().getFileSystemClient("skblob").getFileClient("a/b.bin").upload(Buffer.from("0123456789"));
    const service = blob();
    expect((await service.getAccountInfo()).isHierarchicalNamespaceEnabled).toBe(true);
    const names: string[] = [];
    for await (const c of service.listContainers({ prefix: "skb" })) names.push(c.name);
    expect(names).toEqual(["skblob"]);
    const container = service.getContainerClient("skblob");
    await container.setMetadata({ k: "v" });
    expect((await container.getProperties()).metadata).toEqual({ k: "v" });
    const b = container.getBlobClient("a/b.bin");
    await b.setMetadata({ m: "1" });
    await b.setHTTPHeaders({ blobContentType: "text/plain" });
    const props = await b.getProperties();
    expect(props).toMatchObject({ contentLength: 10, contentType: "text/plain", metadata: { m: "1" } });
    expect((await b.downloadToBuffer(2, 3)).toString()).toBe("234");
    await b.delete();
    expect(await b.exists()).toBe(false);
    await container.delete();
  });

  it("host style ({account}.dfs|blob.localhost): both SDKs sign the host-style resource", async () => {
    const undo = routeLocalhostNames();
    try {
      const port = fx.arm.emu.emulator.port;
      const dfs = dataLake(keys().key1, `https://${fx.account}.dfs.localhost:${port}`);
      const fs = dfs.getFileSystemClient("skhost");
      await fs.create();
      await fs.getFileClient("dir/x.txt").upload(Buffer.from("host"));
      await fs.getDirectoryClient("dir").move("moved");
      const b = new BlobServiceClient(
        `https://${fx.account}.blob.localhost:${port}`,
        new BlobKey(fx.account, keys().key1),
      );
      const got = await b.getContainerClient("skhost").getBlobClient("moved/x.txt").downloadToBuffer();
      expect(got.toString()).toBe("host");
    } finally {
      undo();
    }
  });

  it("bypasses ACLs: a file no bearer principal but its owner may read is read with the key", async () => {
    const fs = fx.owner.client.getFileSystemClient("skacl");
    await fs.create();
    const file = fs.getFileClient("private.txt");
    await file.upload(Buffer.from("mine"));
    await file.setAccessControl(
      [
        { accessControlType: "user", entityId: "", defaultScope: false, permissions: perm("---") },
        { accessControlType: "group", entityId: "", defaultScope: false, permissions: perm("---") },
        { accessControlType: "other", entityId: "", defaultScope: false, permissions: perm("---") },
      ],
      { owner: fx.other.objectId },
    );
    const asOther = fx.other.client.getFileSystemClient("skacl").getFileClient("private.txt");
    expect(await failureOf(asOther.readToBuffer())).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
    const withKey = dataLake().getFileSystemClient("skacl").getFileClient("private.txt");
    expect((await withKey.readToBuffer()).toString()).toBe("mine");
  });

  it("a wrong key is 403 AuthenticationFailed on both endpoints, and the answer holds no key", async () => {
    const wrong = Buffer.alloc(64, 7).toString("base64");
    const dfsFailure = await failureOf(dataLake(wrong).getFileSystemClient("nope").create());
    expect(dfsFailure).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    const raw = await fx.raw("PUT", "/nope?resource=filesystem", {
      as: null,
      headers: { authorization: `SharedKey ${fx.account}:${Buffer.alloc(32).toString("base64")}` },
    });
    expect(raw.status).toBe(403);
    expect(raw.headers["x-ms-error-code"]).toBe("AuthenticationFailed");
    for (const key of [keys().key1, keys().key2]) expect(raw.body).not.toContain(key);
    const blobFailure = await failureOf(blob(wrong).getContainerClient("nope").create());
    expect(blobFailure).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    expect(await dataLake().getFileSystemClient("nope").exists()).toBe(false);
  });

  it("after regenerateKey the old key is refused and the new one works", async () => {
    const old = keys().key1;
    const regenerated = await fx.arm.arm("POST", `${fx.arm.storagePath("dfs", fx.account)}/regenerateKey`, {
      body: { keyName: "key1" },
    });
    expect(regenerated.status).toBe(200);
    expect(keys().key1).not.toBe(old);
    expect(await failureOf(dataLake(old).getFileSystemClient("regen").create())).toMatchObject({
      status: 403,
      code: "AuthenticationFailed",
    });
    await dataLake().getFileSystemClient("regen").create();
  });
});

function perm(text: string) {
  return { read: text[0] === "r", write: text[1] === "w", execute: text[2] === "x" };
}
