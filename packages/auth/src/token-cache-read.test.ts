import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CachedTokenQuery, readCachedAccessToken } from "./token-cache-file.js";

const NOW = 1_800_000_000;
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "a86dd7a4-f7f6-4492-ab1b-6e7bbea93e65";
const SCOPE = "https://datalake.azure.net//.default";
const QUERY: CachedTokenQuery = {
  host: "localhost:8443",
  tenantId: TENANT,
  clientId: CLIENT,
  scopes: [SCOPE],
};

/** An access token entry as msal-node serializes one for client credentials. */
function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    home_account_id: "",
    environment: "localhost:8443",
    credential_type: "AccessToken",
    client_id: CLIENT,
    secret: "token-value",
    realm: TENANT,
    target: SCOPE,
    cached_at: String(NOW - 60),
    expires_on: String(NOW + 3600),
    extended_expires_on: String(NOW + 7200),
    refresh_on: String(NOW + 1800),
    token_type: "Bearer",
    ...overrides,
  };
}

const dir = mkdtempSync(path.join(tmpdir(), "adlkit-token-cache-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function cacheFile(...entries: Array<Record<string, unknown>>): string {
  const file = path.join(dir, `${n++}.json`);
  const tokens = Object.fromEntries(entries.map((e, i) => [`key-${i}`, e]));
  writeFileSync(file, JSON.stringify({ Account: {}, IdToken: {}, AccessToken: tokens, RefreshToken: {} }));
  return file;
}
const read = (file: string, query: Partial<CachedTokenQuery> = {}, now = NOW) =>
  readCachedAccessToken(file, { ...QUERY, ...query }, now);

describe("readCachedAccessToken (the cache file read without msal-node)", () => {
  it("serves the one matching, valid token with its expiry and refresh times", async () => {
    expect(await read(cacheFile(entry()))).toEqual({
      token: "token-value",
      expiresOn: NOW + 3600,
      refreshOn: NOW + 1800,
    });
  });

  it("matches host, tenant, client, type and scopes case-insensitively, like msal-node", async () => {
    const file = cacheFile(entry({ environment: "LOCALHOST:8443", credential_type: "accesstoken" }));
    expect(
      await read(file, {
        tenantId: TENANT.toUpperCase(),
        clientId: CLIENT.toUpperCase(),
        scopes: [` ${SCOPE.toUpperCase()} `],
      }),
    ).toMatchObject({ token: "token-value" });
    // OIDC scopes beside a resource scope are not part of the lookup (msal-node drops them too).
    expect(await read(file, { scopes: [SCOPE, "offline_access"] })).toMatchObject({ token: "token-value" });
  });

  it("leaves msal-node's renewal margin and proactive refresh to msal-node", async () => {
    // 300 s before expiry msal-node renews; one second before that it still serves.
    expect(
      await read(cacheFile(entry({ expires_on: String(NOW + 299), refresh_on: undefined }))),
    ).toBeUndefined();
    expect(
      await read(cacheFile(entry({ expires_on: String(NOW + 301), refresh_on: undefined }))),
    ).toMatchObject({
      expiresOn: NOW + 301,
    });
    // refresh_on passed: msal-node refreshes before answering.
    expect(await read(cacheFile(entry({ refresh_on: String(NOW - 1) })))).toBeUndefined();
    expect(await read(cacheFile(entry({ refresh_on: "soon" })))).toBeUndefined();
    expect(await read(cacheFile(entry({ expires_on: "later" })))).toBeUndefined();
  });

  it("answers nothing for another host, tenant, client or scope", async () => {
    const file = cacheFile(entry());
    expect(await read(file, { host: "localhost:9443" })).toBeUndefined();
    expect(await read(file, { tenantId: "00000000-0000-0000-0000-000000000000" })).toBeUndefined();
    expect(await read(file, { clientId: "00000000-0000-0000-0000-000000000000" })).toBeUndefined();
    expect(await read(file, { scopes: ["https://management.azure.com/.default"] })).toBeUndefined();
    expect(await read(file, { scopes: [SCOPE, "https://management.azure.com/.default"] })).toBeUndefined();
    expect(await read(file, { scopes: ["  "] })).toBeUndefined();
  });

  it("leaves anything unusual to msal-node: several matches, user tokens, other schemes, unknown fields", async () => {
    expect(await read(cacheFile(entry(), entry({ secret: "other" })))).toBeUndefined();
    expect(await read(cacheFile(entry({ home_account_id: "uid.utid" })))).toBeUndefined();
    expect(await read(cacheFile(entry({ token_type: "pop" })))).toBeUndefined();
    expect(await read(cacheFile(entry({ credential_type: "AccessToken_With_AuthScheme" })))).toBeUndefined();
    expect(await read(cacheFile(entry({ requestedClaimsHash: "abc" })))).toBeUndefined();
    expect(await read(cacheFile(entry({ secret: "" })))).toBeUndefined();
    // One match among tokens of other clients is still one match.
    expect(await read(cacheFile(entry(), entry({ client_id: "someone-else", secret: "x" })))).toMatchObject({
      token: "token-value",
    });
  });

  it("answers nothing, without throwing, for a missing, corrupt or foreign file", async () => {
    expect(await read(path.join(dir, "missing.json"))).toBeUndefined();
    for (const text of ["not json", "[1,2]", "null", '{"AccessToken": 5}', '{"AccessToken": {"k": "v"}}']) {
      const file = path.join(dir, `${n++}.json`);
      writeFileSync(file, text);
      expect(await read(file)).toBeUndefined();
    }
  });
});
