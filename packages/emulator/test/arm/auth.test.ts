import { createPrivateKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmFixture, armError, startArmFixture } from "./arm-fixture.js";

const OTHER_TENANT = randomUUID();
const OTHER_SUBSCRIPTION = randomUUID();
const OTHER_APP = { clientId: randomUUID(), secret: "other-tenant-secret~._-value" };
const ARM_AUDIENCES = [
  "https://management.core.windows.net/",
  "https://management.core.windows.net",
  "https://management.azure.com/",
  "https://management.azure.com",
];

describe("ARM authentication (items 44-46, 48)", () => {
  let fx: ArmFixture;
  let tenant: string;

  beforeAll(async () => {
    fx = await startArmFixture({
      tenants: [
        {
          id: OTHER_TENANT,
          applications: [{ clientId: OTHER_APP.clientId, secrets: [OTHER_APP.secret] }],
          subscriptions: [{ id: OTHER_SUBSCRIPTION, displayName: "other" }],
        },
      ],
    });
    tenant = fx.emu.emulator.connection.tenantId;
  }, 60_000);
  afterAll(() => fx.close());

  /** Claims of a genuine ARM token, for forging variants of it. */
  function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const oid = fx.emu.emulator.connection.clientObjectId;
    return {
      aud: "https://management.azure.com/",
      iss: `https://sts.windows.net/${tenant}/`,
      tid: tenant,
      oid,
      sub: oid,
      appid: fx.emu.emulator.connection.clientId,
      appidacr: "1",
      ver: "1.0",
      iat: now - 300,
      nbf: now - 300,
      exp: now + 3600,
      ...overrides,
    };
  }

  async function signWithEmulatorKey(payload: Record<string, unknown>): Promise<string> {
    const key = createPrivateKey(
      readFileSync(path.join(fx.emu.dataDir, "identity", "token-signing-key.pem"), "utf8"),
    );
    const kid = fx.emu.emulator.services.identity.keyId;
    return new SignJWT(payload).setProtectedHeader({ alg: "RS256", typ: "JWT", kid, x5t: kid }).sign(key);
  }

  async function otherTenantToken(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: OTHER_APP.clientId,
      client_secret: OTHER_APP.secret,
      resource: "https://management.azure.com/",
    });
    const res = await fx.emu.request("POST", `${fx.emu.url}/${OTHER_TENANT}/oauth2/token`, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(res.status).toBe(200);
    return res.json().access_token;
  }

  const subscriptionPath = () => `/subscriptions/${fx.sub}/resourcegroups`;

  it("answers a request without Authorization with 401 AuthenticationFailed and a Bearer challenge naming the tenant (item 44)", async () => {
    const res = await fx.arm("GET", subscriptionPath(), { token: null });
    expect(res.status).toBe(401);
    expect(armError(res)).toMatchObject({
      code: "AuthenticationFailed",
      message: "Authentication failed. The 'Authorization' header is missing.",
    });
    const challenge = String(res.headers["www-authenticate"]);
    expect(challenge).toMatch(
      new RegExp(
        `^Bearer authorization_uri="${fx.emu.url}/${tenant}", error="invalid_token", error_description="[^"]+"$`,
      ),
    );
    expect(res.headers["x-ms-correlation-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a token that is not a JWT with InvalidAuthenticationToken (item 45)", async () => {
    const res = await fx.arm("GET", subscriptionPath(), { token: "not-a-jwt" });
    expect(res.status).toBe(401);
    expect(armError(res).code).toBe("InvalidAuthenticationToken");
    expect(res.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it("refuses a non-Bearer Authorization header with InvalidAuthenticationToken", async () => {
    const res = await fx.arm("GET", subscriptionPath(), {
      token: null,
      headers: { authorization: "Basic dXNlcjpwYXNz" },
    });
    expect(res.status).toBe(401);
    expect(armError(res).code).toBe("InvalidAuthenticationToken");
  });

  it("refuses a token forged with another key under the emulator's kid (item 45)", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = fx.emu.emulator.services.identity.keyId;
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid })
      .sign(privateKey);
    const res = await fx.arm("GET", subscriptionPath(), { token: forged });
    expect(res.status).toBe(401);
    expect(armError(res).code).toBe("InvalidAuthenticationToken");
  });

  it("refuses an unsigned alg:none token (item 45)", async () => {
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const unsigned = `${part({ alg: "none", typ: "JWT" })}.${part(claims())}.`;
    const res = await fx.arm("GET", subscriptionPath(), { token: unsigned });
    expect(res.status).toBe(401);
    expect(armError(res).code).toBe("InvalidAuthenticationToken");
  });

  it("accepts a token the test signs itself with the emulator's key (the forgery tests above are meaningful)", async () => {
    const res = await fx.arm("GET", subscriptionPath(), { token: await signWithEmulatorKey(claims()) });
    expect(res.status).toBe(200);
  });

  it("refuses an expired token with ExpiredAuthenticationToken naming both times (item 45)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await signWithEmulatorKey(claims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 }));
    const res = await fx.arm("GET", subscriptionPath(), { token: expired });
    expect(res.status).toBe(401);
    const error = armError(res);
    expect(error.code).toBe("ExpiredAuthenticationToken");
    expect(error.message).toMatch(
      /^The access token expiry UTC time '\d{4}-\d\d-\d\dT[\d:.]+Z' is earlier than current UTC time '[^']+'\.$/,
    );
  });

  it("refuses a Data Lake token with InvalidAuthenticationTokenAudience listing the four ARM audiences (item 45)", async () => {
    const res = await fx.arm("GET", subscriptionPath(), {
      token: await fx.emu.token("https://datalake.azure.net/"),
    });
    expect(res.status).toBe(401);
    const error = armError(res);
    expect(error.code).toBe("InvalidAuthenticationTokenAudience");
    expect(error.message).toContain("'https://datalake.azure.net/'");
    for (const audience of ARM_AUDIENCES) expect(error.message).toContain(`'${audience}'`);
  });

  it("accepts every ARM audience spelling", async () => {
    for (const audience of ARM_AUDIENCES) {
      const res = await fx.arm("GET", subscriptionPath(), { token: await fx.emu.token(audience) });
      expect(res.status, audience).toBe(200);
    }
  });

  it("refuses a token from another tenant with InvalidAuthenticationTokenTenant and challenges with the owning tenant (item 45)", async () => {
    const res = await fx.arm("GET", subscriptionPath(), { token: await otherTenantToken() });
    expect(res.status).toBe(401);
    const error = armError(res);
    expect(error.code).toBe("InvalidAuthenticationTokenTenant");
    expect(error.message).toContain(`${fx.emu.url}/${tenant}`);
    expect(String(res.headers["www-authenticate"])).toContain(`authorization_uri="${fx.emu.url}/${tenant}"`);
  });

  it("refuses a token of a tenant the emulator does not know with InvalidAuthenticationTokenTenant", async () => {
    const stranger = randomUUID();
    const token = await signWithEmulatorKey(
      claims({ tid: stranger, iss: `https://sts.windows.net/${stranger}/` }),
    );
    const res = await fx.arm("GET", subscriptionPath(), { token });
    expect(res.status).toBe(401);
    expect(armError(res).code).toBe("InvalidAuthenticationTokenTenant");
  });

  it("lets the other tenant's token reach its own subscription, and lists only that one", async () => {
    const token = await otherTenantToken();
    expect((await fx.arm("GET", `/subscriptions/${OTHER_SUBSCRIPTION}`, { token })).json()).toMatchObject({
      subscriptionId: OTHER_SUBSCRIPTION,
      tenantId: OTHER_TENANT,
    });
    const list = (await fx.arm("GET", "/subscriptions", { token })).json();
    expect(list.value.map((s: { subscriptionId: string }) => s.subscriptionId)).toEqual([OTHER_SUBSCRIPTION]);
  });

  it("answers an unknown subscription with 404 SubscriptionNotFound (item 46)", async () => {
    const missing = randomUUID();
    const res = await fx.arm("GET", `/subscriptions/${missing}/resourcegroups`);
    expect(res.status).toBe(404);
    expect(armError(res)).toEqual({
      code: "SubscriptionNotFound",
      message: `The subscription '${missing}' could not be found.`,
    });
  });
});
