import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import { v1Issuer } from "../entra/mint-token.js";
import type { IdentityStore } from "../identity/identity-store.js";

/** Why a bearer token was refused. Each part maps these to its own wire error. */
export type BearerFailure =
  | "missing" // no Authorization header, or not a Bearer one
  | "malformed" // not a JWT
  | "signature" // bad signature, unknown key, or an algorithm other than RS256 (alg: none included)
  | "expired"
  | "notYetValid"
  | "audience"
  | "issuer"
  | "tenant"; // token from a tenant the emulator does not know, or not the expected one

export class BearerTokenError extends Error {
  constructor(
    readonly reason: BearerFailure,
    message: string,
    /** Claims of the refused token, when it could be decoded, for hints (never the token itself). */
    readonly claims?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = "BearerTokenError";
  }
}

export interface VerifiedToken {
  tenantId: string;
  objectId: string;
  appId: string;
  audience: string;
  expiresOn: number;
  claims: Readonly<Record<string, unknown>>;
}

export interface VerifyExpectations {
  /** Accepted `aud` values (compared exactly, as Entra-protected resources do). */
  audiences: readonly string[];
  /** When set, the token's `tid` must be this tenant. */
  tenantId?: string;
}

/** Validates emulator-issued access tokens: signature (RS256, our key), issuer, audience, lifetime, tenant. */
export class TokenVerifier {
  readonly #identity: IdentityStore;
  readonly #skewSeconds: () => number;
  /**
   * Tokens whose signature already checked out, with their claims: clients send the same token for an hour, and
   * the RSA verification dominated the cost of small requests. Lifetime, tenant, issuer and audience are still
   * checked on every request.
   */
  readonly #signatureChecked = new Map<string, Record<string, unknown>>();

  constructor(identity: IdentityStore, skewSeconds: () => number) {
    this.#identity = identity;
    this.#skewSeconds = skewSeconds;
  }

  /** Verifies an `Authorization` header value. */
  async verifyHeader(header: string | undefined, expect: VerifyExpectations): Promise<VerifiedToken> {
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match)
      throw new BearerTokenError("missing", "The request has no bearer token in its Authorization header.");
    return this.verify(match[1]!, expect);
  }

  async verify(token: string, expect: VerifyExpectations): Promise<VerifiedToken> {
    let claims = this.#signatureChecked.get(token);
    if (claims) {
      checkLifetime(claims, this.#skewSeconds());
    } else {
      claims = await this.#checkSignature(token);
      if (this.#signatureChecked.size >= SIGNATURE_CACHE_SIZE) {
        this.#signatureChecked.delete(this.#signatureChecked.keys().next().value!);
      }
      this.#signatureChecked.set(token, claims);
    }

    const tenantId = typeof claims.tid === "string" ? claims.tid : "";
    if (!tenantId || !this.#identity.resolveTenant(tenantId)) {
      throw new BearerTokenError(
        "tenant",
        `The token's tenant '${tenantId}' is not known to this emulator.`,
        claims,
      );
    }
    if (claims.iss !== v1Issuer(tenantId)) {
      throw new BearerTokenError(
        "issuer",
        `The token's issuer '${String(claims.iss)}' does not match its tenant.`,
        claims,
      );
    }
    const aud = typeof claims.aud === "string" ? claims.aud : "";
    if (!expect.audiences.includes(aud)) {
      throw new BearerTokenError(
        "audience",
        `The token's audience '${aud}' is not accepted here; expected one of ${expect.audiences.map((a) => `'${a}'`).join(", ")}.`,
        claims,
      );
    }
    const verified: VerifiedToken = {
      tenantId,
      objectId: String(claims.oid ?? ""),
      appId: String(claims.appid ?? ""),
      audience: aud,
      expiresOn: Number(claims.exp),
      claims,
    };
    if (expect.tenantId) requireResourceTenant(verified, expect.tenantId, "this resource");
    return verified;
  }

  async #checkSignature(token: string): Promise<Record<string, unknown>> {
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "RS256") {
        throw new BearerTokenError(
          "signature",
          `The token's signing algorithm '${String(header.alg)}' is not accepted; RS256 is required.`,
        );
      }
      if (header.kid !== undefined && header.kid !== this.#identity.keyId) {
        throw new BearerTokenError(
          "signature",
          `The token was signed with an unknown key (kid '${header.kid}').`,
        );
      }
      const result = await jwtVerify(token, this.#identity.signingPublicKey, {
        algorithms: ["RS256"],
        clockTolerance: this.#skewSeconds(),
      });
      return result.payload as Record<string, unknown>;
    } catch (err) {
      throw translateJoseError(err, token);
    }
  }
}

const SIGNATURE_CACHE_SIZE = 4096;

/**
 * The one tenant rule of Resource Manager and the filesystem: a resource (a subscription, and every account in
 * it) belongs to one tenant, and only that tenant's tokens are accepted for it. A principal of another tenant is
 * refused (401) whatever rights it was granted; each part renders the refusal in its own error shape.
 * `resourceTenant` undefined: the resource's tenant is unknown (its subscription is gone), so no token fits.
 */
export function requireResourceTenant(
  token: VerifiedToken,
  resourceTenant: string | undefined,
  resource: string,
): void {
  if (resourceTenant !== undefined && token.tenantId.toLowerCase() === resourceTenant.toLowerCase()) return;
  throw new BearerTokenError(
    "tenant",
    resourceTenant === undefined
      ? `${capitalise(resource)} belongs to a subscription this emulator no longer knows; no tenant's token is accepted.`
      : `The token is from tenant '${token.tenantId}' but ${resource} belongs to tenant '${resourceTenant}'. Get a token from the authority of tenant '${resourceTenant}'.`,
    token.claims,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The same lifetime rules jose applies (`exp`, `nbf`, with the clock tolerance), for cached tokens. */
function checkLifetime(claims: Record<string, unknown>, skewSeconds: number): void {
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp === "number" && claims.exp <= now - skewSeconds) {
    throw new BearerTokenError("expired", `The token expired at ${isoTime(claims.exp)}.`, claims);
  }
  if (typeof claims.nbf === "number" && claims.nbf > now + skewSeconds) {
    throw new BearerTokenError(
      "notYetValid",
      `The token is not valid before ${isoTime(claims.nbf)}.`,
      claims,
    );
  }
}

function translateJoseError(err: unknown, token: string): BearerTokenError {
  if (err instanceof BearerTokenError) return err;
  const claims = safeDecodeClaims(token);
  if (err instanceof joseErrors.JWTExpired) {
    return new BearerTokenError("expired", `The token expired at ${isoTime(claims?.exp)}.`, claims);
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "nbf") {
    return new BearerTokenError(
      "notYetValid",
      `The token is not valid before ${isoTime(claims?.nbf)}.`,
      claims,
    );
  }
  if (
    err instanceof joseErrors.JWSSignatureVerificationFailed ||
    err instanceof joseErrors.JOSEAlgNotAllowed
  ) {
    return new BearerTokenError("signature", "The token's signature is invalid.", claims);
  }
  return new BearerTokenError("malformed", "The bearer token is not a valid JWT.", claims);
}

function safeDecodeClaims(token: string): Record<string, unknown> | undefined {
  try {
    const part = token.split(".")[1];
    return part
      ? (JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isoTime(seconds: unknown): string {
  return typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : "an unknown time";
}
