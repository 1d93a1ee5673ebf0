import { inspect } from "node:util";
import { AdlkitError, HttpError, ThrottledError } from "@adlkit/core";
import { describe, expect, it } from "vitest";
import { ArmError } from "./arm-error.js";
import { armErrorFromResponse, parseArmErrorBody } from "./arm-error-from-response.js";
import { AuthenticationFailedError } from "./authentication-failed-error.js";
import { AuthorizationFailedError } from "./authorization-failed-error.js";
import { ConflictError } from "./conflict-error.js";
import { ResourceNotFoundError } from "./resource-not-found-error.js";

const URL_ =
  "https://management.azure.com/subscriptions/s/resourceGroups/rg?api-version=2022-09-01&sig=secret";
const AUDIENCE = "https://management.core.windows.net/";

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJlc2lnbmF0dXJl`;
}

function map(
  status: number,
  body: unknown,
  extra: { headers?: Record<string, string>; token?: string; now?: number } = {},
): ArmError {
  // ArmError's fields, for every status but 429 (core's ThrottledError, checked by class below).
  return <ArmError>armErrorFromResponse({
    status,
    headers: new Headers({
      "x-ms-request-id": "req-1",
      "x-ms-correlation-request-id": "corr-1",
      ...extra.headers,
    }),
    bodyText: typeof body === "string" ? body : JSON.stringify(body),
    method: "get",
    url: URL_,
    token: extra.token,
    audience: AUDIENCE,
    now: extra.now,
  });
}

describe("armErrorFromResponse", () => {
  it.each([
    [401, "InvalidAuthenticationToken", AuthenticationFailedError],
    [403, "AuthorizationFailed", AuthorizationFailedError],
    [404, "ResourceGroupNotFound", ResourceNotFoundError],
    [409, "Conflict", ConflictError],
    [429, "SubscriptionRequestsThrottled", ThrottledError],
    [400, "InvalidRequestContent", ArmError],
    [500, "InternalServerError", ArmError],
  ])("maps %i %s to %s", (status, code, cls) => {
    const err = map(status, { error: { code, message: "m" } });
    expect(err).toBeInstanceOf(cls);
    expect(err.constructor).toBe(cls);
    expect(err.code).toBe(code);
    expect(err.serviceCode).toBe(code);
    expect(err.status).toBe(status);
  });

  it("keeps code, message, target, details, request ids; says what failed, why and where", () => {
    const err = map(404, {
      error: {
        code: "ResourceGroupNotFound",
        message: "Resource group 'rg' could not be found.",
        target: "rg",
        details: [{ code: "Inner", message: "i" }],
      },
    });
    expect(err.message).toBe(
      "GET /subscriptions/s/resourceGroups/rg failed with 404 ResourceGroupNotFound: Resource group 'rg' could not be found.",
    );
    expect(err.armMessage).toBe("Resource group 'rg' could not be found.");
    expect(err.target).toBe("rg");
    expect(err.details).toEqual([
      { code: "Inner", message: "i", target: undefined, details: undefined, additionalInfo: undefined },
    ]);
    expect(err.requestId).toBe("req-1");
    expect(err.correlationId).toBe("corr-1");
    expect(err.method).toBe("GET");
    expect(err.hint).toMatch(/Create the resource group/);
  });

  it("sanitizes the URL it keeps", () => {
    expect(map(404, { error: { code: "X", message: "m" } }).url).not.toContain("secret");
  });

  it("copes with bodies that are empty, not JSON, or a bare {code, message}", () => {
    expect(map(503, "").code).toBe("HTTP_503");
    expect(map(503, "").armMessage).toBe("Resource Manager is unavailable");
    expect(map(502, "<html>bad gateway</html>").code).toBe("HTTP_502");
    expect(map(400, { code: "BadRequest", message: "bare" }).code).toBe("BadRequest");
  });

  it("keeps the Retry-After of a throttled response", () => {
    const err = map(
      429,
      { error: { code: "TooManyRequests", message: "slow down" } },
      { headers: { "retry-after": "7" } },
    );
    expect(err.retryAfterInMs).toBe(7000);
    expect(err.isRetryable).toBe(true);
  });

  it("is recognised by marker across copies, and is an HttpError and AdlkitError", () => {
    const err = map(404, { error: { code: "ResourceNotFound", message: "m" } });
    expect(ArmError.isInstance(err)).toBe(true);
    expect(ResourceNotFoundError.isInstance(err)).toBe(true);
    expect(ConflictError.isInstance(err)).toBe(false);
    expect(HttpError.isInstance(err)).toBe(true);
    expect(AdlkitError.isInstance(err)).toBe(true);
    expect(ArmError.isInstance({ [Symbol.for("adlkit.error.arm-client.ArmError")]: true })).toBe(true);
    expect(ArmError.isInstance(new Error("x"))).toBe(false);
  });

  it("names audience, tenant, app and expiry of the refused token, and never the token", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    const token = jwt({
      aud: "https://datalake.azure.net/",
      tid: "tenant-1",
      appid: "app-1",
      exp: now / 1000 + 600,
    });
    const err = map(
      401,
      { error: { code: "InvalidAuthenticationTokenAudience", message: "wrong audience" } },
      { token, now },
    );
    expect(err.hint).toContain("audience 'https://datalake.azure.net/'");
    expect(err.hint).toContain("tenant 'tenant-1'");
    expect(err.hint).toContain("app 'app-1'");
    expect(err.hint).toContain("in 10 min");
    expect(err.hint).toContain(`expects audience '${AUDIENCE}'`);
    const everything = `${err.message} ${err.hint} ${inspect(err)} ${JSON.stringify(err)}`;
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split(".")[1]);
  });

  it("says when the refused token had expired", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    const token = jwt({ aud: AUDIENCE, tid: "t", exp: now / 1000 - 300 });
    const err = map(
      401,
      { error: { code: "ExpiredAuthenticationToken", message: "expired" } },
      { token, now },
    );
    expect(err.hint).toMatch(/expired 2024-12-31T23:55:00.000Z \(5 min ago\).*has expired/);
  });

  it("points at the tenant for a token from another tenant", () => {
    const err = map(
      401,
      { error: { code: "InvalidAuthenticationTokenTenant", message: "t" } },
      { token: jwt({ aud: AUDIENCE, tid: "other" }) },
    );
    expect(err.hint).toMatch(/tenant 'other'.*another tenant/);
  });

  it("says when no token or a non-JWT was sent", () => {
    expect(map(401, { error: { code: "AuthenticationFailed", message: "m" } }).hint).toMatch(
      /No token was sent/,
    );
    expect(
      map(401, { error: { code: "InvalidAuthenticationToken", message: "m" } }, { token: "opaque" }).hint,
    ).toMatch(/not a JWT/);
  });
});

describe("parseArmErrorBody", () => {
  it("reads nested details and ignores non-objects", () => {
    expect(
      parseArmErrorBody('{"error":{"code":"A","message":"B","details":[{"code":"C","message":"D"},5]}}')
        ?.details,
    ).toHaveLength(1);
    expect(parseArmErrorBody("[1,2]")).toBeUndefined();
    expect(parseArmErrorBody('{"error":"text"}')).toBeUndefined();
    expect(parseArmErrorBody("   ")).toBeUndefined();
  });

  it("names the namespace ARM quotes when a provider is not registered", () => {
    const storage = map(409, {
      error: {
        code: "MissingSubscriptionRegistration",
        message: "The subscription is not registered to use namespace 'Microsoft.Storage'.",
      },
    });
    expect(storage.hint).toBe(
      "Register the resource provider on the subscription (az provider register --namespace Microsoft.Storage).",
    );
    expect(map(409, { error: { code: "MissingSubscriptionRegistration", message: "" } }).hint).toMatch(
      /--namespace Microsoft\.DataLakeStore/,
    );
  });
});
