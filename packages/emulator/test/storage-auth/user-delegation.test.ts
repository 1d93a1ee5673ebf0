import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  type UserDelegationKey,
} from "@azure/storage-blob";
import {
  DataLakeSASPermissions,
  DataLakeServiceClient,
  DirectorySASPermissions,
  generateDataLakeSASQueryParameters,
} from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseKeyInfo, UserDelegationKeys } from "../../src/storage-auth/index.js";
import {
  ACCOUNT_NAME,
  BEARER_OID,
  type CaptureServer,
  grantOf,
  sent,
  startCaptureServer,
  TENANT,
  verifyPathStyle,
} from "./capture-server.js";

/**
 * Get User Delegation Key through the JS SDKs' own `getUserDelegationKey` (XML both ways), then user delegation
 * SAS signed with that key by `generateDataLakeSASQueryParameters` (default sv 2026-06-06: the 2025-07-05
 * layout) and `generateBlobSASQueryParameters` (default sv 2026-10-06: the 2026-04-06 layout, dynamic fields).
 */

/** A bearer credential: the capture server hands bearer callers on, it does not check the token. */
const bearer = {
  getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3600_000 }),
};

let server: CaptureServer;
let key: UserDelegationKey;
beforeAll(async () => {
  server = await startCaptureServer();
  const now = Date.now();
  const client = new DataLakeServiceClient(server.pathStyleUrl, bearer, { retryOptions: { maxTries: 1 } });
  key = await client.getUserDelegationKey(new Date(now - 60_000), new Date(now + 24 * 3600_000));
}, 30_000);
afterAll(async () => server?.close());

const check = (
  pathAndQuery: string,
  account = server.account,
  headers: Record<string, string> = {},
  now?: Date,
) => verifyPathStyle(server, pathAndQuery, { headers, ...(now ? { now } : {}) }, account);
const grant = grantOf;

const expiresOn = () => new Date(Date.now() + 3600_000);

describe("Get User Delegation Key", () => {
  it("BX-04: the JS SDK gets a key for its bearer principal: oid, tenant, times, service b, version", () => {
    expect(key).toMatchObject({ signedObjectId: BEARER_OID, signedTenantId: TENANT, signedService: "b" });
    expect(key.signedVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Buffer.from(key.value, "base64")).toHaveLength(32);
    const last = server.captured.at(-1)!;
    expect(last.request.method).toBe("POST");
    expect(last.request.rawUrl).toContain("comp=userdelegationkey");
    expect(last.body.toString()).toMatch(/<KeyInfo><Start>.+<\/Start><Expiry>.+<\/Expiry><\/KeyInfo>/);
  });

  it("refuses expiry beyond 7 days or before start with 400 InvalidXmlNodeValue, and bad XML with 400 InvalidXmlDocument", async () => {
    const client = new BlobServiceClient(server.pathStyleUrl, bearer, { retryOptions: { maxTries: 1 } });
    const now = Date.now();
    const [tooLong] = await sent(server, () =>
      client.getUserDelegationKey(new Date(now), new Date(now + 8 * 24 * 3600_000)),
    );
    expect(tooLong!.result.kind).toBe("bearer");
    const day = 24 * 3600_000;
    expect(
      parseKeyInfo(
        `<KeyInfo><Expiry>${new Date(now + 8 * day).toISOString()}</Expiry></KeyInfo>`,
        new Date(now),
      ),
    ).toMatchObject({ status: 400, code: "InvalidXmlNodeValue" });
    expect(
      parseKeyInfo(
        "<KeyInfo><Start>2030-01-02T00:00:00Z</Start><Expiry>2030-01-01T00:00:00Z</Expiry></KeyInfo>",
        new Date("2029-12-31T00:00:00Z"),
      ),
    ).toMatchObject({ code: "InvalidXmlNodeValue" });
    expect(parseKeyInfo("<KeyInfo><Expiry>tomorrow</Expiry></KeyInfo>", new Date(now))).toMatchObject({
      code: "InvalidXmlNodeValue",
    });
    expect(parseKeyInfo("<NotKeyInfo/>", new Date(now))).toMatchObject({
      status: 400,
      code: "InvalidXmlDocument",
    });
    expect(
      parseKeyInfo(`<KeyInfo><Expiry>x</Expiry><Evil><a/></Evil></KeyInfo>`, new Date(now)),
    ).toMatchObject({ code: "InvalidXmlDocument" });
    expect(parseKeyInfo("x".repeat(5000), new Date(now))).toMatchObject({ code: "InvalidXmlDocument" });
  });

  it("derives the same key for the same inputs, another for another secret, oid, account or time", () => {
    const secret = Buffer.alloc(32, 7);
    const info = { start: Date.parse("2030-01-01T00:00:00Z"), expiry: Date.parse("2030-01-02T00:00:00Z") };
    const a = new UserDelegationKeys(secret).issue("acct", { oid: "o1", tid: "t1" }, info, "2025-01-05");
    expect(
      new UserDelegationKeys(secret).issue("acct", { oid: "o1", tid: "t1" }, info, "2025-01-05"),
    ).toEqual(a);
    expect(
      new UserDelegationKeys(Buffer.alloc(32, 8)).issue("acct", { oid: "o1", tid: "t1" }, info, "2025-01-05")
        .value,
    ).not.toBe(a.value);
    expect(
      new UserDelegationKeys(secret).issue("acct", { oid: "o2", tid: "t1" }, info, "2025-01-05").value,
    ).not.toBe(a.value);
    expect(
      new UserDelegationKeys(secret).issue("acct2", { oid: "o1", tid: "t1" }, info, "2025-01-05").value,
    ).not.toBe(a.value);
    expect(
      new UserDelegationKeys(secret).issue(
        "acct",
        { oid: "o1", tid: "t1" },
        { ...info, expiry: info.expiry + 1000 },
        "2025-01-05",
      ).value,
    ).not.toBe(a.value);
    expect(() => new UserDelegationKeys(Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe("user delegation SAS", () => {
  it("SAS-09: a DataLake UD SAS (sv 2026-06-06) from the key reads; delegator and owner reported", () => {
    const sas = generateDataLakeSASQueryParameters(
      {
        fileSystemName: "fs1",
        pathName: "dir/f.txt",
        permissions: DataLakeSASPermissions.parse("r"),
        expiresOn: expiresOn(),
      },
      key,
      ACCOUNT_NAME,
    ).toString();
    expect(sas).toContain("sv=2026-06-06");
    const g = grant(check(`/fs1/dir/f.txt?${sas}`));
    expect(g).toMatchObject({
      sasKind: "userDelegation",
      delegator: { objectId: BEARER_OID, tenantId: TENANT },
      ownerOfNewItems: BEARER_OID,
    });
    expect(g.aclObjectId).toBeUndefined();
    expect(g.authorize("path:read")).toBeUndefined();
    expect(g.authorize("path:write")).toMatchObject({ code: "AuthorizationPermissionMismatch" });
  });

  it("suoid: ACLs are to be checked as that oid; saoid: acting oid without ACL checks (directory SAS, sv 2020-02-10 and 2021-10-04)", () => {
    for (const version of ["2020-02-10", "2021-10-04", undefined]) {
      const suoid = generateDataLakeSASQueryParameters(
        {
          fileSystemName: "fs1",
          pathName: "d",
          isDirectory: true,
          permissions: DirectorySASPermissions.parse("rl"),
          expiresOn: expiresOn(),
          agentObjectId: "u-1",
          correlationId: "c-1",
          ...(version ? { version } : {}),
        },
        key,
        ACCOUNT_NAME,
      ).toString();
      expect(grant(check(`/fs1/d/x?${suoid}`))).toMatchObject({
        aclObjectId: "u-1",
        actingObjectId: "u-1",
        correlationId: "c-1",
      });
      const saoid = generateDataLakeSASQueryParameters(
        {
          fileSystemName: "fs1",
          permissions: DirectorySASPermissions.parse("rl"),
          expiresOn: expiresOn(),
          preauthorizedAgentObjectId: "a-1",
          ...(version ? { version } : {}),
        },
        key,
        ACCOUNT_NAME,
      ).toString();
      const g = grant(check(`/fs1/d/x?${saoid}`));
      expect(g).toMatchObject({ actingObjectId: "a-1", ownerOfNewItems: "a-1" });
      expect(g.aclObjectId).toBeUndefined();
    }
  });

  it("a Blob UD SAS at sv 2026-10-06 with signed request headers and query parameters (dynamic SAS)", () => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: "fs1",
        blobName: "b.bin",
        permissions: BlobSASPermissions.parse("r"),
        expiresOn: expiresOn(),
        requestHeaders: { "x-ms-client-request-id": "req-1" },
        requestQueryParameters: { timeout: "30" },
      },
      key,
      ACCOUNT_NAME,
    ).toString();
    expect(sas).toContain("sv=2026-10-06");
    expect(sas).toContain("srh=");
    expect(
      grant(check(`/fs1/b.bin?timeout=30&${sas}`, server.account, { "x-ms-client-request-id": "req-1" }))
        .kind,
    ).toBe("sas");
    expect(
      check(`/fs1/b.bin?timeout=31&${sas}`, server.account, { "x-ms-client-request-id": "req-1" }),
    ).toMatchObject({ code: "AuthenticationFailed" });
    expect(
      check(`/fs1/b.bin?timeout=30&${sas}`, server.account, { "x-ms-client-request-id": "req-2" }),
    ).toMatchObject({ code: "AuthenticationFailed" });
    const plain = generateBlobSASQueryParameters(
      { containerName: "fs1", permissions: BlobSASPermissions.parse("r"), expiresOn: expiresOn() },
      key,
      ACCOUNT_NAME,
    ).toString();
    expect(
      grant(check(`/fs1?restype=container&${plain}`)).authorize("container:getProperties"),
    ).toBeUndefined();
  });

  it("works with allowSharedKeyAccess false; refuses a forged key field, a key from another secret, an expired key", () => {
    const sas = generateDataLakeSASQueryParameters(
      { fileSystemName: "fs1", permissions: DataLakeSASPermissions.parse("r"), expiresOn: expiresOn() },
      key,
      ACCOUNT_NAME,
    ).toString();
    expect(grant(check(`/fs1/f?${sas}`, { ...server.account, allowSharedKeyAccess: false })).kind).toBe(
      "sas",
    );
    const forged = new URLSearchParams(sas);
    forged.set("skoid", "99999999-2222-3333-4444-555555555555");
    expect(check(`/fs1/f?${forged}`)).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    const otherKey = new UserDelegationKeys(Buffer.alloc(32, 1)).issue(
      ACCOUNT_NAME,
      { oid: BEARER_OID, tid: TENANT },
      { start: Date.now() - 1000, expiry: Date.now() + 3600_000 },
      "2025-01-05",
    );
    const foreign = generateDataLakeSASQueryParameters(
      { fileSystemName: "fs1", permissions: DataLakeSASPermissions.parse("r"), expiresOn: expiresOn() },
      {
        signedObjectId: otherKey.signedOid,
        signedTenantId: otherKey.signedTid,
        signedStartsOn: new Date(otherKey.signedStart),
        signedExpiresOn: new Date(otherKey.signedExpiry),
        signedService: "b",
        signedVersion: otherKey.signedVersion,
        value: otherKey.value,
      },
      ACCOUNT_NAME,
    ).toString();
    expect(check(`/fs1/f?${foreign}`)).toMatchObject({ code: "AuthenticationFailed" });
    const afterKey = new Date(key.signedExpiresOn.getTime() + 1000);
    expect(check(`/fs1/f?${sas}`, server.account, {}, afterKey)).toMatchObject({
      code: "AuthenticationFailed",
      detail: expect.stringContaining("user delegation key"),
    });
    const leak = JSON.stringify(check(`/fs1/f?${forged}`));
    expect(leak).not.toContain(key.value);
    expect(leak).not.toContain(forged.get("sig")!);
  });
});
