import { timingSafeEqual } from "node:crypto";
import { isKnownResource, storageAudienceSuffixes } from "../audiences.js";
import type { RequestContext } from "../http/context.js";
import { sendJson } from "../http/respond.js";
import { mintAccessToken } from "./mint-token.js";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The managed identity of the emulator's default tenant, served two ways:
 * App Service (`IDENTITY_ENDPOINT` = `{base}/msi/token`, header `X-IDENTITY-HEADER`, api-version 2019-08-01) and
 * IMDS (`/metadata/identity/oauth2/token`, header `Metadata: true`).
 */
export async function managedIdentityToken(ctx: RequestContext, style: "appservice" | "imds"): Promise<void> {
  ctx.entry.op = `msi-${style}`;
  const mi = ctx.services.identity.managedIdentity;
  const fail = (status: number, error: string, description: string) =>
    sendJson(
      ctx.res,
      status,
      style === "imds"
        ? { error, error_description: description }
        : { statusCode: status, message: description, correlationId: ctx.requestId },
    );

  if (ctx.method !== "GET") return fail(405, "invalid_request", "Only GET is supported.");
  if (style === "imds") {
    if (ctx.req.headers.metadata !== "true")
      return fail(400, "invalid_request", "Required metadata header not specified");
  } else {
    const header = String(ctx.req.headers["x-identity-header"] ?? "");
    if (!header || !sameSecret(header, mi.header))
      return fail(401, "unauthorized", "The X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER.");
  }
  const resource = ctx.url.searchParams.get("resource");
  if (!resource) return fail(400, "invalid_request", "Required query variable 'resource' is missing");
  const suffixes = storageAudienceSuffixes(ctx.services.config.fsDnsSuffix, ctx.req.socket.localPort ?? 0);
  if (!isKnownResource(resource, suffixes))
    return fail(
      400,
      "invalid_resource",
      `AADSTS500011: The resource principal named ${resource} was not found in the tenant.`,
    );
  const asked =
    ctx.url.searchParams.get("client_id") ??
    ctx.url.searchParams.get("object_id") ??
    ctx.url.searchParams.get("principal_id");
  if (asked && asked !== mi.clientId && asked !== mi.objectId) {
    return fail(
      400,
      "invalid_request",
      `Identity not found: no managed identity with id '${asked}' is assigned to this host.`,
    );
  }
  const lifetime = ctx.services.config.tokenLifetimeSeconds;
  const minted = await mintAccessToken(ctx.services.identity, {
    tenantId: mi.tenantId,
    audience: resource,
    clientId: mi.clientId,
    objectId: mi.objectId,
    appidacr: "2",
    lifetimeSeconds: lifetime,
  });
  ctx.entry.principal = mi.objectId;
  sendJson(ctx.res, 200, {
    access_token: minted.accessToken,
    client_id: mi.clientId,
    expires_in: String(lifetime),
    expires_on: String(minted.expiresOn),
    ext_expires_in: String(lifetime),
    not_before: String(minted.notBefore),
    resource,
    token_type: "Bearer",
  });
}
