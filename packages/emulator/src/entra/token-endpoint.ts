import { isKnownResource, storageAudienceSuffixes } from "../audiences.js";
import type { RequestContext } from "../http/context.js";
import { tryDecodeURIComponent } from "../http/decode.js";
import { readSmallBody, sendJson } from "../http/respond.js";
import type { Application, Tenant } from "../identity/identity-store.js";
import { checkClientAssertion, checkClientSecret, JWT_BEARER } from "./client-authentication.js";
import { EntraError } from "./entra-error.js";
import { mintAccessToken } from "./mint-token.js";

const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_STORE = { "Cache-Control": "no-store, no-cache", Pragma: "no-cache", Expires: "-1" };

function missing(name: string): EntraError {
  return new EntraError(
    400,
    "invalid_request",
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );
}

/** Finds the tenant of a token path, with Entra's distinct errors for multi-tenant, malformed and unknown ids. */
export function resolveTokenTenant(ctx: RequestContext, alias: string): Tenant {
  if (MULTI_TENANT.has(alias.toLowerCase())) {
    throw new EntraError(
      400,
      "invalid_request",
      50059,
      "No tenant-identifying information found in either the request or implied by any provided credentials. Use a tenant id or domain in the authority for client credentials.",
    );
  }
  if (!GUID.test(alias) && !DNS_NAME.test(alias)) {
    throw new EntraError(
      400,
      "invalid_request",
      900023,
      `Specified tenant identifier '${alias}' is neither a valid DNS name, nor a valid external domain.`,
    );
  }
  const tenant = ctx.services.identity.resolveTenant(alias);
  if (!tenant) {
    throw new EntraError(
      400,
      "invalid_request",
      90002,
      `Tenant '${alias}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }
  return tenant;
}

/** Resource of a v2 `scope`: exactly one `{resource}/.default`. */
function resourceFromScope(scope: string): string {
  const scopes = scope.split(" ").filter(Boolean);
  const resources = new Set(
    scopes.map((s) => (s.endsWith("/.default") ? s.slice(0, -"/.default".length) : s)),
  );
  if (resources.size > 1) {
    throw new EntraError(
      400,
      "invalid_scope",
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    );
  }
  const only = scopes[0] ?? "";
  if (!only.endsWith("/.default")) {
    throw new EntraError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${only} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  return only.slice(0, -"/.default".length);
}

function checkResource(ctx: RequestContext, resource: string, tenant: Tenant): void {
  const suffixes = storageAudienceSuffixes(ctx.services.config.fsDnsSuffix, ctx.req.socket.localPort ?? 0);
  if (!isKnownResource(resource, suffixes)) {
    throw new EntraError(
      400,
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
}

/** Credentials from HTTP Basic (client_secret_basic, RFC 6749 §2.3.1: each part form-encoded), when sent that way. */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  const match = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const clientId = tryDecodeURIComponent(decoded.slice(0, colon));
  const secret = tryDecodeURIComponent(decoded.slice(colon + 1));
  if (clientId === undefined || secret === undefined) {
    throw new EntraError(
      400,
      "invalid_request",
      9002313,
      "Invalid request. The client id and secret in the Authorization header (Basic) must be percent-encoded UTF-8.",
    );
  }
  return { clientId, secret };
}

function capabilitiesFrom(claims: string | null): string[] {
  if (!claims) return [];
  try {
    const parsed = JSON.parse(claims) as { access_token?: { xms_cc?: { values?: unknown } } };
    const values = parsed.access_token?.xms_cc?.values;
    return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
  } catch {
    throw new EntraError(400, "invalid_request", 90000, "The 'claims' parameter is not valid JSON.");
  }
}

/** `POST /{tenant}/oauth2/token` (v1, `resource=`) and `POST /{tenant}/oauth2/v2.0/token` (v2, `scope=`). */
export async function tokenEndpoint(ctx: RequestContext, alias: string, version: 1 | 2): Promise<void> {
  ctx.entry.op = version === 2 ? "token-v2" : "token-v1";
  if (ctx.method !== "POST") {
    throw new EntraError(405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
  }
  const tenant = resolveTokenTenant(ctx, alias);
  const contentType = String(ctx.req.headers["content-type"] ?? "");
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    throw new EntraError(
      400,
      "invalid_request",
      900144,
      "The request body must be application/x-www-form-urlencoded and contain the following parameter: 'grant_type'.",
    );
  }
  const form = new URLSearchParams(await readSmallBody(ctx.req, 64 * 1024));
  const grantType = form.get("grant_type");
  if (!grantType) throw missing("grant_type");
  if (grantType !== "client_credentials") {
    throw new EntraError(
      400,
      "unsupported_grant_type",
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    );
  }
  const basic = basicCredentials(ctx.req.headers.authorization);
  const clientId = form.get("client_id") ?? basic?.clientId;
  if (!clientId) throw missing("client_id");

  const resource =
    version === 2
      ? resourceFromScope(form.get("scope") ?? failMissing("scope"))
      : (form.get("resource") ?? failMissing("resource"));

  const app = ctx.services.identity.findApplication(tenant.id, clientId);
  if (!app) {
    throw new EntraError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const appidacr = await authenticateClient(ctx, tenant, app, form, basic?.secret);
  checkResource(ctx, resource, tenant);

  const lifetime = ctx.services.config.tokenLifetimeSeconds;
  const minted = await mintAccessToken(ctx.services.identity, {
    tenantId: tenant.id,
    audience: resource,
    clientId: app.clientId,
    objectId: app.objectId,
    appidacr,
    lifetimeSeconds: lifetime,
    capabilities: capabilitiesFrom(form.get("claims")),
  });
  ctx.entry.principal = app.objectId;
  const echo: Record<string, string> =
    ctx.req.headers["return-client-request-id"] === "true" && ctx.entry.clientRequestId
      ? { "client-request-id": ctx.entry.clientRequestId }
      : {};
  if (version === 2) {
    sendJson(
      ctx.res,
      200,
      {
        token_type: "Bearer",
        expires_in: lifetime,
        ext_expires_in: lifetime,
        // Entra adds refresh_in to long-lived tokens; msal-node then refreshes at half-life.
        ...(lifetime >= 7200 ? { refresh_in: Math.floor(lifetime / 2) } : {}),
        access_token: minted.accessToken,
      },
      { ...NO_STORE, ...echo },
    );
  } else {
    sendJson(
      ctx.res,
      200,
      {
        token_type: "Bearer",
        expires_in: String(lifetime),
        ext_expires_in: String(lifetime),
        expires_on: String(minted.expiresOn),
        not_before: String(minted.notBefore),
        resource,
        access_token: minted.accessToken,
      },
      { ...NO_STORE, ...echo },
    );
  }
}

function failMissing(name: string): never {
  throw missing(name);
}

async function authenticateClient(
  ctx: RequestContext,
  tenant: Tenant,
  app: Application,
  form: URLSearchParams,
  basicSecret: string | undefined,
): Promise<"1" | "2"> {
  const secret = form.get("client_secret") ?? basicSecret;
  const assertion = form.get("client_assertion");
  const assertionType = form.get("client_assertion_type");
  if (secret !== undefined && secret !== null && assertion) {
    throw new EntraError(
      401,
      "invalid_client",
      7000218,
      "The request contains both 'client_secret' and 'client_assertion'; send exactly one credential.",
    );
  }
  if (secret !== undefined && secret !== null) {
    checkClientSecret(app, secret);
    return "1";
  }
  if (assertion) {
    if (assertionType !== JWT_BEARER) {
      throw new EntraError(
        400,
        "invalid_request",
        900144,
        `The 'client_assertion_type' must be '${JWT_BEARER}'.`,
      );
    }
    await checkClientAssertion({
      app,
      tenant,
      assertion,
      clockSkewSeconds: ctx.services.config.clockSkewSeconds,
      acceptedAudiences: (aud) => isTokenEndpointOf(ctx, tenant, aud),
    });
    return "2";
  }
  throw new EntraError(
    401,
    "invalid_client",
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );
}

/** True when `aud` is a token endpoint (v1 or v2) of `tenant`, under any of its aliases, on this emulator. */
function isTokenEndpointOf(ctx: RequestContext, tenant: Tenant, aud: string): boolean {
  let url: URL;
  try {
    url = new URL(aud);
  } catch {
    return false;
  }
  const ours = new URL(ctx.baseUrl);
  const loopback =
    ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) || url.hostname === ours.hostname;
  if (url.protocol !== "https:" || !loopback || url.port !== ours.port) return false;
  const match = /^\/([^/]+)\/oauth2\/(?:v2\.0\/)?token\/?$/i.exec(url.pathname);
  const alias = match ? tryDecodeURIComponent(match[1]!) : undefined;
  return alias !== undefined && ctx.services.identity.resolveTenant(alias)?.id === tenant.id;
}
