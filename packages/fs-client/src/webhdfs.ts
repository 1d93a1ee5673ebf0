import { noteStreamedBytes } from "@adlkit/bulk-io";
import {
  type BodySink,
  type BodySource,
  createHttpClient,
  type HttpClient,
  type HttpRequest,
  type RetryDecision,
  type SearchParams,
  type StreamResponse,
  scopeForResource,
  type TextResponse,
} from "@adlkit/core";
import type { Dispatcher } from "undici";
import { fromRemoteException, parseRemoteException } from "./errors.js";
import { accountBaseUrl, type ResolvedFsClientOptions } from "./options.js";
import { encodePath, normalizePath } from "./paths.js";
import { transportOptions } from "./transport.js";

export type Params = SearchParams;

/** One WebHDFS call: everything but the operation and the path. */
export interface CallOptions {
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** Query parameters; a function is called for each attempt (a read that continues where it stopped). */
  params?: Params | (() => Params) | undefined;
  /** Route through `/WebHdfsExt` (SETEXPIRY, CONCURRENTAPPEND). */
  extension?: boolean | undefined;
  json?: unknown;
  /** Bytes, or a source read afresh for each attempt (see `fileBody`). */
  body?: Uint8Array | BodySource | undefined;
  /** See `HttpRequest.retryable`: whether a failure that may have been applied may be repeated. */
  retryable?: boolean | undefined;
  /** See `HttpRequest.shouldRetry`. */
  shouldRetry?: ((failure: Error, attempt: number) => RetryDecision | Promise<RetryDecision>) | undefined;
  acceptStatuses?: readonly number[] | undefined;
  abortSignal?: AbortSignal | undefined;
  /**
   * Called with the text of a 2xx body received so far, after each chunk, until it returns true: to act on a
   * field that comes first (LISTSTATUS's continuationToken) before the whole body has arrived.
   */
  peek?: ((head: string) => boolean) | undefined;
}

/**
 * The WebHDFS wire: URLs, the RemoteException mapping of error responses, and the four ways a call is answered
 * (a JSON document, nothing, a status, a body stream or sink). Sending, retries, tokens and timeouts are core's
 * `send`/`sendInto`; what may be repeated is the operations' business (their `retryable` and `shouldRetry`).
 */
export class WebHdfs {
  readonly http: HttpClient;
  readonly baseUrl: string;
  readonly #apiVersion: string;
  /** Told the size of each body chunk a download receives: the GC pacer when `gcPacing` is on, else nothing. */
  readonly noteStreamed: (bytes: number) => void;

  constructor(options: ResolvedFsClientOptions) {
    this.#apiVersion = options.apiVersion;
    this.noteStreamed = options.gcPacing ? noteStreamedBytes : () => {};
    this.baseUrl = accountBaseUrl(options.cloud, options.accountName);
    this.http = createHttpClient({
      ...transportOptions(options, (failed, request) => this.#errorFrom(failed, request)),
      credential: options.credential,
      scopes: scopeForResource(options.cloud.dataLakeAudience as string),
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
    url.searchParams.set("api-version", this.#apiVersion);
    return url;
  }

  /** A call answered with a JSON document (read inside the attempt); throws a typed FsError otherwise. */
  async json<T>(op: string, path: string, options: CallOptions): Promise<T> {
    const response = await this.http.send({ ...this.#request(op, path, options), read: "text" });
    try {
      return JSON.parse(response.text) as T;
    } catch (err) {
      throw fromRemoteException({
        status: response.status,
        method: options.method,
        url: this.url(op, path, {}, options.extension).toString(),
        requestId: response.requestId,
        operation: op,
        path: normalizePath(path),
        reason: "the response was not JSON",
        cause: err,
      });
    }
  }

  /** A call whose answer has no content worth reading; resolves to its status (see `acceptStatuses`). */
  async empty(op: string, path: string, options: CallOptions): Promise<number> {
    return (await this.http.send({ ...this.#request(op, path, options), read: "text" })).status;
  }

  /** A call answered with a body stream, left to the caller (retried until the headers arrive). */
  stream(op: string, path: string, options: CallOptions): Promise<StreamResponse> {
    return this.http.send({ ...this.#request(op, path, options), read: "stream" });
  }

  /**
   * A call whose 2xx body goes to `sink` as the socket delivers it. A body that breaks is continued by a new
   * request when `params` is a function (the sink's position decides the next range); see core's `sendInto`.
   */
  async into(op: string, path: string, options: CallOptions, sink: BodySink): Promise<void> {
    await this.http.sendInto(this.#request(op, path, options), sink);
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  #request(op: string, path: string, options: CallOptions): HttpRequest {
    const params = options.params;
    return {
      method: options.method,
      url: this.url(op, path, typeof params === "function" ? {} : params, options.extension),
      ...(typeof params === "function" ? { searchParams: params } : {}),
      ...(options.json !== undefined ? { json: options.json } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
      retryable: options.retryable,
      shouldRetry: options.shouldRetry,
      acceptStatuses: options.acceptStatuses,
      abortSignal: options.abortSignal,
      peek: options.peek,
    };
  }

  #errorFrom(failed: TextResponse, request: { method: string; url: string }): Error {
    // Both the status and the body come from the service: fromRemoteException never makes one up.
    const url = new URL(request.url);
    return fromRemoteException(
      {
        status: failed.status,
        method: request.method,
        url: request.url,
        requestId: failed.requestId,
        operation: (url.searchParams.get("op") ?? request.method).toUpperCase(),
        path: this.#pathOf(url),
        remote: parseRemoteException(failed.text),
      },
      failed.headers,
    );
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
