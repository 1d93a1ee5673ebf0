import { describeCause, type Logger, normalizeLogger, publicCloud } from "@adlkit/core";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

type AbortSignalLike = NonNullable<GetTokenOptions["abortSignal"]>;

import type { AuthenticationResult, ConfidentialClientApplication, NodeAuthOptions } from "@azure/msal-node";
import { hintForAadsts, parseAadsts } from "./aadsts-hints.js";
import { staticAuthorityMetadata } from "./authority-metadata.js";
import { AuthenticationError } from "./errors.js";
import { invalidArgument } from "./invalid-argument.js";
import { authorityTrust, MsalNetworkClient } from "./msal-network-client.js";
import {
  credentialKey,
  FileTokenCachePlugin,
  readCachedAccessToken,
  type TokenCacheOptions,
  tokenCacheFile,
} from "./token-cache-file.js";
import type { CredentialOptions } from "./token-options.js";

/** msal-node messages that say nothing useful for a service principal (they would read as a problem in --debug). */
const NOISE = /No client info in response/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9.-]+\.[a-z]{2,}$/i;

/** Checks what the user typed before any network call, with the name of the offending argument. */
export function requireArgument(credential: string, name: string, value: unknown, envName?: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw invalidArgument(credential, name, `${envName ? `(or ${envName}) ` : ""}is required.`);
  }
  return value.trim();
}

export function checkTenantId(credential: string, tenantId: string): void {
  if (["common", "organizations", "consumers"].includes(tenantId.toLowerCase())) {
    throw invalidArgument(
      credential,
      "tenantId",
      `must name a specific tenant for service-to-service tokens, not '${tenantId}'.`,
    );
  }
  if (!GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    throw invalidArgument(
      credential,
      "tenantId",
      `'${tenantId}' must be a directory GUID or a domain such as contoso.onmicrosoft.com.`,
    );
  }
}

/** `https://host[:port]` of the authority, validated: msal-node refuses anything but HTTPS. */
export function resolveAuthorityHost(credential: string, options: CredentialOptions): string {
  const raw = options.authorityHost ?? options.cloud?.authorityHost ?? publicCloud.authorityHost;
  let url: URL;
  try {
    url = new URL(raw.includes("://") ? raw : `https://${raw}`);
  } catch {
    throw invalidArgument(credential, "authorityHost", `'${raw}' is not a URL.`);
  }
  if (url.protocol !== "https:")
    throw invalidArgument(credential, "authorityHost", `must use https, got '${raw}'.`);
  return url.origin;
}

/**
 * A TokenCredential on msal-node's ConfidentialClientApplication: one application per credential (msal-node
 * caches tokens per instance), concurrent callers for the same scopes share one request, `abortSignal` is
 * honoured, and failures become AuthenticationErrors naming the AADSTS reason and the fix.
 */
export class ConfidentialClientCredential implements TokenCredential {
  readonly #name: string;
  readonly #tenantId: string;
  readonly #clientId: string;
  readonly #authority: string;
  readonly #network: MsalNetworkClient;
  readonly #logger: Logger;
  readonly #makeAuth: () => Promise<Partial<NodeAuthOptions>>;
  #auth: Promise<Partial<NodeAuthOptions>> | undefined;
  readonly #tokenCache: TokenCacheOptions | undefined;
  #app: Promise<ConfidentialClientApplication> | undefined;
  readonly #inFlight = new Map<string, Promise<AccessToken>>();

  constructor(args: {
    name: string;
    tenantId: string;
    clientId: string;
    options: CredentialOptions;
    /** The credential part of msal's auth config (secret, certificate or assertion), made on first use. */
    auth: () => Promise<Partial<NodeAuthOptions>>;
  }) {
    this.#name = args.name;
    this.#tenantId = args.tenantId;
    this.#clientId = args.clientId;
    this.#authority = `${resolveAuthorityHost(args.name, args.options)}/${args.tenantId}`;
    const cache = args.options.tokenCache;
    this.#logger = normalizeLogger(args.options.logger, "adlkit:auth");
    this.#network = new MsalNetworkClient({
      ...authorityTrust(args.options),
      logger: this.#logger,
      dispatcher: args.options.dispatcher,
    });
    this.#makeAuth = args.auth;
    if (cache) tokenCacheFile(cache, this.#authority, this.#clientId, ""); // a bad partition fails here, not later
    this.#tokenCache = cache;
  }

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const list = (Array.isArray(scopes) ? scopes : [scopes]).map((s) => s.trim()).filter(Boolean);
    if (list.length === 0)
      throw invalidArgument(`${this.#name}.getToken`, "scopes", "must hold at least one scope.");
    const key = [...list].sort().join(" ").toLowerCase();
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#acquire(list).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return abortable(pending, options.abortSignal, this.#name);
  }

  async #acquire(scopes: string[]): Promise<AccessToken> {
    let result: AuthenticationResult | null;
    try {
      const cached = await this.#fromCacheFile(scopes);
      if (cached) return cached;
      const app = await this.#application();
      result = await app.acquireTokenByClientCredential({ scopes });
    } catch (err) {
      throw this.#translate(err, scopes);
    }
    if (!result?.accessToken) {
      throw new AuthenticationError(
        `${this.#name}: the token service returned no access token for ${scopes.join(" ")}.`,
      );
    }
    return {
      token: result.accessToken,
      expiresOnTimestamp: (result.expiresOn ?? new Date(Date.now() + 3600_000)).getTime(),
      ...(result.refreshOn ? { refreshAfterTimestamp: result.refreshOn.getTime() } : {}),
      tokenType: "Bearer",
    };
  }

  /** The credential part of msal's configuration, made once (it may read a certificate file). */
  #credentialAuth(): Promise<Partial<NodeAuthOptions>> {
    this.#auth ??= this.#makeAuth();
    return this.#auth;
  }

  /**
   * A token from the persistent cache when it holds one msal-node would serve as it is, read without loading
   * msal-node: that is most of a one-shot command's start-up. msal-node is loaded only to get or refresh one.
   */
  async #fromCacheFile(scopes: string[]): Promise<AccessToken | undefined> {
    const cache = this.#tokenCache;
    if (!cache) return undefined;
    const file = tokenCacheFile(
      cache,
      this.#authority,
      this.#clientId,
      credentialKey(await this.#credentialAuth()),
    );
    const url = new URL(this.#authority);
    const hit = await readCachedAccessToken(file, {
      host: url.host,
      tenantId: this.#tenantId,
      clientId: this.#clientId,
      scopes,
    });
    if (!hit) return undefined;
    this.#logger.verbose(`${this.#name}: access token for ${scopes.join(" ")} from the token cache file`);
    return {
      token: hit.token,
      expiresOnTimestamp: hit.expiresOn * 1000,
      ...(hit.refreshOn !== undefined ? { refreshAfterTimestamp: hit.refreshOn * 1000 } : {}),
      tokenType: "Bearer",
    };
  }

  #application(): Promise<ConfidentialClientApplication> {
    this.#app ??= (async () => {
      const { origin, host } = new URL(this.#authority);
      const [auth, { ConfidentialClientApplication, LogLevel }] = await Promise.all([
        this.#credentialAuth(),
        import("@azure/msal-node"),
      ]);
      const cache = this.#tokenCache;
      const plugin =
        cache &&
        new FileTokenCachePlugin(
          tokenCacheFile(cache, this.#authority, this.#clientId, credentialKey(auth)),
          cache.onWarning ?? ((message: string) => this.#logger.warning(message)),
        );
      return new ConfidentialClientApplication({
        auth: {
          clientId: this.#clientId,
          authority: this.#authority,
          // Known authority and both discovery documents: the token request is msal-node's only call (no
          // OpenID document from this host, no instance discovery at the public cloud).
          knownAuthorities: [host],
          ...staticAuthorityMetadata(origin, this.#tenantId),
          ...auth,
        },
        ...(plugin ? { cache: { cachePlugin: plugin } } : {}),
        system: {
          networkClient: this.#network,
          loggerOptions: {
            piiLoggingEnabled: false,
            logLevel: LogLevel.Warning,
            loggerCallback: (_level, message) => {
              // A client-credentials answer never has client_info (that is for users); msal-node warns anyway.
              if (NOISE.test(message)) return;
              this.#logger.verbose(`msal-node: ${message}`);
            },
          },
        },
      });
    })();
    return this.#app;
  }

  #translate(err: unknown, scopes: string[]): Error {
    if (err instanceof AuthenticationError) return err;
    const e = err as {
      errorCode?: string;
      errorMessage?: string;
      message?: string;
      correlationId?: string;
      subError?: string;
    };
    const message = e.errorMessage || e.message || String(err);
    const aadsts = parseAadsts(message);
    const where = `${this.#name} for client '${this.#clientId}' in tenant '${this.#tenantId}' at ${this.#authority}`;
    if (aadsts !== undefined) {
      const description =
        /Description: (AADSTS\d+: [^\r\n]*?)(?: - Correlation ID|\r|\n|$)/.exec(message)?.[1] ??
        `AADSTS${aadsts}`;
      return new AuthenticationError(`${where} failed: ${description}`, {
        aadsts,
        errorCode: e.errorCode,
        correlationId: e.correlationId,
        hint: hintForAadsts(aadsts),
        cause: err,
      });
    }
    if (e.errorCode === "endpoints_resolution_error" || e.errorCode === "network_error") {
      const transport = this.#network.lastTransportError;
      const reason = transport ? describeCause(transport) : message;
      const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i.test(reason);
      return new AuthenticationError(`${where} failed: the authority could not be reached (${reason}).`, {
        errorCode: e.errorCode,
        correlationId: e.correlationId,
        hint: tls
          ? "The authority's TLS certificate is not trusted. For the emulator pass its cloud (emulatorCloudFromFile) or caPem, or set NODE_EXTRA_CA_CERTS to its ca.pem."
          : "Check the authority host and tenant, and that the machine can reach it (proxy settings: HTTPS_PROXY).",
        cause: err,
      });
    }
    return new AuthenticationError(`${where} failed for ${scopes.join(" ")}: ${message}`, {
      errorCode: e.errorCode,
      correlationId: e.correlationId,
      cause: err,
    });
  }
}

/** Resolves with `promise` unless `signal` aborts first (the shared request itself keeps going for others). */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignalLike | undefined,
  name: string,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted)
    return Promise.reject(
      new AuthenticationError(`${name}.getToken was aborted.`, {
        errorCode: "ABORTED",
        cause: (signal as AbortSignal).reason,
      }),
    );
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new AuthenticationError(`${name}.getToken was aborted.`, {
          errorCode: "ABORTED",
          cause: (signal as AbortSignal).reason,
        }),
      );
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
