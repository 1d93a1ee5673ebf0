import {
  StorageSharedKeyCredential as BlobKey,
  BlobSASPermissions,
  BlobServiceClient,
} from "@azure/storage-blob";
import {
  AccountSASPermissions,
  DataLakeDirectoryClient,
  DataLakeFileClient,
  DataLakeFileSystemClient,
  DataLakeServiceClient,
  DirectorySASPermissions,
  FileSystemSASPermissions,
  StorageSharedKeyCredential,
} from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, permissionsOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * Account and service SAS made by the official SDKs (`generateSasUrl`, `generateAccountSasUrl` of
 * `@azure/storage-file-datalake` 12.31.0, `generateSasUrl` of `@azure/storage-blob` 12.34.0) used against the
 * real emulator: a SAS allows what it names, on what it names, while it is valid, from where it says, and
 * nothing else; ACLs do not apply to it.
 */
let fx: DfsFixture;
const hour = 3600_000;
const keyed = () =>
  new DataLakeServiceClient(
    fx.endpoint,
    new StorageSharedKeyCredential(
      fx.account,
      fx.arm.emu.emulator.storageAccounts.lookup(fx.account)!.keys.key1,
    ),
  );

beforeAll(async () => {
  fx = await startDfsFixture("sas");
  await fx.owner.client.getFileSystemClient("sasfs").create();
}, 60_000);
afterAll(() => fx?.close());

const fsSasUrl = (permissions: string, extra: Record<string, unknown> = {}) =>
  keyed()
    .getFileSystemClient("sasfs")
    .generateSasUrl({
      permissions: FileSystemSASPermissions.parse(permissions),
      expiresOn: new Date(Date.now() + hour),
      ...extra,
    });

describe("service SAS (DataLake generateSasUrl)", () => {
  it("a filesystem SAS racwdl creates, appends, flushes, reads and lists; set ACL (p) is 403; ACLs do not apply", async () => {
    const fs = new DataLakeFileSystemClient(await fsSasUrl("racwdl"));
    const file = fs.getFileClient("sas/one.txt");
    await file.upload(Buffer.from("by SAS"));
    expect((await file.readToBuffer()).toString()).toBe("by SAS");
    // Items created with a key-signed SAS are owned by $superuser, as with Shared Key.
    const acl = await fx.owner.client
      .getFileSystemClient("sasfs")
      .getFileClient("sas/one.txt")
      .getAccessControl();
    expect(acl.owner).toBe("$superuser");
    const names: string[] = [];
    for await (const p of fs.listPaths({ recursive: true })) names.push(p.name!);
    expect(names).toEqual(["sas", "sas/one.txt"]);
    expect(await failureOf(file.setPermissions(permissionsOf("rwx------")))).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
    // A file nobody but its owner may read is read with the SAS.
    const owner = fx.owner.client.getFileSystemClient("sasfs").getFileClient("sas/private.txt");
    await owner.upload(Buffer.from("private"));
    await owner.setPermissions(permissionsOf("---------"));
    expect((await fs.getFileClient("sas/private.txt").readToBuffer()).toString()).toBe("private");
  });

  it("a missing permission is 403 AuthorizationPermissionMismatch and changes nothing", async () => {
    const readList = new DataLakeFileSystemClient(await fsSasUrl("rl"));
    expect(await failureOf(readList.getFileClient("nope.txt").upload(Buffer.from("x")))).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
    expect(await fx.owner.client.getFileSystemClient("sasfs").getFileClient("nope.txt").exists()).toBe(false);
    const noList = new DataLakeFileSystemClient(await fsSasUrl("rcw"));
    expect(await failureOf(noList.listPaths().next())).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
    expect(await failureOf(noList.getFileClient("sas/one.txt").delete())).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
  });

  it("an expired SAS and one not valid yet are 403 AuthenticationFailed", async () => {
    const expired = new DataLakeFileSystemClient(
      await fsSasUrl("rl", {
        startsOn: new Date(Date.now() - 2 * hour),
        expiresOn: new Date(Date.now() - 1000),
      }),
    );
    expect(await failureOf(expired.getFileClient("sas/one.txt").readToBuffer())).toMatchObject({
      status: 403,
      code: "AuthenticationFailed",
    });
    const early = new DataLakeFileSystemClient(
      await fsSasUrl("rl", { startsOn: new Date(Date.now() + hour) }),
    );
    expect(await failureOf(early.getFileClient("sas/one.txt").readToBuffer())).toMatchObject({
      status: 403,
      code: "AuthenticationFailed",
    });
  });

  it("sip: from 127.0.0.1 a range holding it is allowed, another is 403 AuthorizationSourceIPMismatch", async () => {
    const inside = new DataLakeFileSystemClient(
      await fsSasUrl("r", { ipRange: { start: "127.0.0.0", end: "127.0.0.255" } }),
    );
    expect((await inside.getFileClient("sas/one.txt").readToBuffer()).toString()).toBe("by SAS");
    const outside = new DataLakeFileSystemClient(await fsSasUrl("r", { ipRange: { start: "10.1.2.3" } }));
    expect(await failureOf(outside.getFileClient("sas/one.txt").readToBuffer())).toMatchObject({
      status: 403,
      code: "AuthorizationSourceIPMismatch",
    });
  });

  it("a tampered signature is 403 AuthenticationFailed, and no signature is echoed", async () => {
    const url = new URL(await fsSasUrl("r"));
    const sig = url.searchParams.get("sig")!;
    url.searchParams.set("sp", "racwdl");
    const res = await fx.arm.emu.request("GET", `${url.toString().replace(/\/$/, "")}/sas/one.txt`, {
      headers: { "x-ms-version": "2025-01-05" },
    });
    expect(res.status).toBe(403);
    expect(res.headers["x-ms-error-code"]).toBe("AuthenticationFailed");
    expect(res.text).not.toContain(sig);
  });

  it("a directory SAS (sr=d) reaches its subtree only; a file SAS its file only", async () => {
    const owner = fx.owner.client.getFileSystemClient("sasfs");
    await owner.getDirectoryClient("tree/a").create();
    await owner.getFileClient("outside.txt").upload(Buffer.from("out"));
    const dirUrl = await keyed()
      .getFileSystemClient("sasfs")
      .getDirectoryClient("tree")
      .generateSasUrl({
        permissions: DirectorySASPermissions.parse("racwl"),
        expiresOn: new Date(Date.now() + hour),
      });
    const dir = new DataLakeDirectoryClient(dirUrl);
    await dir.getFileClient("a/in.txt").upload(Buffer.from("in"));
    expect((await dir.getFileClient("a/in.txt").readToBuffer()).toString()).toBe("in");
    // The same SAS on another path fails its signature (sr=d signs the directory it was made for).
    const elsewhere = new DataLakeFileClient(dirUrl.replace("/tree?", "/outside.txt?"));
    expect((await failureOf(elsewhere.readToBuffer())).status).toBe(403);

    const fileUrl = await keyed()
      .getFileSystemClient("sasfs")
      .getFileClient("outside.txt")
      .generateSasUrl({
        permissions: FileSystemSASPermissions.parse("r"),
        expiresOn: new Date(Date.now() + hour),
      });
    expect((await new DataLakeFileClient(fileUrl).readToBuffer()).toString()).toBe("out");
  });

  it("move() with a SAS: allowed with m (the SAS in x-ms-rename-source), 403 without", async () => {
    const owner = fx.owner.client.getFileSystemClient("sasfs");
    await owner.getFileClient("mv/src.txt").upload(Buffer.from("moving"));
    const withoutM = new DataLakeFileSystemClient(await fsSasUrl("racwdl"));
    expect(await failureOf(withoutM.getFileClient("mv/src.txt").move("mv/dst.txt"))).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
    const withM = new DataLakeFileSystemClient(await fsSasUrl("racwdlm"));
    await withM.getFileClient("mv/src.txt").move("mv/dst.txt");
    expect((await owner.getFileClient("mv/dst.txt").readToBuffer()).toString()).toBe("moving");
    expect(await owner.getFileClient("mv/src.txt").exists()).toBe(false);
  });

  it("rsct/rscd (contentType, contentDisposition) answer a read in place of the stored headers", async () => {
    const url = await fsSasUrl("r", { contentType: "text/x-sas", contentDisposition: "attachment" });
    const read = await new DataLakeFileSystemClient(url).getFileClient("sas/one.txt").read();
    expect(read).toMatchObject({ contentType: "text/x-sas", contentDisposition: "attachment" });
    // Opened as a plain URL (a browser, curl): no x-ms-version, the SAS's sv stands for it.
    const [base, query] = url.split("?");
    const plain = await fx.arm.emu.request("GET", `${base}/sas/one.txt?${query}`);
    expect(plain.status).toBe(200);
    expect(plain.text).toBe("by SAS");
    expect(plain.headers["content-type"]).toBe("text/x-sas");
  });
});

describe("account SAS and Blob SAS", () => {
  it("an account SAS (DataLake generateAccountSasUrl, srt=sco) lists, creates filesystems and files", async () => {
    const url = keyed().generateAccountSasUrl(
      new Date(Date.now() + hour),
      AccountSASPermissions.parse("rwdlac"),
      "sco",
    );
    const service = new DataLakeServiceClient(url);
    const fs = service.getFileSystemClient("acctsas");
    await fs.create();
    await fs.getFileClient("f.txt").upload(Buffer.from("account sas"));
    const names: string[] = [];
    for await (const f of service.listFileSystems({ prefix: "acctsas" })) names.push(f.name);
    expect(names).toEqual(["acctsas"]);
    const objectsOnly = new DataLakeServiceClient(
      keyed().generateAccountSasUrl(new Date(Date.now() + hour), AccountSASPermissions.parse("rwdlac"), "o"),
    );
    expect(await failureOf(objectsOnly.getFileSystemClient("acctsas2").create())).toMatchObject({
      status: 403,
      code: "AuthorizationResourceTypeMismatch",
    });
  });

  it("a blob SAS from @azure/storage-blob generateSasUrl downloads its blob", async () => {
    const key = fx.arm.emu.emulator.storageAccounts.lookup(fx.account)!.keys.key2;
    const blob = new BlobServiceClient(fx.endpoint, new BlobKey(fx.account, key))
      .getContainerClient("sasfs")
      .getBlobClient("sas/one.txt");
    const url = await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse("r"),
      expiresOn: new Date(Date.now() + hour),
    });
    const { BlobClient } = await import("@azure/storage-blob");
    expect((await new BlobClient(url).downloadToBuffer()).toString()).toBe("by SAS");
    expect(await failureOf(new BlobClient(url).delete())).toMatchObject({ status: 403 });
  });

  it("no signature reaches the journal (its paths carry no query)", () => {
    const journal = JSON.stringify(fx.arm.emu.emulator.services.journal.entries(() => true));
    expect(journal).toContain("blob:path-none-get");
    expect(journal).not.toMatch(/sig=|sig%3D/i);
  });
});
