import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { EnvironmentCredential } from "./environment-credential.js";
import { CredentialUnavailableError } from "./errors.js";
import { invalidArgument } from "./invalid-argument.js";
import { ManagedIdentityCredential } from "./managed-identity-credential.js";
import type { CredentialOptions } from "./token-options.js";

/**
 * Tries credentials in order. Only "unavailable" moves on to the next one; a real failure (a wrong secret)
 * stops the chain, because hiding it behind the next credential's error would mislead. The first credential
 * that works is used from then on.
 */
export class ChainedTokenCredential implements TokenCredential {
  readonly #sources: TokenCredential[];
  #selected: TokenCredential | undefined;

  constructor(...sources: TokenCredential[]) {
    if (sources.length === 0)
      throw invalidArgument("ChainedTokenCredential", "sources", "must hold at least one credential.");
    this.#sources = sources;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (this.#selected) return (await this.#selected.getToken(scopes, options))!;
    const reasons: string[] = [];
    for (const source of this.#sources) {
      try {
        const token = await source.getToken(scopes, options);
        if (token) {
          this.#selected = source;
          return token;
        }
        reasons.push(`${source.constructor.name}: returned no token`);
      } catch (err) {
        if (!(err instanceof CredentialUnavailableError)) throw err;
        reasons.push(err.message);
      }
    }
    throw new CredentialUnavailableError(
      `No credential in the chain could get a token:\n- ${reasons.join("\n- ")}`,
      "Configure one of them (for example the AZURE_* variables).",
    );
  }
}

/** Environment variables first, then the host's managed identity: what a service usually wants. */
export function createDefaultCredential(options: CredentialOptions = {}): TokenCredential {
  return new ChainedTokenCredential(
    new EnvironmentCredential(options),
    new ManagedIdentityCredential(options),
  );
}
