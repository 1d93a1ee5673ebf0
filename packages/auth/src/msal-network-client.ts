import { setTimeout as sleep } from "node:timers/promises";
import {
  createDispatcher,
  delayBeforeRetry,
  type Logger,
  resolveRetry,
  sanitizeForm,
  sanitizeUrl,
} from "@adlkit/core";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { type Dispatcher, fetch as undiciFetch } from "undici";

const TRANSIENT = new Set([429, 500, 502, 503, 504]);
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
 * msal-node's network layer, replaced for three reasons: it trusts the cloud's extra CA (the emulator's) without
 * touching process-wide TLS settings; it retries throttling and transient errors itself, honouring Retry-After
 * (msal-node does not, and would otherwise refuse identical requests locally for 60 s); and it remembers the
 * real transport failure that msal-node reports only as `endpoints_resolution_error`.
 */
export class MsalNetworkClient implements INetworkModule {
  readonly #dispatcher: Dispatcher;
  readonly #logger: Logger;
  readonly #retry = resolveRetry({ limit: 3, baseDelayInMs: 400, maxDelayInMs: 20_000 });
  /** The last transport error, kept so a vague msal error can be explained. */
  lastTransportError: unknown;

  constructor(options: { caPem?: string | undefined; logger: Logger; dispatcher?: Dispatcher | undefined }) {
    this.#dispatcher = options.dispatcher ?? createDispatcher({ caPem: options.caPem, connections: 4 });
    this.#logger = options.logger;
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
    await this.#dispatcher.close();
  }

  async #send<T>(
    method: string,
    url: string,
    options: NetworkRequestOptions = {},
    timeoutInMs = 30_000,
  ): Promise<NetworkResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      let response: Awaited<ReturnType<typeof undiciFetch>>;
      try {
        response = await undiciFetch(url, {
          method,
          headers: options.headers ?? {},
          ...(options.body !== undefined ? { body: options.body } : {}),
          dispatcher: this.#dispatcher,
          signal: AbortSignal.timeout(timeoutInMs),
        });
      } catch (err) {
        this.lastTransportError = err;
        if (attempt < this.#retry.limit) {
          const wait = delayBeforeRetry(attempt, this.#retry);
          this.#logger.info(
            `${method} ${sanitizeUrl(url)} failed at the transport level; retrying in ${wait} ms`,
          );
          await sleep(wait);
          continue;
        }
        // msal-node wraps whatever is thrown here; the credential explains it from lastTransportError.
        throw err;
      }
      if (TRANSIENT.has(response.status) && attempt < this.#retry.limit) {
        const wait = delayBeforeRetry(attempt, this.#retry, response.headers as unknown as Headers);
        await response.body?.cancel();
        this.#logger.info(`${method} ${sanitizeUrl(url)} -> ${response.status}; retrying in ${wait} ms`);
        await sleep(wait);
        continue;
      }
      this.#logger.verbose(
        `${method} ${sanitizeUrl(url)}${describeForm(options.body)} -> ${response.status} (request id ${response.headers.get("x-ms-request-id") ?? "none"})`,
      );
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : {};
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
}
