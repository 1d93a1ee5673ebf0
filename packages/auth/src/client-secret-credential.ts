import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfidentialClientCredential, checkTenantId, requireArgument } from "./confidential-client.js";
import type { CredentialOptions } from "./token-options.js";

/**
 * A service principal with a client secret. Same argument order as `@azure/identity`.
 * The secret lives only in a closure handed to msal-node: it is not a property, so it cannot be logged or inspected.
 */
export class ClientSecretCredential implements TokenCredential {
  readonly #inner: ConfidentialClientCredential;

  constructor(tenantId: string, clientId: string, clientSecret: string, options: CredentialOptions = {}) {
    const name = "ClientSecretCredential";
    const tenant = requireArgument(name, "tenantId", tenantId);
    checkTenantId(name, tenant);
    const client = requireArgument(name, "clientId", clientId);
    const secret = requireArgument(name, "clientSecret", clientSecret);
    this.#inner = new ConfidentialClientCredential({
      name,
      tenantId: tenant,
      clientId: client,
      options,
      auth: async () => ({ clientSecret: secret }),
    });
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#inner.getToken(scopes, options);
  }
}
