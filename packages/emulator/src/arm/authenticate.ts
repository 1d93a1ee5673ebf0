import { ARM_AUDIENCES } from "../audiences.js";
import { BearerTokenError, requireResourceTenant, type VerifiedToken } from "../auth/verify-bearer.js";
import type { RequestContext } from "../http/context.js";
import {
  type ArmError,
  authenticationFailed,
  expiredAuthenticationToken,
  invalidAuthenticationToken,
  wrongAudience,
  wrongTenant,
} from "./arm-error.js";

/** ARM's time format in token errors: `2024-01-01T10:00:00.0000000Z`. */
function armTime(epochSeconds: unknown): string {
  const ms = typeof epochSeconds === "number" ? epochSeconds * 1000 : Date.now();
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/** Adds the challenge ARM sends with every 401; clients (az, PowerShell) read the tenant out of it. */
function challenge(err: ArmError, ctx: RequestContext, tenantId: string): ArmError {
  const description = err.message.replace(/["\\]/g, "'");
  err.options.headers = {
    ...err.options.headers,
    "WWW-Authenticate": `Bearer authorization_uri="${ctx.baseUrl}/${tenantId}", error="invalid_token", error_description="${description}"`,
  };
  return err;
}

/**
 * Verifies the bearer token of an ARM request: signature, lifetime and ARM audience. The subscription
 * check (tenant) happens later, once the route says which subscription is addressed, because an unknown
 * subscription is a 404 and a known one owned by another tenant is a 401.
 * `challengeTenant` is the tenant named in the 401 challenge (the subscription's, when the path has one).
 */
export async function authenticate(ctx: RequestContext, challengeTenant: string): Promise<VerifiedToken> {
  const header = ctx.req.headers.authorization;
  try {
    return await ctx.services.tokens.verifyHeader(header, { audiences: ARM_AUDIENCES });
  } catch (err) {
    if (!(err instanceof BearerTokenError)) throw err;
    throw challenge(translate(err, header, `${ctx.baseUrl}/${challengeTenant}`), ctx, challengeTenant);
  }
}

function translate(err: BearerTokenError, header: string | undefined, authority: string): ArmError {
  switch (err.reason) {
    case "missing":
      // A present but non-Bearer header (e.g. Basic) is refused like a missing one, as ARM does.
      return header
        ? invalidAuthenticationToken("The 'Authorization' header must use the Bearer scheme.")
        : authenticationFailed();
    case "expired":
      return expiredAuthenticationToken(armTime(err.claims?.exp), armTime(undefined));
    case "audience":
      return wrongAudience(String(err.claims?.aud ?? ""), ARM_AUDIENCES);
    case "tenant":
      // A tenant this emulator has never heard of: it cannot be the one that owns what is addressed.
      return wrongTenant(String(err.claims?.iss ?? err.claims?.tid ?? ""), authority);
    case "notYetValid":
      return invalidAuthenticationToken(`The token is not valid before '${armTime(err.claims?.nbf)}'.`);
    case "issuer":
      return invalidAuthenticationToken("The token's issuer does not match its tenant.");
    default:
      return invalidAuthenticationToken(err.message);
  }
}

/** Refuses a verified token whose tenant does not own the addressed subscription (the shared tenant rule). */
export function requireTenant(ctx: RequestContext, token: VerifiedToken, subscriptionTenant: string): void {
  try {
    requireResourceTenant(token, subscriptionTenant, "the subscription");
  } catch (err) {
    if (!(err instanceof BearerTokenError)) throw err;
    const refusal = wrongTenant(
      String(token.claims.iss ?? token.tenantId),
      `${ctx.baseUrl}/${subscriptionTenant}`,
    );
    throw challenge(refusal, ctx, subscriptionTenant);
  }
}
