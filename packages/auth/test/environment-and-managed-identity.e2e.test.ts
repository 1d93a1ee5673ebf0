import { describe, expect, it } from "vitest";
import {
  type AuthenticationError,
  ChainedTokenCredential,
  ClientSecretCredential,
  CredentialUnavailableError,
  EnvironmentCredential,
  ManagedIdentityCredential,
} from "../src/index.js";
import { decodeJwt, fixture } from "./helpers.js";

const DATALAKE = "https://datalake.azure.net//.default";

describe("environment, managed identity and chains", () => {
  const fx = fixture();
  const c = fx.connection;

  it("EnvironmentCredential uses AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET", async () => {
    const env = {
      AZURE_TENANT_ID: c.tenantId,
      AZURE_CLIENT_ID: c.clientId,
      AZURE_CLIENT_SECRET: c.clientSecret,
      AZURE_AUTHORITY_HOST: c.authorityHost,
    };
    const token = await new EnvironmentCredential({ env, caPem: fx.caPem }).getToken(DATALAKE);
    expect(decodeJwt(token.token).appidacr).toBe("1");
  });

  it("EnvironmentCredential uses AZURE_CLIENT_CERTIFICATE_PATH when there is no secret", async () => {
    const { readFileSync, writeFileSync, mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(`${tmpdir()}/adlkit-env-`);
    const pem = `${dir}/app.pem`;
    writeFileSync(
      pem,
      readFileSync(c.clientCertificatePath, "utf8") + readFileSync(c.clientPrivateKeyPath, "utf8"),
      { mode: 0o600 },
    );
    const env = {
      AZURE_TENANT_ID: c.tenantId,
      AZURE_CLIENT_ID: c.clientId,
      AZURE_CLIENT_CERTIFICATE_PATH: pem,
      AZURE_AUTHORITY_HOST: c.authorityHost,
    };
    const token = await new EnvironmentCredential({ env, caPem: fx.caPem }).getToken(DATALAKE);
    expect(decodeJwt(token.token).appidacr).toBe("2");
  });

  it("EnvironmentCredential says which variables are missing", async () => {
    const err = await new EnvironmentCredential({ env: { AZURE_TENANT_ID: c.tenantId } })
      .getToken(DATALAKE)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialUnavailableError);
    expect((err as Error).message).toMatch(
      /AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH are not set/,
    );
  });

  it("ManagedIdentityCredential gets a token from the emulator's App Service endpoint", async () => {
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = c.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = c.managedIdentity.header;
    try {
      const token = await new ManagedIdentityCredential({ caPem: fx.caPem }).getToken(DATALAKE);
      const claims = decodeJwt(token.token);
      expect(claims.oid).toBe(c.managedIdentity.objectId);
      expect(claims.aud).toBe("https://datalake.azure.net/");
    } finally {
      for (const [key, value] of [
        ["IDENTITY_ENDPOINT", saved.endpoint],
        ["IDENTITY_HEADER", saved.header],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("a chain skips unavailable credentials and uses the first that works", async () => {
    const chain = new ChainedTokenCredential(
      new EnvironmentCredential({ env: {} }),
      new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, { cloud: fx.cloud }),
    );
    expect((await chain.getToken(DATALAKE)).token).toBeTruthy();
  });

  it("a chain stops at a real failure instead of hiding it", async () => {
    const chain = new ChainedTokenCredential(
      new ClientSecretCredential(c.tenantId, c.clientId, "wrong-secret-value", { cloud: fx.cloud }),
      new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, { cloud: fx.cloud }),
    );
    const err = (await chain.getToken(DATALAKE).catch((e: unknown) => e)) as AuthenticationError;
    expect(err.aadsts).toBe(7000215);
  });
});
