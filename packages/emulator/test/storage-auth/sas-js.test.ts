import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  StorageSharedKeyCredential as BlobKey,
  BlobSASPermissions,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  SASProtocol,
} from "@azure/storage-blob";
import {
  DataLakeFileClient,
  DataLakeSASPermissions,
  DataLakeServiceClient,
  DirectorySASPermissions,
  FileSystemSASPermissions,
  generateDataLakeSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateRenameSource } from "../../src/storage-auth/index.js";
import { serviceSasStringToSign } from "../../src/storage-auth/sas-sign.js";
import { hmacSha256 } from "../../src/storage-auth/signature.js";
import {
  ACCOUNT_NAME,
  type Call,
  type CaptureServer,
  grantOf,
  sent,
  startCaptureServer,
  verifyPathStyle,
} from "./capture-server.js";

/**
 * Account and service SAS as `@azure/storage-blob` 12.34.0 (`generateAccountSASQueryParameters`,
 * `generateBlobSASQueryParameters`) and `@azure/storage-file-datalake` 12.31.0 (`generateDataLakeSASQueryParameters`,
 * `generateSasUrl`) sign them, at their default versions and at older layouts.
 */

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
}, 30_000);
afterAll(async () => server?.close());

const hour = 3600_000;
const expiresOn = () => new Date(Date.now() + hour);
const startsOn = () => new Date(Date.now() - 5 * 60_000);
const cred = () => new StorageSharedKeyCredential(ACCOUNT_NAME, server.account.keys.key1);

const check = (pathAndQuery: string, call: Call = {}, account = server.account) =>
  verifyPathStyle(server, pathAndQuery, call, account);
const grant = grantOf;

function accountSas(resourceTypes: string, services = "b", version?: string): string {
  return generateAccountSASQueryParameters(
    {
      permissions: AccountSASPermissions.parse("rwdlacup"),
      services: AccountSASServices.parse(services).toString(),
      resourceTypes: AccountSASResourceTypes.parse(resourceTypes).toString(),
      expiresOn: expiresOn(),
      startsOn: startsOn(),
      protocol: SASProtocol.Https,
      ...(version ? { version } : {}),
    },
    new BlobKey(ACCOUNT_NAME, server.account.keys.key2),
  ).toString();
}

function fsSas(permissions: string, version?: string): string {
  return generateDataLakeSASQueryParameters(
    {
      fileSystemName: "fs1",
      permissions: FileSystemSASPermissions.parse(permissions),
      expiresOn: expiresOn(),
      ...(version ? { version } : {}),
    },
    cred(),
  ).toString();
}

describe("account SAS", () => {
  it("SAS-07: ss=b&srt=sco at the SDK's version (ses line) works on the DFS endpoint, for every level", () => {
    const sas = accountSas("sco");
    expect(sas).toContain("sv=2026-10-06");
    const g = grant(check(`/fs1/dir/file.txt?${sas}`));
    expect(g).toMatchObject({
      sasKind: "account",
      resource: { type: "account" },
      ownerOfNewItems: "$superuser",
    });
    expect(g.authorize("path:create")).toBeUndefined();
    expect(g.authorize("path:setAccessControl")).toBeUndefined();
    expect(
      grant(check(`/fs1?resource=filesystem&${sas}`, { method: "PUT" })).authorize("container:create"),
    ).toBeUndefined();
    expect(grant(check(`/?comp=list&${sas}`)).authorize("service:listContainers")).toBeUndefined();
  });

  it("verifies the pre-2020-12-06 layout (no ses line) for an older sv", () => {
    const sas = accountSas("sco", "b", "2019-12-12");
    expect(grant(check(`/fs1/f?${sas}`)).sasKind).toBe("account");
  });

  it("SAS-08: srt=o creating a filesystem is 403 AuthorizationResourceTypeMismatch; ss without b is AuthorizationServiceMismatch", () => {
    const objectsOnly = grant(check(`/fs1?resource=filesystem&${accountSas("o")}`, { method: "PUT" }));
    expect(objectsOnly.authorize("container:create")).toMatchObject({
      status: 403,
      code: "AuthorizationResourceTypeMismatch",
    });
    expect(objectsOnly.authorize("path:read")).toBeUndefined();
    expect(check(`/fs1/f?${accountSas("sco", "qt")}`)).toMatchObject({
      status: 403,
      code: "AuthorizationServiceMismatch",
    });
  });

  it("SAS-06: spr=https used over HTTP is 403 AuthorizationProtocolMismatch", () => {
    expect(check(`/fs1/f?${accountSas("o")}`, { secure: false })).toMatchObject({
      status: 403,
      code: "AuthorizationProtocolMismatch",
    });
  });
});

describe("service SAS (DataLake and Blob SDKs)", () => {
  it("SAS-01: sr=c, sp=racwdl, sv=2021-10-04: create/append/flush/read/list allowed, nothing else", () => {
    const sas = fsSas("racwdl", "2021-10-04");
    const g = grant(check(`/fs1/dir/new.txt?resource=file&${sas}`, { method: "PUT" }));
    expect(g).toMatchObject({ sasKind: "service", resource: { type: "container", filesystem: "fs1" } });
    for (const op of [
      "path:create",
      "path:append",
      "path:write",
      "path:read",
      "container:list",
      "path:delete",
    ] as const)
      expect(g.authorize(op), op).toBeUndefined();
    expect(g.authorize("path:setAccessControl")).toMatchObject({ code: "AuthorizationPermissionMismatch" });
    expect(g.authorize("container:create")).toMatchObject({ code: "AuthorizationPermissionMismatch" });
    expect(g.authorize("path:read", { filesystem: "fs2", path: "x" })).toMatchObject({
      code: "AuthorizationPermissionMismatch",
    });
  });

  it("SAS-02: an sv=2021-10-04 SAS signed with the pre-2020-12-06 layout is 403 AuthenticationFailed", () => {
    const ok = new URLSearchParams(fsSas("racwdl", "2021-10-04"));
    const fields = Object.fromEntries(ok);
    const oldLayout = serviceSasStringToSign(`/blob/${ACCOUNT_NAME}/fs1`, { ...fields, sv: "2020-02-10" });
    ok.set("sig", hmacSha256(Buffer.from(server.account.keys.key1, "base64"), oldLayout).toString("base64"));
    expect(check(`/fs1/a?${ok}`)).toMatchObject({
      code: "AuthenticationFailed",
      detail: expect.stringContaining("Signature did not match"),
    });
    // The same layout with its own version is what the SDK signs for sv=2020-02-10, and it verifies.
    expect(grant(check(`/fs1/a?${fsSas("racwdl", "2020-02-10")}`)).sasKind).toBe("service");
    expect(grant(check(`/fs1/a?${fsSas("rl", "2018-11-09")}`)).sasKind).toBe("service");
  });

  it("SAS-04: without l, list paths is 403 AuthorizationPermissionMismatch", () => {
    const g = grant(check(`/fs1?resource=filesystem&recursive=true&${fsSas("racwd")}`));
    expect(g.authorize("container:list")).toMatchObject({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
  });

  it("sr=b from DataLake generateSasUrl (%-encoded names) and from generateBlobSASQueryParameters: that file only", async () => {
    const client = new DataLakeServiceClient(server.pathStyleUrl, cred())
      .getFileSystemClient("fs1")
      .getFileClient("dir/ü x.txt");
    const url = new URL(
      await client.generateSasUrl({
        permissions: DataLakeSASPermissions.parse("rwe"),
        expiresOn: expiresOn(),
      }),
    );
    const pathAndQuery = `${url.pathname.slice(ACCOUNT_NAME.length + 1)}${url.search}`;
    const g = grant(check(pathAndQuery));
    expect(g.resource).toEqual({ type: "blob", filesystem: "fs1", path: "dir/ü x.txt" });
    expect(g.authorize("path:getAccessControl")).toBeUndefined();
    expect(g.authorize("path:delete")).toMatchObject({ code: "AuthorizationPermissionMismatch" });
    // Wrong resource: the signature covers the path, so another file fails authentication.
    expect(check(pathAndQuery.replace("x.txt", "y.txt"))).toMatchObject({ code: "AuthenticationFailed" });
    const blobSas = generateBlobSASQueryParameters(
      {
        containerName: "fs1",
        blobName: "a/b.bin",
        permissions: BlobSASPermissions.parse("r"),
        expiresOn: expiresOn(),
        startsOn: startsOn(),
      },
      new BlobKey(ACCOUNT_NAME, server.account.keys.key2),
    ).toString();
    expect(grant(check(`/fs1/a/b.bin?${blobSas}`)).authorize("path:read")).toBeUndefined();
    expect(grant(check(`/fs1/a%2Fb.bin?${blobSas}`)).authorize("path:read")).toBeUndefined();
  });

  it("SAS-03: sr=d&sdd=2 for a/b: a/b/c/f allowed, a/x 403, no escape through .., listing with directory=", async () => {
    const dir = new DataLakeServiceClient(server.pathStyleUrl, cred())
      .getFileSystemClient("fs1")
      .getDirectoryClient("a/b");
    const url = new URL(
      await dir.generateSasUrl({
        permissions: DirectorySASPermissions.parse("racwdlmeop"),
        expiresOn: expiresOn(),
      }),
    );
    const sas = url.search.slice(1);
    expect(sas).toMatch(/sr=d/);
    expect(sas).toMatch(/sdd=2/);
    const deep = grant(check(`/fs1/a/b/c/f?${sas}`, { method: "DELETE" }));
    expect(deep.resource).toEqual({ type: "directory", filesystem: "fs1", path: "a/b" });
    expect(deep.authorize("path:delete")).toBeUndefined();
    expect(grant(check(`/fs1/a/b?${sas}`)).authorize("path:setOwner")).toBeUndefined();
    expect(grant(check(`/fs1/a/b?${sas}`)).authorize("path:setAccessControl")).toBeUndefined();
    expect(check(`/fs1/a/x/f?${sas}`)).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    expect(check(`/fs1/a?${sas}`)).toMatchObject({ status: 403 });
    expect(grant(check(`/fs1/a/b/..%2F..%2Fsecret?${sas}`)).authorize("path:read")).toMatchObject({
      code: "AuthorizationPermissionMismatch",
    });
    const listing = grant(check(`/fs1?resource=filesystem&directory=a%2Fb&recursive=true&${sas}`));
    expect(listing.authorize("container:list")).toBeUndefined();
    expect(listing.authorize("container:list", { filesystem: "fs1", path: "a" })).toMatchObject({
      code: "AuthorizationPermissionMismatch",
    });
  });

  it("RN-09: a rename whose x-ms-rename-source carries a SAS is authorised by that SAS (m), sent by the SDK", async () => {
    const fs = new DataLakeServiceClient(server.pathStyleUrl, cred()).getFileSystemClient("fs1");
    const sasUrl = await fs.generateSasUrl({
      permissions: FileSystemSASPermissions.parse("rcwdlm"),
      expiresOn: expiresOn(),
    });
    const file = new DataLakeFileClient(`${sasUrl.replace("?", "/dir/src.txt?")}`);
    const [rename] = await sent(server, () => file.move("dir/dst.txt"));
    // JS path style: the destination comes without the account segment (see capture-server's pathStyleOf).
    expect(rename!.request.rawUrl).toMatch(/^\/fs1\/dir\/dst.txt\?/);
    expect(rename!.result).toMatchObject({ kind: "sas", target: { filesystem: "fs1", path: "dir/dst.txt" } });
    const source = String(rename!.request.headers["x-ms-rename-source"]);
    expect(source).toMatch(new RegExp(`^/${ACCOUNT_NAME}/fs1/dir/src.txt\\?.*sig=`));
    const verdict = authenticateRenameSource(source, rename!.request, server.account, {
      userDelegationKeys: server.keys,
    });
    if (verdict.kind !== "renameSource" || !verdict.sas) throw new Error(JSON.stringify(verdict));
    expect(verdict.source).toEqual({ filesystem: "fs1", path: "dir/src.txt" });
    expect(verdict.sas.authorize("path:renameSource", verdict.source)).toBeUndefined();
    const noMove = authenticateRenameSource(
      `/fs1/dir/src.txt?${fsSas("rcwdl")}`,
      { ...rename!.request, pathStyle: false },
      server.account,
      { userDelegationKeys: server.keys },
    );
    if (noMove.kind !== "renameSource" || !noMove.sas) throw new Error(JSON.stringify(noMove));
    expect(noMove.sas.authorize("path:renameSource", noMove.source)).toMatchObject({
      code: "AuthorizationPermissionMismatch",
    });
  });
});
