import { describeCause, normalizeLogger, resourceFromScope } from "@adlkit/core";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { ManagedIdentityApplication } from "@azure/msal-node";
import { abortable } from "./confidential-client.js";
import { AuthenticationError, CredentialUnavailableError } from "./errors.js";
import { invalidArgument } from "./invalid-argument.js";
import { authorityTrust, MsalNetworkClient } from "./msal-network-client.js";
import type { CredentialOptions } from "./token-options.js";

/** No `tokenCache`: msal-node keeps managed-identity tokens in memory only (the host's endpoint is local). */
export interface ManagedIdentityCredentialOptions extends Omit<CredentialOptions, "tokenCache"> {
  /** Client id of a user-assigned identity; omit for the system-assigned one. */
  clientId?: string;
}

/**
 * The managed identity of the host (App Service, Functions, VMs, Arc...), found by msal-node from the usual
 * environment variables (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`, `MSI_ENDPOINT`, or IMDS). The emulator serves
 * the App Service style at `{url}/msi/token` (see its connection.json).
 */
export class ManagedIdentityCredential implements TokenCredential {
  readonly #makeApp: () => Promise<ManagedIdentityApplication>;
  #app: Promise<ManagedIdentityApplication> | undefined;
  readonly #network: MsalNetworkClient;
  readonly #inFlight = new Map<string, Promise<AccessToken>>();

  constructor(options: ManagedIdentityCredentialOptions = {}) {
    const logger = normalizeLogger(options.logger, "adlkit:auth");
    this.#network = new MsalNetworkClient({
      ...authorityTrust(options),
      logger,
      dispatcher: options.dispatcher,
    });
    // msal-node is loaded on the first token request, not with the credential: a command that never asks for a
    // token (or a process that only builds clients) does not pay for loading it.
    this.#makeApp = async () => {
      const { ManagedIdentityApplication } = await import("@azure/msal-node");
      return new ManagedIdentityApplication({
        ...(options.clientId ? { managedIdentityIdParams: { userAssignedClientId: options.clientId } } : {}),
        system: {
          networkClient: this.#network,
          loggerOptions: {
            piiLoggingEnabled: false,
            loggerCallback: (_l, m) => logger.verbose(`msal-node: ${m}`),
          },
        },
      });
    };
  }

  getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const list = Array.isArray(scopes) ? scopes : [scopes];
    if (list.length !== 1) {
      return Promise.reject(
        invalidArgument(
          "ManagedIdentityCredential",
          "scopes",
          "must hold exactly one scope (one resource) per request.",
        ),
      );
    }
    const resource = resourceFromScope(list[0]!);
    let pending = this.#inFlight.get(resource);
    if (!pending) {
      pending = this.#acquire(resource).finally(() => this.#inFlight.delete(resource));
      this.#inFlight.set(resource, pending);
    }
    return abortable(pending, options.abortSignal, "ManagedIdentityCredential");
  }

  async #acquire(resource: string): Promise<AccessToken> {
    this.#app ??= this.#makeApp();
    const app = await this.#app;
    try {
      const result = await app.acquireToken({ resource });
      return {
        token: result.accessToken,
        expiresOnTimestamp: (result.expiresOn ?? new Date(Date.now() + 3600_000)).getTime(),
        ...(result.refreshOn ? { refreshAfterTimestamp: result.refreshOn.getTime() } : {}),
        tokenType: "Bearer",
      };
    } catch (err) {
      const transport = this.#network.lastTransportError;
      if (transport) {
        throw new CredentialUnavailableError(
          `ManagedIdentityCredential: no managed identity endpoint answered (${describeCause(transport)}).`,
          "Run on an Azure host with a managed identity, or set IDENTITY_ENDPOINT and IDENTITY_HEADER (the emulator's connection.json has both).",
        );
      }
      const e = err as { errorCode?: string; errorMessage?: string; message?: string };
      throw new AuthenticationError(
        `ManagedIdentityCredential failed for ${resource}: ${e.errorMessage || e.message}`,
        {
          errorCode: e.errorCode,
          hint: "Check that the identity exists on this host and may get tokens for this resource.",
          cause: err,
        },
      );
    }
  }
}
