import type { Cloud, Logger } from "@adlkit/core";
import type { Dispatcher } from "undici";
import type { TokenCacheOptions } from "./token-cache-file.js";

/** Options every adlkit credential takes, with `@azure/identity`'s names where they exist. */
export interface CredentialOptions {
  /** The cloud whose authority host (and extra CA) to use. @default publicCloud */
  cloud?: Cloud;
  /** Overrides `cloud.authorityHost`, e.g. `https://login.microsoftonline.us`. */
  authorityHost?: string;
  /**
   * Extra CA certificate (PEM) to trust for the authority, besides the process's roots; defaults to `cloud.caPem`
   * (trusted as `cloud.caTrust` says).
   */
  caPem?: string;
  /** Logger for retries and msal-node's own messages (without PII). */
  logger?: Partial<Logger>;
  /** Bring your own undici dispatcher (proxy, pool). */
  dispatcher?: Dispatcher;
  /**
   * Keep tokens in a file, so the next process reuses them until they near expiry (client secret, certificate
   * and assertion credentials). Without it, tokens live in memory, per credential object.
   */
  tokenCache?: TokenCacheOptions;
}
