import {
  type CaTrust,
  createHttpClient,
  type HttpClient,
  isTransient,
  type Logger,
  sanitizeForm,
  sanitizeUrl,
  type TextResponse,
} from "@adlkit/core";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import type { Dispatcher } from "undici";
import type { CredentialOptions } from "./token-options.js";
import { VERSION } from "./version.js";

const RETRY = { limit: 3, baseDelayInMs: 400, maxDelayInMs: 20_000 };
/** msal-node's SDK and telemetry fields: the same in every request, so left out of the log line. */
const ROUTINE_FIELD = /^(x-client-|x-ms-lib-|client-request-id$|client_info$)/i;

/**
 * What a token request asked for, for the verbose log (like every other request: adl --debug): flow, client and
 * scope, the secret or assertion redacted.
 */
function describeForm(body: string | undefined): string {
  if (typeof body !== "string" || !body) return "";
  const fields = new URLSearchParams(body);
  for (const key of [...fields.keys()]) if (ROUTINE_FIELD.test(key)) fields.delete(key);
  return ` ${sanitizeForm(fields.toString())}`;
}

/**
 * The CA a credential trusts the authority by: its own `caPem` besides the process's roots (what the option
 * promises), else the cloud's CA, trusted as the cloud says (the emulator's alone).
 */
export function authorityTrust(options: Pick<CredentialOptions, "caPem" | "cloud">): {
  caPem: string | undefined;
  caTrust: CaTrust | undefined;
} {
  if (options.caPem) return { caPem: options.caPem, caTrust: "extra" };
  return { caPem: options.cloud?.caPem, caTrust: options.cloud?.caTrust };
}

/**
 * msal-node's network layer, replaced by core's `send` for three reasons: it trusts the cloud's extra CA (the
 * emulator's) without touching process-wide TLS settings; it retries throttling and transient errors, honouring
 * Retry-After (msal-node does not, and would otherwise refuse identical requests locally for 60 s); and it
 * remembers the real transport failure that msal-node reports only as `endpoints_resolution_error`.
 */
export class MsalNetworkClient implements INetworkModule {
  readonly #http: HttpClient;
  readonly #logger: Logger;
  /** The last transport error, kept so a vague msal error can be explained. */
  lastTransportError: unknown;

  constructor(options: {
    caPem?: string | undefined;
    caTrust?: CaTrust | undefined;
    logger: Logger;
    dispatcher?: Dispatcher | undefined;
  }) {
    this.#logger = options.logger;
    this.#http = createHttpClient({
      caPem: options.caPem,
      caTrust: options.caTrust,
      dispatcher: options.dispatcher,
      connections: 4,
      retry: RETRY,
      userAgent: `adlkit-auth/${VERSION}`,
      // The exchange's verbose line is written below, with the form (core's would lack it and come twice);
      // retries and failures are still logged by core.
      logger: {
        error: (m) => options.logger.error(m),
        warning: (m) => options.logger.warning(m),
        info: (m) => options.logger.info(m),
      },
      namespace: "adlkit:auth",
    });
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.#send<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>("POST", url, options);
  }

  async close(): Promise<void> {
    await this.#http.close();
  }

  async #send<T>(
    method: string,
    url: string,
    options: NetworkRequestOptions = {},
    timeoutInMs = 30_000,
  ): Promise<NetworkResponse<T>> {
    let response: TextResponse;
    try {
      response = await this.#http.send({
        method,
        url,
        headers: options.headers ?? {},
        ...(options.body !== undefined ? { body: options.body } : {}),
        // A token request changes nothing on the server: repeating one is always safe.
        retryable: true,
        // msal-node reads Entra's error bodies itself (AADSTS codes); only transient answers are retried here.
        acceptStatuses: (status) => !isTransient({ status }),
        timeoutInMs,
        read: "text",
      });
    } catch (err) {
      // msal-node wraps whatever is thrown here; the credential explains it from lastTransportError.
      this.lastTransportError = err;
      throw err;
    }
    this.#logger.verbose(
      `${method} ${sanitizeUrl(url)}${describeForm(options.body)} -> ${response.status} (request id ${response.requestId ?? "none"})`,
    );
    let body: unknown;
    try {
      body = response.text ? JSON.parse(response.text) : {};
    } catch {
      // msal-node needs JSON; describe the non-JSON answer as an error body so it surfaces, not a parse crash.
      body = {
        error: "invalid_response",
        error_description: `The token service answered HTTP ${response.status} with a body that is not JSON.`,
      };
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    this.lastTransportError = undefined;
    return { headers, body: body as T, status: response.status };
  }
}
