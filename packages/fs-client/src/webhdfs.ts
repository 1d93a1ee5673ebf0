import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  AbortError,
  createHttpClient,
  delayBeforeRetry,
  type HttpClient,
  NetworkError,
  sanitizeUrl,
  scopeForResource,
  TimeoutError,
} from "@adlkit/core";
import { type Dispatcher, request } from "undici";
import {
  BadOffsetError,
  type FsError,
  fromRemoteException,
  parseRemoteException,
  ThrottledError,
} from "./errors.js";
import { accountBaseUrl, type ResolvedFsClientOptions } from "./options.js";
import { encodePath, normalizePath } from "./paths.js";

const VERSION = "0.1.0";

export type Params = Record<string, string | number | boolean | undefined>;

export interface CallOptions {
  method: "GET" | "PUT" | "POST" | "DELETE";
  params?: Params | undefined;
  /** Route through `/WebHdfsExt` (SETEXPIRY, CONCURRENTAPPEND). */
  extension?: boolean | undefined;
  json?: unknown;
  body?: Uint8Array | undefined;
  retryable?: boolean | undefined;
  acceptStatuses?: readonly number[] | undefined;
  abortSignal?: AbortSignal | undefined;
}

/**
 * The wire layer: URLs, RemoteException mapping, and two ways to send. Metadata calls go through core's
 * HTTP client (ky on undici 8 fetch, token cache, retries). The hot path (APPEND bodies and OPEN ranges)
 * uses `undici.request` on the same pool, several times cheaper than a fetch, with the same token cache and
 * retry policy, a per-attempt timeout, and offset-safe append retries.
 */
export class WebHdfs {
  readonly http: HttpClient;
  readonly baseUrl: string;
  readonly #options: ResolvedFsClientOptions;

  constructor(options: ResolvedFsClientOptions) {
    this.#options = options;
    this.baseUrl = accountBaseUrl(options.cloud, options.accountName);
    this.http = createHttpClient({
      credential: options.credential,
      scopes: scopeForResource(options.cloud.dataLakeAudience as string),
      caPem: options.cloud.caPem,
      dispatcher: options.dispatcher,
      connections: options.connections,
      retry: options.retry,
      timeoutInMs: options.timeoutInMs,
      userAgent: `adlkit-fs-client/${VERSION}`,
      logger: options.logger,
      namespace: "adlkit:fs",
      errorFactory: (response, req) => this.#errorFromResponse(response, req),
    });
  }

  get dispatcher(): Dispatcher {
    return this.http.dispatcher;
  }

  url(op: string, path: string, params: Params = {}, extension = false): URL {
    const url = new URL(`${this.baseUrl}${extension ? "/WebHdfsExt" : "/webhdfs/v1"}${encodePath(path)}`);
    url.searchParams.set("op", op);
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(key, String(value));
    url.searchParams.set("api-version", this.#options.apiVersion);
    return url;
  }

  /** A metadata call; resolves to the response (body unread) or throws a typed FsError. */
  async call(op: string, path: string, options: CallOptions): Promise<Response> {
    return this.http.send({
      method: options.method,
      url: this.url(op, path, options.params, options.extension),
      ...(options.json !== undefined ? { json: options.json } : {}),
      ...(options.body !== undefined
        ? { body: options.body }
        : options.method !== "GET" && options.json === undefined
          ? { body: new Uint8Array(0) }
          : {}),
      ...(options.retryable !== undefined ? { retryable: options.retryable } : {}),
      ...(options.acceptStatuses ? { acceptStatuses: options.acceptStatuses } : {}),
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
  }

  async json<T>(op: string, path: string, options: CallOptions): Promise<T> {
    const response = await this.call(op, path, options);
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw fromRemoteException({
        status: response.status,
        method: options.method,
        url: this.url(op, path, options.params, options.extension).toString(),
        requestId: response.headers.get("x-ms-request-id") ?? undefined,
        operation: op,
        path: normalizePath(path),
        reason: "the response was not JSON",
        cause: err,
      });
    }
  }

  async empty(op: string, path: string, options: CallOptions): Promise<void> {
    const response = await this.call(op, path, options);
    await response.body?.cancel().catch(() => {});
  }

  /**
   * Sends one request on the hot path with `undici.request`: bearer token (refreshed once on 401), the retry
   * policy, a per-attempt timeout on headers and on body silence. `isRetryable` decides per failure; the
   * caller gets the response with its body unread, or a typed error.
   */
  async raw(
    op: string,
    path: string,
    args: {
      method: "GET" | "POST" | "PUT";
      params: Params;
      body?: Uint8Array | undefined;
      abortSignal?: AbortSignal | undefined;
      /** Called before each retry with the failure; return false to stop and throw it. */
      beforeRetry?: (failure: Error, attempt: number) => boolean | Promise<boolean>;
    },
  ): Promise<Dispatcher.ResponseData> {
    const url = this.url(op, path, args.params);
    const clientRequestId = randomUUID();
    const retry = this.#options.retry;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (args.abortSignal?.aborted)
        throw new AbortError(`${op} ${normalizePath(path)} was aborted.`, args.abortSignal.reason);
      const token = await this.http.getToken({
        forceRefresh: refreshed && attempt > 0,
        ...(args.abortSignal ? { abortSignal: args.abortSignal } : {}),
      });
      const headers: Record<string, string> = {
        "user-agent": `adlkit-fs-client/${VERSION} node/${process.versions.node}`,
        "x-ms-client-request-id": `${clientRequestId}.${attempt}`,
      };
      if (token) headers.authorization = `Bearer ${token}`;
      if (args.body) headers["content-length"] = String(args.body.byteLength);
      let failure: Error;
      let waitHeaders: Headers | undefined;
      try {
        const response = await request(url, {
          method: args.method,
          headers,
          body: args.body
            ? Buffer.from(args.body.buffer, args.body.byteOffset, args.body.byteLength)
            : args.method === "GET"
              ? null
              : "",
          dispatcher: this.dispatcher,
          headersTimeout: this.#options.timeoutInMs,
          bodyTimeout: this.#options.timeoutInMs,
          ...(args.abortSignal ? { signal: args.abortSignal } : {}),
        });
        if (response.statusCode >= 200 && response.statusCode < 300) return response;
        const text = await response.body.text().catch(() => "");
        if (response.statusCode === 401 && !refreshed) {
          refreshed = true;
          this.http.logger.info(`${op} ${sanitizeUrl(url)} -> 401; retrying once with a fresh token`);
          continue;
        }
        const responseHeaders = toHeaders(response.headers);
        failure = fromRemoteException({
          status: response.statusCode,
          method: args.method,
          url: url.toString(),
          requestId: responseHeaders.get("x-ms-request-id") ?? undefined,
          operation: op,
          path: normalizePath(path),
          remote: parseRemoteException(text),
        });
        if (!retry.statusCodes.includes(response.statusCode)) throw failure;
        waitHeaders = responseHeaders;
      } catch (err) {
        if (args.abortSignal?.aborted)
          throw new AbortError(`${op} ${normalizePath(path)} was aborted.`, args.abortSignal.reason);
        if (isFsError(err)) throw err;
        const code = (err as { code?: string }).code ?? "";
        failure = code.includes("TIMEOUT")
          ? new TimeoutError(
              `${op} ${normalizePath(path)} got no response within ${this.#options.timeoutInMs} ms.`,
              err,
            )
          : new NetworkError(args.method, url.toString(), err);
      }
      if (attempt >= retry.limit) throw failure;
      if (args.beforeRetry && !(await args.beforeRetry(failure, attempt))) throw failure;
      const wait = delayBeforeRetry(attempt, retry, waitHeaders);
      this.http.logger.info(
        `${op} ${normalizePath(path)} attempt ${attempt + 1} failed (${failure.message}); retrying in ${wait} ms`,
      );
      await sleep(wait, undefined, args.abortSignal ? { signal: args.abortSignal } : undefined).catch(
        () => {},
      );
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  async #errorFromResponse(response: Response, req: { method: string; url: string }): Promise<Error> {
    const text = await response.text().catch(() => "");
    const url = new URL(req.url);
    return fromRemoteException({
      status: response.status,
      method: req.method,
      url: req.url,
      requestId: response.headers.get("x-ms-request-id") ?? undefined,
      operation: (url.searchParams.get("op") ?? req.method).toUpperCase(),
      path: this.#pathOf(url),
      remote: parseRemoteException(text),
    });
  }

  #pathOf(url: URL): string {
    const base = new URL(this.baseUrl).pathname.replace(/\/$/, "");
    const rest = url.pathname.slice(base.length).replace(/^\/(webhdfs\/v1|webhdfsext)/i, "");
    try {
      return normalizePath(rest.split("/").map(decodeURIComponent).join("/"));
    } catch {
      return rest || "/";
    }
  }
}

function isFsError(err: unknown): err is FsError {
  return typeof err === "object" && err !== null && "operation" in err && "status" in err;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  return headers;
}

/** Whether a failure may have left a change on the server (the response was lost, or a 5xx after commit). */
export function mayHaveLanded(failure: Error): boolean {
  if (failure instanceof ThrottledError) return false; // 429 guarantees no state change
  if (failure instanceof BadOffsetError) return false;
  return true;
}
