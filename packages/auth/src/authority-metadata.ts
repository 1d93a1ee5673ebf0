/**
 * The two discovery documents msal-node would otherwise fetch before its first token request, built offline.
 *
 * Every authority an adlkit credential accepts is an Entra-shaped host (only its origin is kept), and Entra's
 * endpoints follow one template per tenant: `{host}/{tenant}/oauth2/v2.0/token` and so on — the same template
 * msal-node hard-codes for the public and US Government clouds, and what the emulator's OpenID document
 * advertises. Handing both documents to msal-node (`authorityMetadata`, `cloudDiscoveryMetadata`) means a token
 * request is the only call it makes: no OpenID document (one round trip on every cold process) and no instance
 * discovery at the public cloud (unreachable for the emulator and sovereign hosts).
 */
export interface StaticAuthorityMetadata {
  /** The OpenID configuration msal-node reads endpoints from (it validates no issuer for this source). */
  authorityMetadata: string;
  /** An instance-discovery answer naming the host as its own (and only) alias. */
  cloudDiscoveryMetadata: string;
}

/** `origin` is `https://host[:port]`; `tenant` the tenant segment as configured (GUID or domain). */
export function staticAuthorityMetadata(origin: string, tenant: string): StaticAuthorityMetadata {
  const host = new URL(origin).host; // with the port, as msal-node compares it
  const base = `${origin}/${tenant}`;
  return {
    authorityMetadata: JSON.stringify({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      issuer: `${base}/v2.0`,
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }),
  };
}
