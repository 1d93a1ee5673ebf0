import { inspect } from "node:util";
import { findSecrets, knownSecrets } from "@adlkit/testkit";
import { describe, expect, it } from "vitest";
import { AuthenticationError, ClientSecretCredential } from "../src/index.js";
import { decodeJwt, fixture, verifyWithJwks } from "./helpers.js";

const DATALAKE = "https://datalake.azure.net//.default";
const ARM = "https://management.azure.com/.default";

describe("ClientSecretCredential against the emulator", () => {
  const fx = fixture();
  const { tenantId, clientId, clientSecret, clientObjectId } = fx.connection;

  it("gets a Data Lake token through the v2 endpoint whose signature and claims check out", async () => {
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { cloud: fx.cloud });
    const token = await credential.getToken(DATALAKE);
    expect(token.tokenType).toBe("Bearer");
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 50 * 60_000);
    const claims = await verifyWithJwks(fx, token.token);
    expect(claims).toMatchObject({
      aud: "https://datalake.azure.net/",
      tid: tenantId,
      appid: clientId,
      oid: clientObjectId,
      sub: clientObjectId,
      appidacr: "1",
      ver: "1.0",
      idtyp: "app",
    });
    // msal-node computes expiry from its own clock and expires_in, so allow a few seconds of difference.
    expect(Math.abs(claims.exp! * 1000 - token.expiresOnTimestamp)).toBeLessThanOrEqual(5000);
  });

  it("gets an ARM token whose audience has no trailing slash, as Entra issues for management.azure.com/.default", async () => {
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { cloud: fx.cloud });
    const claims = decodeJwt((await credential.getToken(ARM)).token);
    expect(claims.aud).toBe("https://management.azure.com");
  });

  it("accepts the tenant's domain name as well as its id", async () => {
    const credential = new ClientSecretCredential(fx.connection.tenantDomain, clientId, clientSecret, {
      cloud: fx.cloud,
    });
    expect(decodeJwt((await credential.getToken(DATALAKE)).token).tid).toBe(tenantId);
  });

  it("names AADSTS7000215 and the fix for a wrong secret, without leaking either secret", async () => {
    const wrong = "not-the-secret-0123456789";
    const credential = new ClientSecretCredential(tenantId, clientId, wrong, { cloud: fx.cloud });
    const err = await credential.getToken(DATALAKE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    const auth = err as AuthenticationError;
    expect(auth.aadsts).toBe(7000215);
    expect(auth.code).toBe("AADSTS7000215");
    expect(auth.message).toContain("Invalid client secret");
    expect(auth.hint).toMatch(/secret's Value/);
    const rendered = `${auth.message}\n${auth.hint}\n${inspect(auth, { depth: 1 })}\n${inspect(credential, { depth: 5 })}`;
    expect(findSecrets(rendered, [...knownSecrets(fx.connection), wrong])).toEqual([]);
  });

  it("names AADSTS700016 for a client id that is not registered in the tenant", async () => {
    const credential = new ClientSecretCredential(
      tenantId,
      "00000000-0000-0000-0000-000000000001",
      clientSecret,
      { cloud: fx.cloud },
    );
    const err = (await credential.getToken(DATALAKE).catch((e: unknown) => e)) as AuthenticationError;
    expect(err.aadsts).toBe(700016);
    expect(err.hint).toMatch(/client \(application\) id/);
  });

  it("names AADSTS90002 for a tenant that does not exist", async () => {
    const credential = new ClientSecretCredential(
      "11111111-2222-3333-4444-555555555555",
      clientId,
      clientSecret,
      { cloud: fx.cloud },
    );
    const err = (await credential.getToken(DATALAKE).catch((e: unknown) => e)) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toMatch(/11111111-2222-3333-4444-555555555555/);
    expect(err.hint ?? "").toMatch(/tenant/i);
  });

  it("names AADSTS500011 for a resource the tenant does not know", async () => {
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { cloud: fx.cloud });
    const err = (await credential
      .getToken("https://vault.example.net/.default")
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(err.aadsts).toBe(500011);
  });

  it("names AADSTS1002012 for a client-credentials scope without /.default", async () => {
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { cloud: fx.cloud });
    const err = (await credential
      .getToken("https://datalake.azure.net/user_impersonation")
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(err.aadsts).toBe(1002012);
    expect(err.hint).toMatch(/\/\.default/);
  });

  it("explains an untrusted authority certificate instead of msal-node's bare endpoints_resolution_error", async () => {
    const { caPem: _dropped, ...untrusted } = fx.cloud;
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { cloud: untrusted });
    const err = (await credential.getToken(DATALAKE).catch((e: unknown) => e)) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toMatch(/certificate|CERT/i);
    expect(err.hint).toMatch(/NODE_EXTRA_CA_CERTS|caPem/);
  });

  it("refuses bad arguments before any network call", () => {
    expect(() => new ClientSecretCredential("", clientId, clientSecret)).toThrow(/tenantId/);
    expect(() => new ClientSecretCredential("common", clientId, clientSecret)).toThrow(/specific tenant/);
    expect(() => new ClientSecretCredential(tenantId, clientId, "")).toThrow(/clientSecret/);
    expect(
      () =>
        new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: "http://localhost:1" }),
    ).toThrow(/https/);
  });
});
