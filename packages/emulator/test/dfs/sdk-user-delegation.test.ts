import { BlobClient, BlobSASPermissions, generateBlobSASQueryParameters } from "@azure/storage-blob";
import {
  DataLakeFileClient,
  DataLakeFileSystemClient,
  DataLakeSASPermissions,
  DataLakeServiceClient,
  FileSystemSASPermissions,
  generateDataLakeSASQueryParameters,
  StorageSharedKeyCredential,
  type UserDelegationKey,
} from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, permissionsOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * User delegation SAS against the real emulator: the bearer owner gets a key through the SDKs' own
 * `getUserDelegationKey` (`POST /?restype=service&comp=userdelegationkey`), signs SAS with it
 * (`generateUserDelegationSasUrl`, `generateDataLakeSASQueryParameters`, `generateBlobSASQueryParameters`),
 * and the emulator honours them. Keys are for bearer principals with a data role only.
 */
let fx: DfsFixture;
let key: UserDelegationKey;
const hour = 3600_000;

beforeAll(async () => {
  fx = await startDfsFixture("udk");
  const fs = fx.owner.client.getFileSystemClient("udfs");
  await fs.create();
  await fs.getFileClient("shared/readme.txt").upload(Buffer.from("delegated"));
  key = await fx.owner.client.getUserDelegationKey(
    new Date(Date.now() - 60_000),
    new Date(Date.now() + 2 * hour),
  );
}, 60_000);
afterAll(() => fx?.close());

const permissions = (text: string) => FileSystemSASPermissions.parse(text);

describe("Get User Delegation Key", () => {
  it("gives the bearer owner a key for itself (oid, tenant, service b)", () => {
    expect(key).toMatchObject({
      signedObjectId: fx.owner.objectId,
      signedTenantId: fx.arm.emu.emulator.connection.tenantId,
      signedService: "b",
    });
    expect(Buffer.from(key.value, "base64")).toHaveLength(32);
  });

  it("refuses Shared Key and SAS callers (403 AuthenticationFailed) and a principal without a data role (403)", async () => {
    const accountKey = fx.arm.emu.emulator.storageAccounts.lookup(fx.account)!.keys.key1;
    const keyed = new DataLakeServiceClient(
      fx.endpoint,
      new StorageSharedKeyCredential(fx.account, accountKey),
    );
    const window = [new Date(), new Date(Date.now() + hour)] as const;
    expect(await failureOf(keyed.getUserDelegationKey(...window))).toMatchObject({
      status: 403,
      code: "AuthenticationFailed",
    });
    const sas = new DataLakeServiceClient(
      keyed.generateAccountSasUrl(new Date(Date.now() + hour), undefined, "sco").replace("sp=r", "sp=rwdlac"),
    );
    expect((await failureOf(sas.getUserDelegationKey(...window))).status).toBe(403);
    expect(await failureOf(fx.other.client.getUserDelegationKey(...window))).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
  });

  it("refuses an expiry more than 7 days ahead with 400 InvalidXmlNodeValue", async () => {
    expect(
      await failureOf(fx.owner.client.getUserDelegationKey(new Date(), new Date(Date.now() + 8 * 24 * hour))),
    ).toMatchObject({ status: 400, code: "InvalidXmlNodeValue" });
  });
});

describe("user delegation SAS", () => {
  it("DataLake generateUserDelegationSasUrl: a file SAS r reads; writing is 403", async () => {
    const url = await fx.owner.client
      .getFileSystemClient("udfs")
      .getFileClient("shared/readme.txt")
      .generateUserDelegationSasUrl(
        { permissions: DataLakeSASPermissions.parse("r"), expiresOn: new Date(Date.now() + hour) },
        key,
      );
    const file = new DataLakeFileClient(url);
    expect((await file.readToBuffer()).toString()).toBe("delegated");
    expect(await failureOf(file.append(Buffer.from("x"), 0, 1))).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
  });

  it("a filesystem SAS with suoid checks ACLs as that object id; new items are its own", async () => {
    const owner = fx.owner.client.getFileSystemClient("udfs");
    await owner.getDirectoryClient("team").create();
    const sas = generateDataLakeSASQueryParameters(
      {
        fileSystemName: "udfs",
        permissions: permissions("racwdl"),
        expiresOn: new Date(Date.now() + hour),
        agentObjectId: fx.other.objectId,
      },
      key,
      fx.account,
    ).toString();
    const asAgent = new DataLakeFileSystemClient(`${fx.endpoint}/udfs?${sas}`);
    // `other` has no rights on team/ (rwxr-x--- owned by the owner): the SAS alone does not let it write.
    expect(await failureOf(asAgent.getFileClient("team/a.txt").upload(Buffer.from("a")))).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
    // Traverse on the filesystem's root, everything on team/.
    await owner.getDirectoryClient("/").setPermissions(permissionsOf("rwxr-x--x"));
    await owner.getDirectoryClient("team").setAccessControl([
      { accessControlType: "user", entityId: "", defaultScope: false, permissions: rwx },
      { accessControlType: "group", entityId: "", defaultScope: false, permissions: rwx },
      { accessControlType: "other", entityId: "", defaultScope: false, permissions: rwx },
    ]);
    await asAgent.getFileClient("team/a.txt").upload(Buffer.from("a"));
    expect((await owner.getFileClient("team/a.txt").getAccessControl()).owner).toBe(fx.other.objectId);
  });

  it("a key field edited in the SAS breaks it: 403 AuthenticationFailed", async () => {
    const url = await fx.owner.client
      .getFileSystemClient("udfs")
      .generateUserDelegationSasUrl(
        { permissions: permissions("rl"), expiresOn: new Date(Date.now() + hour) },
        key,
      );
    const forged = url.replace(`skoid=${fx.owner.objectId}`, `skoid=${fx.other.objectId}`);
    expect(forged).not.toBe(url);
    const fs = new DataLakeFileSystemClient(forged);
    expect(await failureOf(fs.getFileClient("shared/readme.txt").readToBuffer())).toMatchObject({
      status: 403,
      code: "AuthenticationFailed",
    });
  });

  it("Blob generateBlobSASQueryParameters with a key from BlobServiceClient.getUserDelegationKey downloads", async () => {
    const service = fx.blob();
    const blobKey = await service.getUserDelegationKey(
      new Date(Date.now() - 60_000),
      new Date(Date.now() + hour),
    );
    const sas = generateBlobSASQueryParameters(
      {
        containerName: "udfs",
        blobName: "shared/readme.txt",
        permissions: BlobSASPermissions.parse("r"),
        expiresOn: new Date(Date.now() + hour),
      },
      blobKey,
      fx.account,
    ).toString();
    const blob = new BlobClient(`${fx.endpoint}/udfs/shared/readme.txt?${sas}`);
    expect((await blob.downloadToBuffer()).toString()).toBe("delegated");
  });
});

const rwx = { read: true, write: true, execute: true };
