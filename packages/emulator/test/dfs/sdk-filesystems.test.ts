import type { DataLakeFileSystemClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * The official @azure/storage-file-datalake against the emulator's Gen2 data plane, path style over HTTPS with
 * Entra tokens: filesystem lifecycle (Blob container calls under the hood), directories, list paths.
 */
let fx: DfsFixture;

beforeAll(async () => {
  fx = await startDfsFixture("fs");
}, 60_000);
afterAll(() => fx?.close());

describe("filesystems through the SDK", () => {
  it("create, exists, get/set properties, list with prefix and pages, delete", async () => {
    const svc = fx.owner.client;
    const fs = svc.getFileSystemClient("alpha");
    expect(await fs.exists()).toBe(false);
    await fs.create({ metadata: { team: "data" } });
    expect(await fs.exists()).toBe(true);
    expect((await fs.createIfNotExists()).succeeded).toBe(false);
    expect(await failureOf(fs.create())).toEqual({ status: 409, code: "ContainerAlreadyExists" });
    const props = await fs.getProperties();
    expect(props.metadata).toEqual({ team: "data" });
    expect(props.etag).toMatch(/^"0x8D[0-9A-F]{13}"$/);
    await fs.setMetadata({ team: "ml", stage: "2" });
    expect((await fs.getProperties()).metadata).toEqual({ team: "ml", stage: "2" });

    for (const name of ["alpha2", "beta", "alpha3"]) await svc.getFileSystemClient(name).create();
    const names: string[] = [];
    for await (const item of svc.listFileSystems({ prefix: "alpha", includeMetadata: true }))
      names.push(item.name);
    expect(names).toEqual(["alpha", "alpha2", "alpha3"]);
    const pages: number[] = [];
    for await (const page of svc.listFileSystems().byPage({ maxPageSize: 2 }))
      pages.push(page.fileSystemItems.length);
    expect(pages).toEqual([2, 2]);

    await fs.delete();
    expect(await fs.exists()).toBe(false);
    expect((await fs.deleteIfExists()).succeeded).toBe(false);
    expect(await failureOf(fs.getProperties())).toMatchObject({ status: 404 });
  });

  it("a second principal has no account-level rights: 403 AuthorizationPermissionMismatch", async () => {
    const mine = fx.other.client.getFileSystemClient("theirs");
    expect(await failureOf(mine.create())).toEqual({ status: 403, code: "AuthorizationPermissionMismatch" });
    expect(await fx.owner.client.getFileSystemClient("theirs").exists()).toBe(false);
  });
});

describe("directories and paths through the SDK", () => {
  let fs: DataLakeFileSystemClient;
  beforeAll(async () => {
    fs = fx.owner.client.getFileSystemClient("tree");
    await fs.create();
  });

  it("create (parents implied), exists, createIfNotExists, permissions with umask, delete recursive", async () => {
    const dir = fs.getDirectoryClient("a/b/c");
    await dir.create();
    expect(await dir.exists()).toBe(true);
    expect(await fs.getDirectoryClient("a/b").exists()).toBe(true);
    expect((await dir.createIfNotExists()).succeeded).toBe(false);
    const props = await dir.getProperties();
    expect(props.metadata).toEqual({ hdi_isfolder: "true" });
    const acl = await dir.getAccessControl();
    expect(acl.owner).toBe(fx.owner.objectId);
    expect(acl.permissions!).toMatchObject({ owner: { read: true, write: true, execute: true } });
    expect(acl.permissions!.other).toEqual({ read: false, write: false, execute: false });

    const open = fs.getDirectoryClient("open");
    await open.create({ permissions: "0777", umask: "0022" });
    const openAcl = await open.getAccessControl();
    expect(openAcl.permissions!.group).toEqual({ read: true, write: false, execute: true });
    expect(openAcl.permissions!.other).toEqual({ read: true, write: false, execute: true });

    const file = fs.getFileClient("a/b/c/f.txt");
    await file.create();
    expect(await failureOf(file.create({ conditions: { ifNoneMatch: "*" } }))).toEqual({
      status: 409,
      code: "PathAlreadyExists",
    });
    expect((await file.getAccessControl()).permissions!.group).toEqual({
      read: true,
      write: false,
      execute: false,
    });

    expect(await failureOf(fs.getDirectoryClient("a").delete(false))).toEqual({
      status: 409,
      code: "DirectoryNotEmpty",
    });
    await fs.getDirectoryClient("a").delete(true);
    expect(await fs.getDirectoryClient("a").exists()).toBe(false);
    expect(await file.exists()).toBe(false);
    expect((await fs.getDirectoryClient("a").deleteIfExists(true)).succeeded).toBe(false);
  });

  it("list paths: recursive, pages with continuation, names from the root", async () => {
    for (const d of ["l/x", "l/y/z"]) await fs.getDirectoryClient(d).create();
    for (const f of ["l/f1", "l/x/f2", "l/y/z/f3"]) await fs.getFileClient(f).create();
    const flat: string[] = [];
    for await (const p of fs.listPaths({ path: "l" })) flat.push(`${p.name}${p.isDirectory ? "/" : ""}`);
    expect(flat).toEqual(["l/f1", "l/x/", "l/y/"]);
    const deep: string[] = [];
    let pages = 0;
    for await (const page of fs.listPaths({ path: "l", recursive: true }).byPage({ maxPageSize: 2 })) {
      pages++;
      for (const p of page.pathItems ?? []) deep.push(p.name!);
    }
    expect(deep).toEqual(["l/f1", "l/x", "l/x/f2", "l/y", "l/y/z", "l/y/z/f3"]);
    expect(pages).toBe(3);
    const first = (await fs.listPaths({ path: "l" }).next()).value;
    expect(first).toMatchObject({
      name: "l/f1",
      contentLength: 0,
      owner: fx.owner.objectId,
      permissions: expect.anything(),
    });
    expect(first.lastModified).toBeInstanceOf(Date);
  });
});
