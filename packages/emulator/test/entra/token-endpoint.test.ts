import { randomUUID, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { decodeJwt, importPKCS8, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/test-emulator.js";

const FORM = { "content-type": "application/x-www-form-urlencoded;charset=utf-8" };
const OTHER_TENANT = "0d3e6e1c-7d7b-4a0b-9a55-0a1b2c3d4e5f";
const EXPIRED_APP = "5f0c3b7e-1111-4c2d-9e8f-abcdefabcdef";

describe("Entra token endpoints", () => {
  let emu: TestEmulator;
  let c: TestEmulator["emulator"]["connection"];
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    emu.request("POST", `${emu.url}${path}`, {
      headers: { ...FORM, ...headers },
      body: new URLSearchParams(form).toString(),
    });
  const v2 = (form: Record<string, string>, tenant = c.tenantId) =>
    post(`/${tenant}/oauth2/v2.0/token`, form);
  const v1 = (form: Record<string, string>, tenant = c.tenantId) => post(`/${tenant}/oauth2/token`, form);
  const secretForm = (extra: Record<string, string> = {}) => ({
    grant_type: "client_credentials",
    client_id: c.clientId,
    client_secret: c.clientSecret,
    ...extra,
  });

  beforeAll(async () => {
    emu = await startTestEmulator({
      tenants: [
        {
          id: OTHER_TENANT,
          domains: ["other.onmicrosoft.com"],
          applications: [
            {
              clientId: EXPIRED_APP,
              secrets: [{ value: "old-secret-value", expiresAt: "2020-01-01T00:00:00Z" }],
            },
          ],
        },
      ],
    });
    c = emu.emulator.connection;
  });
  afterAll(() => emu.close());

  it("v2: numeric lifetimes, no-store headers, a v1-format token for the resource (item 12)", async () => {
    const res = await v2(secretForm({ scope: "https://management.azure.com/.default" }));
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store, no-cache");
    expect(res.headers.pragma).toBe("no-cache");
    const body = res.json();
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600 });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      aud: "https://management.azure.com",
      ver: "1.0",
      appidacr: "1",
      tid: c.tenantId,
      iss: `https://sts.windows.net/${c.tenantId}/`,
    });
    expect(claims.iat).toBe(claims.nbf);
    expect(claims.exp! - claims.iat!).toBe(3600 + 300); // back-dated by five minutes (item 35)
  });

  it("v2: keeps the trailing slash of resources whose id ends in one", async () => {
    const body = (await v2(secretForm({ scope: "https://datalake.azure.net//.default" }))).json();
    expect(decodeJwt(body.access_token).aud).toBe("https://datalake.azure.net/");
  });

  it("v2: every token has a fresh uti", async () => {
    const a = decodeJwt(
      (await v2(secretForm({ scope: "https://datalake.azure.net//.default" }))).json().access_token,
    );
    const b = decodeJwt(
      (await v2(secretForm({ scope: "https://datalake.azure.net//.default" }))).json().access_token,
    );
    expect(a.uti).not.toBe(b.uti);
  });

  it("v1: lifetimes as strings, resource echoed, client-request-id returned on request (items 36, 37)", async () => {
    const res = await v1(secretForm({ resource: "https://datalake.azure.net/" }), c.tenantId);
    const body = res.json();
    expect(body).toMatchObject({
      token_type: "Bearer",
      expires_in: "3600",
      ext_expires_in: "3600",
      resource: "https://datalake.azure.net/",
    });
    expect(Number(body.expires_on) - Number(body.not_before)).toBe(3900);
    const echoed = await post(
      `/${c.tenantId}/oauth2/token?api-version=1.0`,
      secretForm({ resource: "https://datalake.azure.net/" }),
      { "client-request-id": "abc-123", "return-client-request-id": "true" },
    );
    expect(echoed.headers["client-request-id"]).toBe("abc-123");
  });

  it("accepts the secret through HTTP Basic (client_secret_basic)", async () => {
    const basic = Buffer.from(
      `${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`,
    ).toString("base64");
    const res = await post(
      `/${c.tenantId}/oauth2/v2.0/token`,
      { grant_type: "client_credentials", scope: "https://datalake.azure.net//.default" },
      { authorization: `Basic ${basic}` },
    );
    expect(res.status).toBe(200);
  });

  it("adds xms_cc when CP1 is requested, and refresh_in for long lifetimes (items 33, 34)", async () => {
    emu.emulator.services.config.tokenLifetimeSeconds = 7200;
    try {
      const claims = JSON.stringify({ access_token: { xms_cc: { values: ["CP1"] } } });
      const body = (await v2(secretForm({ scope: "https://datalake.azure.net//.default", claims }))).json();
      expect(body.refresh_in).toBe(3600);
      expect(decodeJwt(body.access_token).xms_cc).toEqual(["CP1"]);
    } finally {
      emu.emulator.services.config.tokenLifetimeSeconds = 3600;
    }
  });

  const errors: Array<
    [string, () => Promise<{ status: number; json(): Record<string, unknown> }>, number, string, number]
  > = [
    ["missing grant_type", () => v2({ client_id: "x", scope: "a/.default" }), 400, "invalid_request", 900144],
    [
      "unsupported grant",
      () => v2({ grant_type: "password", client_id: "x" }),
      400,
      "unsupported_grant_type",
      70003,
    ],
    [
      "client credentials on common (item 23)",
      () => v2(secretForm({ scope: "https://datalake.azure.net//.default" }), "common"),
      400,
      "invalid_request",
      50059,
    ],
    [
      "malformed tenant",
      () => v2(secretForm({ scope: "https://datalake.azure.net//.default" }), "not a tenant!"),
      400,
      "invalid_request",
      900023,
    ],
    [
      "unknown tenant (item 22)",
      () =>
        v2(
          secretForm({ scope: "https://datalake.azure.net//.default" }),
          "99999999-9999-9999-9999-999999999999",
        ),
      400,
      "invalid_request",
      90002,
    ],
    [
      "unknown client (item 24)",
      () => v2(secretForm({ client_id: randomUUID(), scope: "https://datalake.azure.net//.default" })),
      400,
      "unauthorized_client",
      700016,
    ],
    [
      "wrong secret (item 25)",
      () => v2(secretForm({ client_secret: "nope", scope: "https://datalake.azure.net//.default" })),
      401,
      "invalid_client",
      7000215,
    ],
    [
      "expired secret (item 26)",
      () =>
        v2(
          {
            grant_type: "client_credentials",
            client_id: EXPIRED_APP,
            client_secret: "old-secret-value",
            scope: "https://datalake.azure.net//.default",
          },
          OTHER_TENANT,
        ),
      401,
      "invalid_client",
      7000222,
    ],
    [
      "no credential (item 27)",
      () =>
        v2({
          grant_type: "client_credentials",
          client_id: c.clientId,
          scope: "https://datalake.azure.net//.default",
        }),
      401,
      "invalid_client",
      7000218,
    ],
    [
      "unknown resource",
      () => v2(secretForm({ scope: "https://vault.example.net/.default" })),
      400,
      "invalid_resource",
      500011,
    ],
    [
      "scope without .default",
      () => v2(secretForm({ scope: "https://datalake.azure.net/user_impersonation" })),
      400,
      "invalid_scope",
      1002012,
    ],
    [
      "scopes of two resources",
      () =>
        v2(
          secretForm({ scope: "https://datalake.azure.net//.default https://management.azure.com/.default" }),
        ),
      400,
      "invalid_scope",
      28000,
    ],
    ["v1 without resource (item 40)", () => v1(secretForm()), 400, "invalid_request", 900144],
    [
      "wrong assertion type (item 32)",
      () =>
        v2({
          grant_type: "client_credentials",
          client_id: c.clientId,
          client_assertion: "a.b.c",
          client_assertion_type: "urn:other",
          scope: "https://datalake.azure.net//.default",
        }),
      400,
      "invalid_request",
      900144,
    ],
  ];
  for (const [name, send, status, error, code] of errors) {
    it(`answers ${name} with ${status} ${error} AADSTS${code}`, async () => {
      const res = await send();
      expect(res.status).toBe(status);
      const body = res.json();
      expect(body).toMatchObject({ error, error_codes: [code] });
      expect(body.error_description).toMatch(
        new RegExp(
          `^AADSTS${code}: .+\\r\\nTrace ID: .+\\r\\nCorrelation ID: .+\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
        ),
      );
    });
  }

  async function assertion(
    options: {
      alg?: "RS256" | "PS256";
      claims?: Record<string, unknown>;
      header?: Record<string, unknown>;
      key?: string;
    } = {},
  ) {
    const certPem = readFileSync(c.clientCertificatePath, "utf8");
    const der = new X509Certificate(certPem).raw;
    const { createHash } = await import("node:crypto");
    const alg = options.alg ?? "PS256";
    const thumb =
      alg === "PS256"
        ? { "x5t#S256": createHash("sha256").update(der).digest("base64url") }
        : { x5t: createHash("sha1").update(der).digest("base64url") };
    const key = await importPKCS8(options.key ?? readFileSync(c.clientPrivateKeyPath, "utf8"), alg);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: `${emu.url}/${c.tenantId}/oauth2/v2.0/token`,
      iss: c.clientId,
      sub: c.clientId,
      jti: randomUUID(),
      nbf: now,
      iat: now,
      exp: now + 600,
      ...options.claims,
    };
    return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT", ...thumb, ...options.header }).sign(key);
  }
  const withAssertion = async (jwt: string, tenant = c.tenantId) =>
    v2(
      {
        grant_type: "client_credentials",
        client_id: c.clientId,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: jwt,
        scope: "https://datalake.azure.net//.default",
      },
      tenant,
    );

  it("accepts a PS256 assertion found by x5t#S256 and marks the token appidacr 2 (item 28)", async () => {
    const res = await withAssertion(await assertion());
    expect(res.status).toBe(200);
    expect(decodeJwt(res.json().access_token).appidacr).toBe("2");
  });

  it("accepts an RS256 assertion found by x5t (item 29)", async () => {
    expect((await withAssertion(await assertion({ alg: "RS256" }))).status).toBe(200);
  });

  it("accepts the v1 URL and the domain alias as the assertion audience (item 30)", async () => {
    expect(
      (await withAssertion(await assertion({ claims: { aud: `${emu.url}/${c.tenantId}/oauth2/token` } })))
        .status,
    ).toBe(200);
    expect(
      (
        await withAssertion(
          await assertion({ claims: { aud: `${emu.url}/${c.tenantDomain}/oauth2/v2.0/token` } }),
        )
      ).status,
    ).toBe(200);
  });

  it("refuses assertions with a bad signature, an unknown key, a bad lifetime or a wrong issuer (item 31)", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const cases: Array<[Promise<string>, number]> = [
      [assertion({ key: otherKey }), 700027],
      [assertion({ header: { "x5t#S256": "AAAA" } }), 700027],
      [assertion({ claims: { exp: Math.floor(Date.now() / 1000) - 3600 } }), 700024],
      [assertion({ claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } }), 700024],
      [assertion({ claims: { iss: "someone" } }), 700021],
      [assertion({ claims: { aud: "https://elsewhere.example/t/oauth2/v2.0/token" } }), 700027],
    ];
    for (const [jwt, code] of cases) {
      const res = await withAssertion(await jwt);
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ error: "invalid_client", error_codes: [code] });
    }
  });

  it("refuses an unsigned assertion (alg none)", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ iss: c.clientId, sub: c.clientId })).toString("base64url");
    const res = await withAssertion(`${header}.${body}.`);
    expect(res.status).toBe(401);
    expect(res.json().error_codes).toEqual([700027]);
  });
});
