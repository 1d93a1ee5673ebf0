import { randomUUID, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { importPKCS8, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { AuthenticationError, ClientAssertionCredential, ClientCertificateCredential } from "../src/index.js";
import { decodeJwt, fixture, journal, verifyWithJwks } from "./helpers.js";

const DATALAKE = "https://datalake.azure.net//.default";

describe("certificate and assertion credentials against the emulator", () => {
  const fx = fixture();
  const { tenantId, clientId, clientCertificatePath, clientPrivateKeyPath, url } = fx.connection;

  it("signs a PS256 assertion with the registered certificate and gets a token marked appidacr 2", async () => {
    const credential = new ClientCertificateCredential(
      tenantId,
      clientId,
      { certificatePath: clientCertificatePath, privateKeyPath: clientPrivateKeyPath },
      { cloud: fx.cloud },
    );
    const claims = await verifyWithJwks(fx, (await credential.getToken(DATALAKE)).token);
    expect(claims.appid).toBe(clientId);
    expect(claims.appidacr).toBe("2");
  });

  it("logs the token request at the verbose level with the assertion redacted, and not msal's client-info warning", async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const credential = new ClientCertificateCredential(
      tenantId,
      clientId,
      { certificatePath: clientCertificatePath, privateKeyPath: clientPrivateKeyPath },
      { cloud: fx.cloud, logger: { error: log, warning: log, info: log, verbose: log } },
    );
    await credential.getToken(DATALAKE);
    const request = lines.find((l) => /^POST .*\/oauth2\/v2\.0\/token/.test(l));
    expect(request).toMatch(
      /client_id=[0-9a-f-]{36}&scope=https:\/\/datalake\.azure\.net\/\/\.default&grant_type=client_credentials/,
    );
    expect(request).toContain("client_assertion=REDACTED");
    expect(request).toMatch(/ -> 200 \(request id [0-9a-f-]{36}\)$/);
    expect(lines.join("\n")).not.toMatch(/eyJ|No client info|x-client-SKU/);
  });

  it("accepts one PEM holding both certificate and key, and can send the chain (x5c)", async () => {
    const combined = readFileSync(clientCertificatePath, "utf8") + readFileSync(clientPrivateKeyPath, "utf8");
    const credential = new ClientCertificateCredential(
      tenantId,
      clientId,
      { certificate: combined },
      { cloud: fx.cloud, sendCertificateChain: true },
    );
    expect(decodeJwt((await credential.getToken(DATALAKE)).token).appidacr).toBe("2");
  });

  it("names AADSTS700027 when the certificate is not registered for the app", async () => {
    // The emulator's TLS CA is a real certificate, but not one of the app's credentials.
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const foreignKey = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const foreignCert = readFileSync(fx.connection.caCertificatePath, "utf8");
    const credential = new ClientCertificateCredential(
      tenantId,
      clientId,
      { certificate: foreignCert, privateKey: foreignKey },
      { cloud: fx.cloud },
    );
    const err = (await credential.getToken(DATALAKE).catch((e: unknown) => e)) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.aadsts).toBe(700027);
    expect(err.hint).toMatch(/certificate/);
    expect(err.message).not.toContain("PRIVATE KEY");
  });

  it("reports a missing certificate file clearly", async () => {
    const credential = new ClientCertificateCredential(tenantId, clientId, "/nonexistent/cert.pem", {
      cloud: fx.cloud,
    });
    await expect(credential.getToken(DATALAKE)).rejects.toThrow(/nonexistent\/cert\.pem/);
  });

  async function assertionSignedByApp(aud: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const cert = new X509Certificate(readFileSync(clientCertificatePath));
    const x5t = Buffer.from(cert.fingerprint.replace(/:/g, ""), "hex").toString("base64url");
    const key = await importPKCS8(readFileSync(clientPrivateKeyPath, "utf8"), "RS256");
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      jti: randomUUID(),
      iss: clientId,
      sub: clientId,
      aud,
      nbf: now,
      exp: now + 600,
      ...overrides,
    };
    return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", x5t }).sign(key);
  }

  it("sends the caller's assertion (RS256, x5t, v1 token URL as audience) and gets a token", async () => {
    let calls = 0;
    const credential = new ClientAssertionCredential(
      tenantId,
      clientId,
      () => {
        calls++;
        return assertionSignedByApp(`${url}/${tenantId}/oauth2/token`);
      },
      { cloud: fx.cloud },
    );
    const claims = decodeJwt((await credential.getToken(DATALAKE)).token);
    expect(claims.appidacr).toBe("2");
    expect(calls).toBeGreaterThanOrEqual(1);
  });

  it("names AADSTS700021 when the assertion's issuer is not the client id", async () => {
    const credential = new ClientAssertionCredential(
      tenantId,
      clientId,
      () => assertionSignedByApp(`${url}/${tenantId}/oauth2/v2.0/token`, { iss: "someone-else" }),
      { cloud: fx.cloud },
    );
    const err = (await credential
      .getToken("https://management.azure.com/.default")
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(err.aadsts).toBe(700021);
  });

  it("records certificate token requests in the journal without the assertion", async () => {
    const entries = await journal(fx);
    expect(entries.some((e) => e.op === "token-v2" && e.status === 200)).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
