import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { AdlkitError } from "../errors/adlkit-error.js";

export interface BearerTokenCacheOptions {
  /** Refresh this long before expiry; the old token keeps serving while the refresh runs. @default 120000 */
  refreshWindowInMs?: number;
}

/**
 * One token for one set of scopes, refreshed before it expires. Concurrent callers share one in-flight
 * request; a failed background refresh keeps the still-valid token; an expired token is never returned.
 */
export class BearerTokenCache {
  readonly #credential: TokenCredential;
  readonly #scopes: string[];
  readonly #windowInMs: number;
  #token: AccessToken | undefined;
  #inFlight: Promise<AccessToken> | undefined;

  constructor(credential: TokenCredential, scopes: string | string[], options: BearerTokenCacheOptions = {}) {
    this.#credential = credential;
    this.#scopes = Array.isArray(scopes) ? scopes : [scopes];
    this.#windowInMs = options.refreshWindowInMs ?? 120_000;
  }

  /** A token that is valid now. `forceRefresh` fetches a new one (after a 401), sharing any refresh in flight. */
  async getToken(options: { forceRefresh?: boolean; abortSignal?: AbortSignal } = {}): Promise<string> {
    const now = Date.now();
    const token = this.#token;
    if (!options.forceRefresh && token) {
      const refreshAt = Math.min(
        token.expiresOnTimestamp - this.#windowInMs,
        token.refreshAfterTimestamp ?? Number.POSITIVE_INFINITY,
      );
      if (now < refreshAt) return token.token;
      if (now < token.expiresOnTimestamp - 5_000) {
        // Still valid: refresh in the background and serve the current token meanwhile.
        this.#refresh(options.abortSignal).catch(() => {});
        return token.token;
      }
    }
    if (options.forceRefresh) this.#token = undefined;
    return (await this.#refresh(options.abortSignal)).token;
  }

  /** Forgets the cached token (after the server refused it). */
  invalidate(): void {
    this.#token = undefined;
  }

  #refresh(abortSignal: AbortSignal | undefined): Promise<AccessToken> {
    this.#inFlight ??= (async () => {
      try {
        const getOptions: GetTokenOptions = abortSignal ? { abortSignal } : {};
        const token = await this.#credential.getToken(this.#scopes, getOptions);
        if (!token) {
          throw new AdlkitError(`The credential returned no token for ${this.#scopes.join(" ")}.`, {
            code: "NO_TOKEN",
          });
        }
        this.#token = token;
        return token;
      } catch (err) {
        if (this.#token && this.#token.expiresOnTimestamp <= Date.now()) this.#token = undefined;
        throw err;
      } finally {
        this.#inFlight = undefined;
      }
    })();
    return this.#inFlight;
  }
}
