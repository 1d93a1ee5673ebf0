import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { TokenCredential } from "@azure/core-auth";
import type { KyInstance } from "ky";
import { type BodyInit, type Dispatcher, fetch as undiciFetch } from "undici";
import { AdlkitError } from "../errors/adlkit-error.js";
import { AbortError, HttpError, NetworkError, TimeoutError } from "../errors/http-error.js";
import { type Logger, normalizeLogger } from "../logger.js";
import { sanitizeUrl } from "../sanitizer.js";
import { BearerTokenCache } from "./bearer-token-cache.js";
import { createDispatcher } from "./dispatcher.js";
import { delayBeforeRetry, type ResolvedRetryOptions, type RetryOptions, resolveRetry } from "./retry.js";

export type ErrorFactory = (response: Response, request: { method: string; url: string }) => Promise<Error>;

export interface HttpClientOptions {
  /** Any `@azure/core-auth` TokenCredential; requests then carry a bearer token for `scopes`. */
  credential?: TokenCredential | undefined;
  scopes?: string | string[] | undefined;
  /** Extra CA (PEM) to trust, e.g. the emulator's. */
  caPem?: string | undefined;
  /** Bring your own undici dispatcher (then `caPem` and `connections` are ignored). */
  dispatcher?: Dispatcher | undefined;
  /** Pool size per origin. @default 16 */
  connections?: number | undefined;
  retry?: RetryOptions | number | false | undefined;
  /** Time limit of one attempt (not of all retries together). @default 60000 */
  timeoutInMs?: number | undefined;
  /** `name/version` of the calling package, first in User-Agent. */
  userAgent: string;
  logger?: Partial<Logger> | undefined;
  /** Logger namespace, e.g. `adlkit:fs`. */
  namespace: string;
  /** Turns an error response into the client's own error type (RemoteException, ARM error, …). */
  errorFactory?: ErrorFactory | undefined;
}

type BodyFactory = () => BodyInit | Promise<BodyInit>;

export interface HttpRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string> | undefined;
  searchParams?: Record<string, string | number | boolean | undefined> | undefined;
  /** JSON body (serialised again for each attempt). */
  json?: unknown;
  /** A body, or a function that makes a fresh one per attempt (required for retrying streamed bodies). */
  body?: BodyInit | BodyFactory | undefined;
  /**
   * Whether a failed attempt may be repeated. Defaults to true for GET/HEAD/PUT/DELETE/OPTIONS and false
   * otherwise (POST): set it where the protocol makes a POST safe to repeat, as WebHDFS APPEND with offsets is.
   */
  retryable?: boolean | undefined;
  /** Statuses to hand back to the caller instead of throwing (e.g. 404 for an existence check). */
  acceptStatuses?: readonly number[] | undefined;
  abortSignal?: AbortSignal | undefined;
  timeoutInMs?: number | undefined;
}

export interface HttpClient {
  /** Sends a request with auth, retries and timeouts; resolves to the response with its body unread. */
  send(request: HttpRequest): Promise<Response>;
  /** A cached bearer token for the client's scopes (for callers that speak HTTP another way). */
  getToken(options?: { forceRefresh?: boolean; abortSignal?: AbortSignal }): Promise<string | undefined>;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly retry: ResolvedRetryOptions;
  /** Closes the pool if this client created it. */
  close(): Promise<void>;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * The one HTTP layer of every adlkit client: ky on undici 8's fetch (streamed bodies, keep-alive pool, extra
 * CA, proxies), a bearer token with a single refresh in flight and one refresh-and-retry on 401, retries that
 * honour Retry-After and x-ms-retry-after-ms, a per-attempt timeout, and a client request id per call.
 * ky's own retry and timeout are off: its timeout spans all attempts and its retry tees (buffers) bodies.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const logger = normalizeLogger(options.logger, options.namespace);
  const retry = resolveRetry(options.retry);
  const ownsDispatcher = !options.dispatcher;
  const dispatcher =
    options.dispatcher ?? createDispatcher({ caPem: options.caPem, connections: options.connections ?? 16 });
  const tokens =
    options.credential && options.scopes
      ? new BearerTokenCache(options.credential, options.scopes)
      : undefined;
  const timeoutInMs = options.timeoutInMs ?? 60_000;
  const userAgent = `${options.userAgent} node/${process.versions.node} (${process.platform}; ${process.arch})`;
  const errorFactory: ErrorFactory = options.errorFactory ?? defaultErrorFactory;

  // ky is loaded on the first request, not with this module: evaluating ky touches the global Request,
  // which makes Node load its own bundled undici (~17 MiB of RSS), and clients that send their hot-path
  // requests with undici.request directly (fs-client's transfers) may never need ky at all.
  let api: KyInstance | undefined;
  const loadApi = async (): Promise<KyInstance> => {
    api ??= (await import("ky")).default.create(kyOptions);
    return api;
  };
  const kyOptions: Parameters<KyInstance["create"]>[0] = {
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    redirect: "manual",
    // undici 8's fetch does not take a global Request, so unpack it (see the toolchain notes).
    fetch: ((input: Request, init?: RequestInit) =>
      undiciFetch(input.url, {
        method: input.method,
        headers: input.headers as never,
        body: input.body as never,
        signal: input.signal as never,
        duplex: "half",
        ...(init as object),
        dispatcher,
      } as never)) as unknown as typeof fetch,
  };

  async function send(request: HttpRequest): Promise<Response> {
    const method = request.method.toUpperCase();
    const url = withSearchParams(request.url, request.searchParams);
    if (tokens && url.protocol !== "https:") {
      throw new AdlkitError(`Refusing to send a bearer token over ${url.protocol} to ${sanitizeUrl(url)}.`, {
        code: "INSECURE_URL",
        hint: "Use an https:// endpoint.",
      });
    }
    const replayable = typeof request.body !== "object" || request.body === null || isBuffer(request.body);
    const mayRetry =
      (request.retryable ?? IDEMPOTENT.has(method)) && (replayable || typeof request.body === "function");
    const clientRequestId = request.headers?.["x-ms-client-request-id"] ?? randomUUID();
    let authRetried = false;

    for (let attempt = 0; ; attempt++) {
      if (request.abortSignal?.aborted)
        throw new AbortError(`${method} ${sanitizeUrl(url)} was aborted.`, request.abortSignal.reason);
      const attemptTimeout = AbortSignal.timeout(request.timeoutInMs ?? timeoutInMs);
      const signal = request.abortSignal
        ? AbortSignal.any([request.abortSignal, attemptTimeout])
        : attemptTimeout;
      const headers: Record<string, string> = {
        "user-agent": userAgent,
        "x-ms-client-request-id": clientRequestId,
        ...request.headers,
      };
      if (tokens)
        headers.authorization = `Bearer ${await tokens.getToken({ forceRefresh: authRetried && attempt > 0, ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}) })}`;
      const body = typeof request.body === "function" ? await request.body() : request.body;

      let response: Response;
      try {
        response = await (await loadApi())(url, {
          method,
          headers,
          signal,
          ...(request.json !== undefined ? { json: request.json } : body !== undefined ? { body } : {}),
        });
        if (response.ok && hasJsonBody(response)) {
          // Read JSON documents here, inside the attempt: a connection cut part-way through the body is then
          // a network failure that is retried like any other, not an error the caller meets later.
          const text = await response.text();
          response = new Response(text, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          });
        }
      } catch (err) {
        if (request.abortSignal?.aborted)
          throw new AbortError(`${method} ${sanitizeUrl(url)} was aborted.`, err);
        const failure = attemptTimeout.aborted
          ? new TimeoutError(
              `${method} ${sanitizeUrl(url)} got no response within ${request.timeoutInMs ?? timeoutInMs} ms.`,
              err,
            )
          : new NetworkError(method, url.toString(), err);
        if (mayRetry && attempt < retry.limit) {
          const wait = delayBeforeRetry(attempt, retry);
          logger.info(
            `${method} ${sanitizeUrl(url)} attempt ${attempt + 1} failed (${failure.message}); retrying in ${wait} ms`,
          );
          await sleep(
            wait,
            undefined,
            request.abortSignal ? { signal: request.abortSignal } : undefined,
          ).catch(() => {});
          continue;
        }
        throw failure;
      }

      if (
        response.ok ||
        request.acceptStatuses?.includes(response.status) ||
        (response.status >= 300 && response.status < 400)
      ) {
        logger.verbose(
          `${method} ${sanitizeUrl(url)} -> ${response.status} (request id ${response.headers.get("x-ms-request-id") ?? "none"})`,
        );
        return response;
      }
      if (
        response.status === 401 &&
        tokens &&
        !authRetried &&
        (replayable || typeof request.body === "function")
      ) {
        // The token may have been revoked or expired early: get a new one once, then give up.
        authRetried = true;
        tokens.invalidate();
        await response.body?.cancel().catch(() => {});
        logger.info(`${method} ${sanitizeUrl(url)} -> 401; retrying once with a fresh token`);
        continue;
      }
      if (mayRetry && attempt < retry.limit && retry.statusCodes.includes(response.status)) {
        const wait = delayBeforeRetry(attempt, retry, response.headers);
        await response.body?.cancel().catch(() => {});
        logger.info(
          `${method} ${sanitizeUrl(url)} -> ${response.status}; retry ${attempt + 1}/${retry.limit} in ${wait} ms`,
        );
        await sleep(wait, undefined, request.abortSignal ? { signal: request.abortSignal } : undefined).catch(
          () => {},
        );
        continue;
      }
      throw await errorFactory(response, { method, url: url.toString() });
    }
  }

  return {
    send,
    dispatcher,
    logger,
    retry,
    async getToken(tokenOptions = {}) {
      return tokens?.getToken(tokenOptions);
    },
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

/** A successful response carrying a JSON document (metadata, listings, ARM resources), as opposed to a data stream. */
function hasJsonBody(response: Response): boolean {
  if (response.status === 204 || response.status === 205 || response.status === 304) return false;
  return /\bjson\b/i.test(response.headers.get("content-type") ?? "");
}

function isBuffer(body: unknown): boolean {
  return (
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    body instanceof URLSearchParams ||
    typeof body === "string"
  );
}

function withSearchParams(base: string | URL, params: HttpRequest["searchParams"]): URL {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

async function defaultErrorFactory(
  response: Response,
  request: { method: string; url: string },
): Promise<Error> {
  await response.body?.cancel().catch(() => {});
  return new HttpError(`${request.method} ${sanitizeUrl(request.url)} failed with HTTP ${response.status}.`, {
    status: response.status,
    method: request.method,
    url: request.url,
    requestId: response.headers.get("x-ms-request-id") ?? undefined,
  });
}
