import { timingSafeEqual } from "node:crypto";
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import type { Application, Tenant } from "../identity/identity-store.js";
import { EntraError } from "./entra-error.js";

/** adal sends thumbprints in standard base64 with padding; Entra accepts both alphabets. */
function toBase64Url(value: string): string {
  return value.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks a client secret against the app's secrets; an expired match gets its own error, as in Entra. */
export function checkClientSecret(app: Application, secret: string, now = new Date()): void {
  const match = app.secrets.find((s) => safeEqual(s.value, secret));
  if (!match) {
    throw new EntraError(
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  }
  if (match.expiresAt && match.expiresAt <= now) {
    throw new EntraError(
      401,
      "invalid_client",
      7000222,
      `The provided client secret keys for app '${app.clientId}' are expired.`,
    );
  }
}

export interface AssertionCheck {
  app: Application;
  tenant: Tenant;
  assertion: string;
  /** Token endpoint URLs (every origin and tenant alias) that are acceptable as the assertion's `aud`. */
  acceptedAudiences: (aud: string) => boolean;
  clockSkewSeconds: number;
}

/**
 * Verifies a client assertion: a JWT signed (RS256 or PS256) by one of the app's registered certificates,
 * found by `x5t#S256` or `x5t`; `iss` = `sub` = client id; `aud` = this tenant's token endpoint; in its lifetime.
 */
export async function checkClientAssertion(check: AssertionCheck): Promise<void> {
  const { app } = check;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(check.assertion);
  } catch {
    throw new EntraError(
      401,
      "invalid_client",
      700027,
      "Client assertion failed signature validation. [Reason - The assertion is not a well-formed JWT.]",
    );
  }
  const alg = header.alg ?? "";
  if (alg !== "RS256" && alg !== "PS256") {
    throw new EntraError(
      401,
      "invalid_client",
      700027,
      `Client assertion failed signature validation. [Reason - Unsupported asymmetric signing algorithm '${alg}'.]`,
    );
  }
  const s256 = typeof header["x5t#S256"] === "string" ? toBase64Url(header["x5t#S256"] as string) : undefined;
  const x5t = typeof header.x5t === "string" ? toBase64Url(header.x5t) : undefined;
  const cert = app.certificates.find((c) => (s256 ? c.x5tS256 === s256 : c.x5t === x5t));
  if (!cert) {
    const print = s256 ?? header.x5t ?? "none";
    throw new EntraError(
      401,
      "invalid_client",
      700027,
      `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${print}'. Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`,
    );
  }
  if (cert.notAfter <= new Date()) {
    throw new EntraError(
      401,
      "invalid_client",
      700027,
      `Client assertion contains an expired certificate (thumbprint '${cert.x5t}').`,
    );
  }
  let claims: Record<string, unknown>;
  try {
    const result = await jwtVerify(check.assertion, cert.publicKey, {
      algorithms: [alg],
      clockTolerance: check.clockSkewSeconds,
      requiredClaims: ["exp", "nbf"],
    });
    claims = result.payload as Record<string, unknown>;
  } catch (err) {
    if (
      err instanceof joseErrors.JWTExpired ||
      (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "nbf")
    ) {
      throw new EntraError(
        401,
        "invalid_client",
        700024,
        "Client assertion is not within its valid time range.",
      );
    }
    if (err instanceof joseErrors.JWTClaimValidationFailed) {
      throw new EntraError(
        401,
        "invalid_client",
        700024,
        `Client assertion is missing the '${err.claim}' claim, so its time range cannot be checked.`,
      );
    }
    throw new EntraError(
      401,
      "invalid_client",
      700027,
      "Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]",
    );
  }
  if (claims.iss !== app.clientId || claims.sub !== app.clientId) {
    throw new EntraError(
      401,
      "invalid_client",
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter: 'iss' and 'sub' must both be '${app.clientId}'.`,
    );
  }
  const aud =
    typeof claims.aud === "string" ? claims.aud : Array.isArray(claims.aud) ? String(claims.aud[0]) : "";
  if (!check.acceptedAudiences(aud)) {
    throw new EntraError(
      401,
      "invalid_client",
      700027,
      `Client assertion audience claim does not match Realm issuer: '${aud}' is not a token endpoint of tenant '${check.tenant.id}'.`,
    );
  }
  if (typeof claims.jti !== "string" || claims.jti.length === 0) {
    throw new EntraError(401, "invalid_client", 700027, "Client assertion must contain a 'jti' claim.");
  }
}
