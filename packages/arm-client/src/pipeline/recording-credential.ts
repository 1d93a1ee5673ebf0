import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

/**
 * Wraps the caller's credential and remembers the last token it handed out, which is the one the bearer
 * cache is sending. Only error hints read it, to name its claims; it is never logged or copied.
 */
export class RecordingCredential implements TokenCredential {
  readonly #inner: TokenCredential;
  #last: string | undefined;

  constructor(inner: TokenCredential) {
    this.#inner = inner;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const token = await this.#inner.getToken(scopes, options);
    this.#last = token?.token;
    return token;
  }

  get lastToken(): string | undefined {
    return this.#last;
  }
}
