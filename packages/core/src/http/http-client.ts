/**
 * The one place adlkit sends HTTP requests, and its one retry loop.
 *
 * ## The hook API
 *
 * `send(request)` and `sendInto(request, sink)` run the same loop: build the attempt (a fresh bearer token, the
 * same `x-ms-client-request-id` on every attempt, one User-Agent, the body from its per-attempt factory, the
 * query from its per-attempt function), send it with undici, and judge the outcome:
 *
 * 1. a 2xx (or an `acceptStatuses` status) is the answer;
 * 2. a 401 with a bearer token is retried once with a fresh token;
 * 3. anything else becomes an error: the client's `errorFactory` for error statuses, `NetworkError` or
 *    `TimeoutError` for transport failures; a failure of the caller's own side (a body source that throws, a sink
 *    that aborts) and the caller's abort end the call at once, as they are;
 * 4. only a transient failure (`isTransient`: 408, 429, 5xx, transport, timeout) may be retried, within
 *    `retry.limit` (attempts that delivered body bytes to a sink do not count: they made progress);
 * 5. whether it is, is asked of `request.shouldRetry(failure, attempt)`: `true` retries, `false` throws, and
 *    `undefined` (or no hook) applies the default: retry if the request is idempotent (`retryable`, default
 *    GET/HEAD/PUT/DELETE/OPTIONS), or if the failure proves nothing was applied (`!mayHaveLanded`: a 429, a
 *    connection never made). A hook may look at the server first (is the file there with our bytes?) and keep
 *    what it learnt for after the call: that is how uploads make non-idempotent requests safe to repeat;
 * 6. the wait is the server's (`x-ms-retry-after-ms`, `retry-after-ms`, `Retry-After`), else exponential backoff
 *    with jitter, capped by `retry.maxDelayInMs`; the caller's abort signal cuts it short.
 *
 * A body that breaks after bytes reached a sink is retried only when `searchParams` (or `attemptHeaders`) is a
 * function, which is called again for every attempt, so the next request continues where the sink stopped.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { TokenCredential } from "@azure/core-auth";
import type { Dispatcher } from "undici";
import { AbortError } from "../errors/abort-error.js";
import { AdlkitError } from "../errors/adlkit-error.js";
import { HttpError } from "../errors/http-error.js";
import { NetworkError } from "../errors/network-error.js";
import { TimeoutError } from "../errors/timeout-error.js";
import { type Logger, normalizeLogger, silentLogger } from "../logger.js";
import { sanitizeUrl } from "../sanitizer.js";
import { type Attempt, type BodySink, dispatchOnce, type Outcome, requestOnce } from "./attempt.js";
import { BearerTokenCache } from "./bearer-token-cache.js";
import { type CaTrust, createDispatcher } from "./dispatcher.js";
import {
  type AttemptBody,
  type BodySource,
  bodyForAttempt,
  byteLengthOf,
  isBodySource,
  type LocalFailure,
  type RequestBody,
} from "./request-body.js";
import type { ResponseHead, StreamResponse, TextResponse } from "./response.js";
import { delayBeforeRetry, type ResolvedRetryOptions, type RetryOptions, resolveRetry } from "./retry.js";
import { isTransient, mayHaveLanded } from "./transient.js";

/** Turns an error response (its body read as text) into the client's own error type. */
export type ErrorFactory = (
  failed: TextResponse,
  request: { method: string; url: string },
) => Error | Promise<Error>;

export interface HttpClientOptions {
  /** Any `@azure/core-auth` TokenCredential; requests then carry a bearer token for `scopes`. */
  credential?: TokenCredential | undefined;
  scopes?: string | string[] | undefined;
  /** A CA (PEM) to trust, e.g. the emulator's. */
  caPem?: string | undefined;
  /** `caPem` besides the process's roots (`"extra"`) or alone (`"only"`): see `Cloud.caTrust`. @default "extra" */
  caTrust?: CaTrust | undefined;
  /** Bring your own undici dispatcher (then `caPem`, `caTrust` and `connections` are ignored). */
  dispatcher?: Dispatcher | undefined;
  /** Pool size per origin. @default 16 */
  connections?: number | undefined;
  retry?: RetryOptions | number | false | undefined;
  /** Limit on the wait for response headers, and on silence between body chunks, per attempt. @default 60000 */
  timeoutInMs?: number | undefined;
  /** `name/version` of the calling package, first in User-Agent. */
  userAgent: string;
  logger?: Partial<Logger> | undefined;
  /** Logger namespace, e.g. `adlkit:fs`. */
  namespace: string;
  /** Turns an error response into the client's own error type (RemoteException, ARM error, …). */
  errorFactory?: ErrorFactory | undefined;
  /**
   * Signs each attempt once its URL and headers are final (after the bearer token, if any): Storage's Shared Key,
   * whose signature covers the method, the URL, the date and some headers, so it must be made per attempt (a
   * retry has a new date, a resumed read a new query). It may add headers; it must not send anything.
   */
  authorize?: ((attempt: { method: string; url: URL; headers: Record<string, string> }) => void) | undefined;
}

export type SearchParams = Record<string, string | number | boolean | undefined>;

/** What `shouldRetry` answers: retry, throw, or (undefined) leave it to the default rule. */
export type RetryDecision = boolean | undefined;

export interface HttpRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string> | undefined;
  /** Set on the URL's query. A function is called for each attempt (to continue a read where it stopped). */
  searchParams?: SearchParams | (() => SearchParams) | undefined;
  /**
   * Headers made afresh for each attempt, over `headers`: a `Range` that continues a broken read where it stopped
   * (Storage takes ranges as a header, WebHDFS as a query). Like a `searchParams` function, it makes a body that
   * broke after bytes were delivered resumable.
   */
  attemptHeaders?: (() => Record<string, string>) | undefined;
  /** A JSON body (serialised once, sent with `content-type: application/json`). */
  json?: unknown;
  /** Bytes, text, or a `BodySource` whose `pieces()` makes the body afresh for each attempt. */
  body?: RequestBody | undefined;
  /**
   * Whether the request may be repeated after a failure that may have been applied (the default rule of step 5
   * above). @default true for GET, HEAD, PUT, DELETE and OPTIONS; false otherwise
   */
  retryable?: boolean | undefined;
  /** Decides each retry of a transient failure (see the top of this module); `undefined` keeps the default. */
  shouldRetry?: ((failure: Error, attempt: number) => RetryDecision | Promise<RetryDecision>) | undefined;
  /** Statuses handed back as answers instead of errors (e.g. 403 for an access check); never retried. */
  acceptStatuses?: readonly number[] | ((status: number) => boolean) | undefined;
  /** `send` only: `stream` leaves the body to the caller; `text` reads it inside the attempt. @default "stream" */
  read?: "stream" | "text" | undefined;
  /** `read: "text"` only: called with the body received so far, after each chunk, until it returns true. */
  peek?: ((head: string) => boolean) | undefined;
  /** The `x-ms-client-request-id` to send. @default a new UUID, the same on every attempt */
  clientRequestId?: string | undefined;
  abortSignal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutInMs` for this request. */
  timeoutInMs?: number | undefined;
}

export interface HttpClient {
  /** Sends a request; resolves to the answer with its body unread. */
  send(request: HttpRequest & { read?: "stream" | undefined }): Promise<StreamResponse>;
  /** Sends a request; resolves to the answer with its body read as text inside the attempt. */
  send(request: HttpRequest & { read: "text" }): Promise<TextResponse>;
  /** Sends a request whose 2xx body goes to `sink` as it arrives; resolves once the body has ended. */
  sendInto(request: HttpRequest, sink: BodySink): Promise<ResponseHead>;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly retry: ResolvedRetryOptions;
  /** Closes the pool if this client created it. */
  close(): Promise<void>;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * The defaults every client shares, owned here: the clients' own `DEFAULTS` take these values from this object
 * (and add their own options), so a shared default changes in one place.
 */
export const HTTP_DEFAULTS = Object.freeze({ timeoutInMs: 60_000, connections: 16 });

/** Builds the one HTTP client a package needs: its pool, token cache, retry policy and error factory. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const logger = normalizeLogger(options.logger, options.namespace);
  const retry = resolveRetry(options.retry);
  const ownsDispatcher = !options.dispatcher;
  const dispatcher =
    options.dispatcher ??
    createDispatcher({
      caPem: options.caPem,
      caTrust: options.caTrust,
      connections: options.connections ?? HTTP_DEFAULTS.connections,
    });
  const tokens =
    options.credential && options.scopes
      ? new BearerTokenCache(options.credential, options.scopes)
      : undefined;
  const timeoutInMs = options.timeoutInMs ?? HTTP_DEFAULTS.timeoutInMs;
  const userAgent = `${options.userAgent} node/${process.versions.node} (${process.platform}; ${process.arch})`;
  const errorFactory = options.errorFactory ?? defaultErrorFactory;

  /** The loop; `attemptOnce` sends one prepared attempt and reports its outcome. */
  async function run<T>(
    request: HttpRequest,
    attemptOnce: (attempt: Attempt, progress: { delivered: boolean }) => Promise<Outcome<T>>,
  ): Promise<T> {
    const method = request.method.toUpperCase();
    const base = new URL(request.url);
    if (tokens && base.protocol !== "https:") {
      throw new AdlkitError(
        `Refusing to send a bearer token over ${base.protocol} to ${sanitizeUrl(base)}.`,
        {
          code: "INSECURE_URL",
          hint: "Use an https:// endpoint.",
        },
      );
    }
    const body = bodyOf(request, method);
    const clientRequestId =
      request.clientRequestId ?? request.headers?.["x-ms-client-request-id"] ?? randomUUID();
    const fixedHeaders: Record<string, string> = {
      "user-agent": userAgent,
      ...(request.json !== undefined ? { "content-type": "application/json" } : {}),
      ...request.headers,
      "x-ms-client-request-id": clientRequestId,
    };
    if (body !== null) fixedHeaders["content-length"] = String(byteLengthOf(body));
    const accepted = request.acceptStatuses;
    const accepts =
      typeof accepted === "function" ? accepted : (status: number) => accepted?.includes(status) ?? false;
    const resumable = typeof request.searchParams === "function" || request.attemptHeaders !== undefined;
    const idempotent = request.retryable ?? IDEMPOTENT.has(method);
    const signal = request.abortSignal;
    const aborted = (cause: unknown) =>
      new AbortError(`${method} ${sanitizeUrl(base)} was aborted.`, signal?.reason ?? cause);
    let refreshed = false;
    let failures = 0;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw aborted(undefined);
      const url = withSearchParams(base, request.searchParams);
      const headers = request.attemptHeaders
        ? { ...fixedHeaders, ...request.attemptHeaders() }
        : { ...fixedHeaders };
      if (tokens)
        headers.authorization = `Bearer ${await tokens.getToken({ forceRefresh: refreshed && attempt > 0, ...(signal ? { abortSignal: signal } : {}) })}`;
      options.authorize?.({ method, url, headers });
      const local: LocalFailure = { error: undefined };
      const progress = { delivered: false };
      let failure: Error;
      let failedHead: ResponseHead | undefined;
      try {
        const outcome = await attemptOnce(
          {
            url,
            method,
            headers,
            body: bodyForAttempt(body, local) as AttemptBody,
            signal,
            timeoutInMs: request.timeoutInMs ?? timeoutInMs,
            clientRequestId,
            dispatcher,
            accepts,
            local,
          },
          progress,
        );
        if ("answer" in outcome) {
          if (logger !== silentLogger)
            logger.verbose(
              `${method} ${sanitizeUrl(url)} -> ${outcome.head.status} (request id ${outcome.head.requestId ?? "none"})`,
            );
          return outcome.answer;
        }
        failedHead = outcome.failed;
        if (failedHead.status === 401 && tokens && !refreshed) {
          // The token may have been revoked or expired early: get a new one once, then give up.
          refreshed = true;
          tokens.invalidate();
          logger.info(`${method} ${sanitizeUrl(url)} -> 401; retrying once with a fresh token`);
          continue;
        }
        failure = await errorFactory(outcome.failed, { method, url: url.toString() });
      } catch (err) {
        if (signal?.aborted) throw aborted(err);
        // Our own side failed (reading the body's source, a sink that gave up): not the network's doing.
        if (local.error !== undefined) throw local.error;
        failure = transportFailure(err, method, url, request.timeoutInMs ?? timeoutInMs);
      }
      if (progress.delivered) failures = 0; // part of the body arrived: the next attempt continues, not repeats
      if (!isTransient(failure, retry.statusCodes) || failures >= retry.limit) throw failure;
      if (progress.delivered && !resumable) throw failure;
      const decided = await request.shouldRetry?.(failure, attempt);
      if (!(decided ?? (idempotent || !mayHaveLanded(failure)))) throw failure;
      const wait = delayBeforeRetry(failures, retry, failedHead?.headers);
      failures++;
      logger.info(
        `${method} ${sanitizeUrl(url)} attempt ${attempt + 1} failed (${failure.message}); retry ${failures}/${retry.limit} in ${wait} ms`,
      );
      await sleep(wait, undefined, signal ? { signal } : undefined).catch(() => {});
    }
  }

  function send(request: HttpRequest & { read?: "stream" | undefined }): Promise<StreamResponse>;
  function send(request: HttpRequest & { read: "text" }): Promise<TextResponse>;
  function send(request: HttpRequest): Promise<StreamResponse | TextResponse> {
    return run(request, (attempt) => requestOnce(attempt, request.read ?? "stream", request.peek));
  }

  return {
    send,
    sendInto: (request, sink) => run(request, (attempt, progress) => dispatchOnce(attempt, sink, progress)),
    dispatcher,
    logger,
    retry,
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

/** The body as sent on every attempt: JSON serialised once, bytes as a Buffer view, nothing as `null`/`""`. */
function bodyOf(request: HttpRequest, method: string): Buffer | string | BodySource | null {
  if (request.json !== undefined) return Buffer.from(JSON.stringify(request.json));
  const body = request.body;
  if (body === undefined) return method === "GET" || method === "HEAD" ? null : "";
  if (typeof body === "string" || isBodySource(body)) return body;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function withSearchParams(base: URL, params: HttpRequest["searchParams"]): URL {
  const values = typeof params === "function" ? params() : params;
  if (!values) return base;
  const url = new URL(base);
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/** A transport failure as an adlkit error: a timeout, or a network failure naming its innermost cause. */
function transportFailure(err: unknown, method: string, url: URL, timeoutInMs: number): Error {
  if (AdlkitError.isInstance(err)) return err;
  const code = String((err as { code?: unknown } | null)?.code ?? "");
  if (code.includes("TIMEOUT"))
    return new TimeoutError(`${method} ${sanitizeUrl(url)} got no response within ${timeoutInMs} ms.`, err);
  return new NetworkError(method, url.toString(), err);
}

function defaultErrorFactory(failed: TextResponse, request: { method: string; url: string }): Error {
  return new HttpError(`${request.method} ${sanitizeUrl(request.url)} failed with HTTP ${failed.status}.`, {
    status: failed.status,
    method: request.method,
    url: request.url,
    requestId: failed.requestId,
  });
}
