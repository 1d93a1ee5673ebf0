import { createHash, randomUUID, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { importPKCS8, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator, type TestResponse } from "../helpers/test-emulator.js";

/**
 * Issue 16, finding 8: input that cannot be decoded or is too large is a 4xx in the error shape of the part it
 * reaches (Entra's JSON error at the token endpoint, the admin API's `{"error":{code,message}}`), never a 500,
 * and no answer carries a stack trace.
 */
let emu: TestEmulator;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

beforeAll(async () => {
  emu = await startTestEmulator();
}, 60_000);
afterAll(() => emu?.close());

function expectNoStack(res: TestResponse): void {
  expect(res.text).not.toMatch(/\n\s+at |node:internal|\.ts:\d+|\.js:\d+/);
}

function expectEntraError(res: TestResponse, status: number, error: string): void {
  expect(res.status, res.text).toBe(status);
  const body = res.json();
  expect(body.error).toBe(error);
  expect(body.error_description).toMatch(/^AADSTS\d+: /);
  expect(Array.isArray(body.error_codes)).toBe(true);
  expectNoStack(res);
}

const tokenUrl = () => `${emu.url}/${emu.emulator.connection.tenantId}/oauth2/token`;
const adminHeaders = () => ({
  "x-adl-emulator-key": emu.emulator.connection.adminKey,
  "content-type": "application/json",
});

describe("bad input is a 4xx in the service's error shape", () => {
  it("Authorization: Basic with invalid percent-encoding in the client id or secret: 400 invalid_request", async () => {
    const c = emu.emulator.connection;
    for (const pair of [`%zz:${c.clientSecret}`, `${c.clientId}:%E0%A4%A`, "%:%"]) {
      const res = await emu.request("POST", tokenUrl(), {
        headers: { ...FORM, authorization: `Basic ${Buffer.from(pair).toString("base64")}` },
        body: "grant_type=client_credentials&resource=https%3A%2F%2Fdatalake.azure.net%2F",
      });
      expectEntraError(res, 400, "invalid_request");
      expect(res.json().error_description).toContain("Basic");
    }
  });

  it("a token form over 64 KiB: 413 with Entra's JSON error, and the connection still answers", async () => {
    const res = await emu.request("POST", tokenUrl(), {
      headers: FORM,
      body: `grant_type=client_credentials&pad=${"a".repeat(65 * 1024)}`,
    });
    expectEntraError(res, 413, "invalid_request");
    expect((await emu.request("GET", `${emu.url}/_emulator/health`)).status).toBe(200);
  });

  it("a 2 MB admin body: 413 RequestEntityTooLarge, and nothing changes", async () => {
    const before = await emu.request("GET", `${emu.url}/_emulator/faults`, { headers: adminHeaders() });
    for (const [method, route] of [
      ["PUT", "faults"],
      ["PATCH", "config"],
    ] as const) {
      const res = await emu.request(method, `${emu.url}/_emulator/${route}`, {
        headers: adminHeaders(),
        body: `[${" ".repeat(2 * 1024 * 1024)}]`,
      });
      expect(res.status, res.text).toBe(413);
      expect(res.json().error.code).toBe("RequestEntityTooLarge");
      expectNoStack(res);
    }
    const after = await emu.request("GET", `${emu.url}/_emulator/faults`, { headers: adminHeaders() });
    expect(after.text).toBe(before.text);
  });

  it("an admin body that is not JSON: 400 InvalidRequest", async () => {
    const res = await emu.request("PUT", `${emu.url}/_emulator/faults`, {
      headers: adminHeaders(),
      body: "{not json",
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json().error.code).toBe("InvalidRequest");
  });

  it("a client assertion whose audience has invalid percent-encoding: 401 invalid_client, not a 500", async () => {
    const c = emu.emulator.connection;
    const der = new X509Certificate(readFileSync(c.clientCertificatePath, "utf8")).raw;
    const key = await importPKCS8(readFileSync(c.clientPrivateKeyPath, "utf8"), "RS256");
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({
      aud: `${emu.url}/%zz/oauth2/token`,
      iss: c.clientId,
      sub: c.clientId,
      jti: randomUUID(),
      nbf: now,
      exp: now + 600,
    })
      .setProtectedHeader({ alg: "RS256", x5t: createHash("sha1").update(der).digest("base64url") })
      .sign(key);
    const res = await emu.request("POST", tokenUrl(), {
      headers: FORM,
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: c.clientId,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: jwt,
        resource: "https://datalake.azure.net/",
      }).toString(),
    });
    expectEntraError(res, 401, "invalid_client");
  });

  it("paths with invalid percent-encoding: 4xx in each part's shape", async () => {
    const c = emu.emulator.connection;
    const cases = [
      `/%E0%A4%A/oauth2/token`,
      `/subscriptions/${c.subscriptionId}/resourcegroups/%zz?api-version=2022-09-01`,
      `/_emulator/%zz`,
    ];
    for (const target of cases) {
      const res = await emu.request("GET", `${emu.url}${target}`, {
        headers: { authorization: `Bearer ${await emu.token("https://management.azure.com/")}` },
      });
      expect(res.status, `${target}: ${res.text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${target}: ${res.text}`).toBeLessThan(500);
      expect(res.json().error).toBeDefined();
      expectNoStack(res);
    }
  });
});
