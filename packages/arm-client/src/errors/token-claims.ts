/** What a 401/403 hint may say about a token: who it is for and until when. Never the token itself. */
export interface TokenSummary {
  audience: string | undefined;
  tenantId: string | undefined;
  appId: string | undefined;
  expiresOn: Date | undefined;
}

/** Decodes (without verifying) the claims of a JWT access token; undefined when it is not a JWT. */
export function summarizeToken(token: string | undefined): TokenSummary | undefined {
  if (!token) return undefined;
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof claims !== "object" || claims === null) return undefined;
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const aud = Array.isArray(claims.aud)
    ? claims.aud.filter((a) => typeof a === "string").join(", ")
    : text(claims.aud);
  return {
    audience: aud,
    tenantId: text(claims.tid),
    appId: text(claims.appid) ?? text(claims.azp),
    expiresOn: typeof claims.exp === "number" ? new Date(claims.exp * 1000) : undefined,
  };
}

/**
 * A hint for a refused token: names its audience, tenant, app and expiry and compares them with what this
 * client expects, so the fix is visible (wrong cloud, wrong tenant, clock skew).
 */
export function tokenHint(
  token: string | undefined,
  expected: { audience: string; armCode?: string | undefined },
  now: number = Date.now(),
): string {
  const summary = summarizeToken(token);
  if (!summary) {
    return token
      ? "The token sent is not a JWT, so Resource Manager cannot read it. Check that the credential is an Entra ID credential."
      : "No token was sent. Pass a TokenCredential as the credential option.";
  }
  const facts: string[] = [];
  facts.push(`audience '${summary.audience ?? "none"}'`);
  facts.push(`tenant '${summary.tenantId ?? "none"}'`);
  if (summary.appId) facts.push(`app '${summary.appId}'`);
  if (summary.expiresOn) {
    const minutes = Math.round((summary.expiresOn.getTime() - now) / 60_000);
    facts.push(
      minutes >= 0
        ? `expiring ${summary.expiresOn.toISOString()} (in ${minutes} min)`
        : `expired ${summary.expiresOn.toISOString()} (${-minutes} min ago)`,
    );
  }
  const fixes: string[] = [];
  const code = expected.armCode ?? "";
  const audienceDiffers =
    summary.audience !== undefined && trimSlash(summary.audience) !== trimSlash(expected.audience);
  if (/Audience/i.test(code) || (audienceDiffers && code === "")) {
    fixes.push(
      `this cloud's Resource Manager expects audience '${expected.audience}': use the cloud option that matches the credential`,
    );
  }
  if (/Tenant/i.test(code)) {
    fixes.push(
      "the subscription belongs to another tenant: get the token from the tenant that owns the subscription",
    );
  }
  if (summary.expiresOn && summary.expiresOn.getTime() <= now)
    fixes.push("the token has expired: check the clock and the credential's caching");
  if (fixes.length === 0)
    fixes.push("check that the credential's tenant owns the subscription and that the clock is right");
  return `The token sent has ${facts.join(", ")}; ${fixes.join("; ")}.`;
}

function trimSlash(value: string): string {
  return value.replace(/\/+$/, "").toLowerCase();
}
