import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfidentialClientCredential, checkTenantId, requireArgument } from "./confidential-client.js";
import { invalidArgument } from "./invalid-argument.js";
import type { CredentialOptions } from "./token-options.js";

/**
 * A service principal that proves itself with an assertion made elsewhere (workload identity federation, an
 * HSM, a signing service). `getAssertion` is called before each token request and must return a signed JWT.
 */
export class ClientAssertionCredential implements TokenCredential {
  readonly #inner: ConfidentialClientCredential;

  constructor(
    tenantId: string,
    clientId: string,
    getAssertion: () => string | Promise<string>,
    options: CredentialOptions = {},
  ) {
    const name = "ClientAssertionCredential";
    const tenant = requireArgument(name, "tenantId", tenantId);
    checkTenantId(name, tenant);
    const client = requireArgument(name, "clientId", clientId);
    if (typeof getAssertion !== "function")
      throw invalidArgument(name, "getAssertion", "must be a function returning a JWT.");
    this.#inner = new ConfidentialClientCredential({
      name,
      tenantId: tenant,
      clientId: client,
      options,
      auth: async () => ({
        clientAssertion: async () => {
          const assertion = await getAssertion();
          if (typeof assertion !== "string" || assertion.split(".").length !== 3) {
            throw invalidArgument(name, "getAssertion", "must return a JWT (header.payload.signature).");
          }
          return assertion;
        },
      }),
    });
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#inner.getToken(scopes, options);
  }
}
