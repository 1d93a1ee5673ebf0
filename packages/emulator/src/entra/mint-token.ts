import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import type { IdentityStore } from "../identity/identity-store.js";

export interface MintRequest {
  tenantId: string;
  /** The audience exactly as requested (resource, or the `.default` scope's resource). */
  audience: string;
  clientId: string;
  objectId: string;
  /** "1" client secret, "2" certificate or assertion, "0" managed identity. */
  appidacr: "0" | "1" | "2";
  lifetimeSeconds: number;
  capabilities?: string[];
}

export interface MintedToken {
  accessToken: string;
  issuedAt: number;
  notBefore: number;
  expiresOn: number;
}

/** The v1 issuer, as Entra writes it into tokens for Microsoft first-party resources. */
export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/**
 * An app-only access token with Entra's v1 claim set, RS256-signed by the emulator's key.
 * ARM and Data Lake are first-party resources, which always get v1 tokens whatever endpoint was used.
 */
export async function mintAccessToken(identity: IdentityStore, request: MintRequest): Promise<MintedToken> {
  const now = Math.floor(Date.now() / 1000);
  // Entra back-dates iat/nbf by five minutes to absorb clock skew between it and resource servers.
  const issuedAt = now - 300;
  const expiresOn = now + request.lifetimeSeconds;
  const issuer = v1Issuer(request.tenantId);
  const jwt = await new SignJWT({
    aio: randomBytes(24).toString("base64url"),
    appid: request.clientId,
    appidacr: request.appidacr,
    idp: issuer,
    idtyp: "app",
    oid: request.objectId,
    rh: `0.${randomBytes(30).toString("base64url")}`,
    tid: request.tenantId,
    uti: randomBytes(16).toString("base64url"),
    ver: "1.0",
    ...(request.capabilities?.length ? { xms_cc: request.capabilities } : {}),
  })
    .setProtectedHeader({ typ: "JWT", alg: "RS256", x5t: identity.keyId, kid: identity.keyId })
    .setIssuer(issuer)
    .setAudience(request.audience)
    .setSubject(request.objectId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expiresOn)
    .sign(identity.signingKey);
  return { accessToken: jwt, issuedAt, notBefore: issuedAt, expiresOn };
}
