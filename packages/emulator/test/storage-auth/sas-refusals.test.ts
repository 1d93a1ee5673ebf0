import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  StorageSharedKeyCredential as BlobKey,
  generateAccountSASQueryParameters,
} from "@azure/storage-blob";
import {
  FileSystemSASPermissions,
  generateDataLakeSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCOUNT_NAME,
  type Call,
  type CaptureServer,
  grantOf as grant,
  startCaptureServer,
  testAccount,
  verifyPathStyle,
} from "./capture-server.js";

/**
 * What a SAS signed by the JS SDKs must not get: tampered, foreign, expired, early, from elsewhere, from an
 * account that refuses key-based access, or malformed. No error repeats the signature.
 */

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
}, 30_000);
afterAll(async () => server?.close());

const hour = 3600_000;
const expiresOn = () => new Date(Date.now() + hour);
const check = (pathAndQuery: string, call: Call = {}, account = server.account) =>
  verifyPathStyle(server, pathAndQuery, call, account);
const cred = () => new StorageSharedKeyCredential(ACCOUNT_NAME, server.account.keys.key1);
const accountSas = () =>
  generateAccountSASQueryParameters(
    {
      permissions: AccountSASPermissions.parse("r"),
      services: AccountSASServices.parse("b").toString(),
      resourceTypes: AccountSASResourceTypes.parse("o").toString(),
      expiresOn: expiresOn(),
    },
    new BlobKey(ACCOUNT_NAME, server.account.keys.key2),
  ).toString();

describe("SAS refusals", () => {
  const sasFor = (
    extra: { ipRange?: { start: string; end?: string }; startsOn?: Date; expiresOn?: Date } = {},
  ) =>
    generateDataLakeSASQueryParameters(
      {
        fileSystemName: "fs1",
        permissions: FileSystemSASPermissions.parse("rl"),
        expiresOn: extra.expiresOn ?? expiresOn(),
        ...extra,
      },
      cred(),
    ).toString();

  it("tampered signature, wrong key, tampered field: 403 AuthenticationFailed, and no signature in the error", () => {
    const sas = new URLSearchParams(sasFor());
    const sig = sas.get("sig")!;
    sas.set("sig", `${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`);
    const tampered = check(`/fs1/f?${sas}`);
    expect(tampered).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    expect(JSON.stringify(tampered)).not.toContain(sig.slice(1));
    const widened = new URLSearchParams(sasFor());
    widened.set("sp", "racwdl");
    expect(check(`/fs1/f?${widened}`)).toMatchObject({ code: "AuthenticationFailed" });
    expect(check(`/fs1/f?${sasFor()}`, {}, testAccount())).toMatchObject({ code: "AuthenticationFailed" });
  });

  it("SAS-05: expired and not yet valid are 403 AuthenticationFailed; no tolerance at the edges", () => {
    const start = new Date(Date.now() + 60_000);
    const end = new Date(Date.now() + 2 * hour);
    const sas = sasFor({ startsOn: start, expiresOn: end });
    const seconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
    expect(check(`/fs1/f?${sas}`)).toMatchObject({
      code: "AuthenticationFailed",
      detail: expect.stringContaining("time frame"),
    });
    expect(grant(check(`/fs1/f?${sas}`, { now: seconds(start) })).kind).toBe("sas");
    expect(check(`/fs1/f?${sas}`, { now: seconds(end) })).toMatchObject({ code: "AuthenticationFailed" });
  });

  it("sip: inside the range allowed, outside (or IPv6) 403 AuthorizationSourceIPMismatch", () => {
    const sas = sasFor({ ipRange: { start: "10.0.0.1", end: "10.0.0.9" } });
    expect(grant(check(`/fs1/f?${sas}`, { clientIp: "::ffff:10.0.0.5" })).kind).toBe("sas");
    expect(check(`/fs1/f?${sas}`, { clientIp: "10.0.0.10" })).toMatchObject({
      code: "AuthorizationSourceIPMismatch",
    });
    expect(check(`/fs1/f?${sas}`, { clientIp: "::1" })).toMatchObject({
      code: "AuthorizationSourceIPMismatch",
    });
  });

  it("key-signed SAS are refused with KeyBasedAuthenticationNotPermitted when allowSharedKeyAccess is false", () => {
    const locked = { ...server.account, allowSharedKeyAccess: false };
    expect(check(`/fs1/f?${sasFor()}`, {}, locked)).toMatchObject({
      code: "KeyBasedAuthenticationNotPermitted",
    });
    expect(check(`/fs1/f?${accountSas()}`, {}, locked)).toMatchObject({
      code: "KeyBasedAuthenticationNotPermitted",
    });
  });

  it("malformed fields: unknown permission letter, missing se, stored access policy (si) not served", () => {
    const bad = (change: Record<string, string | null>) => {
      const q = new URLSearchParams(sasFor());
      for (const [k, v] of Object.entries(change)) v === null ? q.delete(k) : q.set(k, v);
      return check(`/fs1/f?${q}`);
    };
    expect(bad({ sp: "rz" })).toMatchObject({
      code: "AuthenticationFailed",
      detail: expect.stringContaining("not well formed"),
    });
    expect(bad({ se: null })).toMatchObject({ code: "AuthenticationFailed" });
    expect(bad({ si: "policy1" })).toMatchObject({ code: "AuthorizationFailure" });
    expect(bad({ sv: "2014-02-14" })).toMatchObject({ code: "AuthenticationFailed" });
    expect(bad({ sr: "x" })).toMatchObject({ code: "AuthenticationFailed" });
  });
});
