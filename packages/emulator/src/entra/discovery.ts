import type { RequestContext } from "../http/context.js";
import { sendJson } from "../http/respond.js";
import { pemToDer } from "../tls/certificates.js";
import { EntraError } from "./entra-error.js";
import { v1Issuer } from "./mint-token.js";

const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);
const DISCOVERY_HEADERS = { "Cache-Control": "max-age=86400, private", "Access-Control-Allow-Origin": "*" };

/** Resolves `{tenant}` of a discovery path to a tenant id, or the literal placeholder for multi-tenant paths. */
function tenantSegment(ctx: RequestContext, alias: string): string {
  if (MULTI_TENANT.has(alias.toLowerCase())) return "{tenantid}";
  const tenant = ctx.services.identity.resolveTenant(alias);
  if (!tenant) {
    throw new EntraError(
      400,
      "invalid_tenant",
      90002,
      `Tenant '${alias}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }
  return tenant.id;
}

/** `GET /{tenant}/v2.0/.well-known/openid-configuration` */
export function openIdConfigurationV2(ctx: RequestContext, alias: string): void {
  const tid = tenantSegment(ctx, alias);
  const segment = tid === "{tenantid}" ? alias.toLowerCase() : tid;
  const base = `${ctx.baseUrl}/${segment}`;
  sendJson(
    ctx.res,
    200,
    {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      // Same scheme, host and port as the authority: msal-node >= 5 rejects any other issuer origin.
      issuer: `${ctx.baseUrl}/${tid}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${ctx.baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        "sub",
        "iss",
        "cloud_instance_name",
        "cloud_instance_host_name",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "acr",
        "nonce",
        "tid",
        "ver",
      ],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: "WW",
      cloud_instance_name: "adl-emulator",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
      rbac_url: "https://pas.windows.net",
    },
    DISCOVERY_HEADERS,
  );
}

/** `GET /{tenant}/.well-known/openid-configuration` (v1) */
export function openIdConfigurationV1(ctx: RequestContext, alias: string): void {
  const tid = tenantSegment(ctx, alias);
  const segment = tid === "{tenantid}" ? alias.toLowerCase() : tid;
  const base = `${ctx.baseUrl}/${segment}`;
  sendJson(
    ctx.res,
    200,
    {
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${ctx.baseUrl}/common/discovery/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/logout`,
      response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
      scopes_supported: ["openid"],
      issuer: tid === "{tenantid}" ? "https://sts.windows.net/{tenantid}/" : v1Issuer(tid),
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce", "tid", "ver"],
      microsoft_multi_refresh_token: true,
      check_session_iframe: `${base}/oauth2/checksession`,
      userinfo_endpoint: `${base}/openid/userinfo`,
      authorization_endpoint: `${base}/oauth2/authorize`,
      tenant_region_scope: "WW",
      cloud_instance_name: "adl-emulator",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
      rbac_url: "https://pas.windows.net",
    },
    DISCOVERY_HEADERS,
  );
}

/** `GET /{tenant}/discovery[/v2.0]/keys`: the emulator's one signing key as a JWKS. */
export function signingKeys(ctx: RequestContext, alias: string, v2: boolean): void {
  const tid = tenantSegment(ctx, alias);
  const { identity } = ctx.services;
  const jwk = identity.signingPublicKey.export({ format: "jwk" }) as { n: string; e: string };
  const key: Record<string, unknown> = {
    kty: "RSA",
    use: "sig",
    kid: identity.keyId,
    x5t: identity.keyId,
    n: jwk.n,
    e: jwk.e,
    x5c: [pemToDer(identity.signingCertPem).toString("base64")],
  };
  if (v2) key.issuer = `${ctx.baseUrl}/${tid}/v2.0`;
  sendJson(ctx.res, 200, { keys: [key] }, DISCOVERY_HEADERS);
}

/** Host names that reach this emulator, without port (adal drops the port from its instance-discovery query). */
function isOurHost(ctx: RequestContext, hostname: string): boolean {
  const ours = new URL(ctx.baseUrl).hostname;
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return (
    name === ours ||
    name === "localhost" ||
    name === "127.0.0.1" ||
    name === "::1" ||
    name.endsWith(".localhost")
  );
}

/** `GET /common/discovery/instance?api-version=…&authorization_endpoint=…` */
export function instanceDiscovery(ctx: RequestContext): void {
  const endpoint = ctx.url.searchParams.get("authorization_endpoint");
  let target: URL | undefined;
  try {
    target = endpoint ? new URL(endpoint) : undefined;
  } catch {
    target = undefined;
  }
  if (target?.protocol !== "https:" || !isOurHost(ctx, target.hostname)) {
    throw new EntraError(400, "invalid_instance", 50049, "Unknown or invalid instance.");
  }
  // Our own host and port, whatever host or port the query named (it is validated above, never echoed).
  const host = new URL(ctx.baseUrl).host;
  const tenant = target.pathname.split("/").filter(Boolean)[0] ?? "common";
  sendJson(ctx.res, 200, {
    tenant_discovery_endpoint: `https://${host}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": ctx.url.searchParams.get("api-version") ?? "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}
