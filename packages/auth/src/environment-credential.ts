import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ClientCertificateCredential } from "./client-certificate-credential.js";
import { ClientSecretCredential } from "./client-secret-credential.js";
import { CredentialUnavailableError } from "./errors.js";
import type { CredentialOptions } from "./token-options.js";

/**
 * A service principal described by the conventional variables: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, and
 * `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PATH` (optionally `AZURE_AUTHORITY_HOST`,
 * `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`). The only adlkit library code that reads the environment.
 */
export class EnvironmentCredential implements TokenCredential {
  readonly #inner: TokenCredential | undefined;
  readonly #missing: string | undefined;

  constructor(options: CredentialOptions & { env?: NodeJS.ProcessEnv } = {}) {
    const env = options.env ?? process.env;
    const tenantId = env.AZURE_TENANT_ID;
    const clientId = env.AZURE_CLIENT_ID;
    const secret = env.AZURE_CLIENT_SECRET;
    const certificatePath = env.AZURE_CLIENT_CERTIFICATE_PATH;
    const withHost: CredentialOptions = env.AZURE_AUTHORITY_HOST
      ? { ...options, authorityHost: env.AZURE_AUTHORITY_HOST }
      : options;
    const missing = [
      !tenantId && "AZURE_TENANT_ID",
      !clientId && "AZURE_CLIENT_ID",
      !secret && !certificatePath && "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH",
    ].filter(Boolean);
    if (missing.length > 0) {
      this.#missing = `EnvironmentCredential is unavailable: ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not set.`;
      return;
    }
    if (env.AZURE_CLIENT_CERTIFICATE_PASSWORD) {
      this.#missing =
        "EnvironmentCredential: password-protected certificates (AZURE_CLIENT_CERTIFICATE_PASSWORD) are not supported; use an unencrypted PEM.";
      return;
    }
    this.#inner = secret
      ? new ClientSecretCredential(tenantId!, clientId!, secret, withHost)
      : new ClientCertificateCredential(tenantId!, clientId!, certificatePath!, {
          ...withHost,
          sendCertificateChain: /^(1|true)$/i.test(env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN ?? ""),
        });
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (!this.#inner) {
      return Promise.reject(
        new CredentialUnavailableError(this.#missing!, "Set the variables, or pass a credential explicitly."),
      );
    }
    return this.#inner.getToken(scopes, options) as Promise<AccessToken>;
  }
}
