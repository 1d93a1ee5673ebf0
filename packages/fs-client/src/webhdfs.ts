import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { setTimeout as sleep, setImmediate as yieldToCheckPhase } from "node:timers/promises";
import { noteStreamedBytes } from "@adlkit/bulk-io";
import {
  AbortError,
  createHttpClient,
  delayBeforeRetry,
  type HttpClient,
  NetworkError,
  sanitizeUrl,
  scopeForResource,
  silentLogger,
  TimeoutError,
} from "@adlkit/core";
import { type Dispatcher, request, Headers as UndiciHeaders } from "undici";
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
  /**
   * Called with the text of a 2xx body received so far, after each chunk, until it returns true: to act on a
   * field that comes first (LISTSTATUS's continuationToken) before the whole body has arrived.
   */
  peek?: ((head: string) => boolean) | undefined;
}

/**
 * A request body produced afresh for each attempt, piece by piece (see `fileBody`), instead of held in memory.
 * An error thrown while producing it is ours, not the network's: it ends the call as it is, without retries.
 */
export interface BodySource {
  readonly byteLength: number;
  pieces(): AsyncIterable<Buffer>;
}

export interface RawArgs {
  method: "GET" | "POST" | "PUT" | "DELETE";
  params: Params;
  /** Route through `/WebHdfsExt`. */
  extension?: boolean | undefined;
  body?: Uint8Array | BodySource | undefined;
  headers?: Record<string, string> | undefined;
  abortSignal?: AbortSignal | undefined;
  /** Called before each retry with the failure; return false to stop and throw it. */
  beforeRetry?: ((failure: Error, attempt: number) => boolean | Promise<boolean>) | undefined;
  /** See CallOptions.peek (text responses only). */
  peek?: ((head: string) => boolean) | undefined;
}

/** Receives a response body chunk by chunk; may pause and later resume the transfer. */
export type BodySink = (chunk: Buffer, controller: BodyController) => void;

export interface BodyController {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

type Failed = { statusCode: number; headers: IncomingHttpHeaders; text: string };
type Attempt<T> = (
  url: URL,
  headers: Record<string, string>,
  body: RequestBody,
  signal: AbortSignal | undefined,
) => Promise<{ value: T; statusCode: number; requestId: string | undefined } | Failed>;

type RequestBody = Buffer | string | null | Buffer[] | AsyncIterable<Buffer>;
type TextResponse = { text: string; statusCode: number; headers: Dispatcher.ResponseData["headers"] };
type UndiciBody = Buffer | string | null;

/**
 * undici writes a Buffer body corked together with the request head, and Node's TLS socket then copies
 * head and body into one new allocation before encrypting (a 4 MiB memcpy and fresh pages per APPEND), and
 * buffers all of its ciphertext at once. As pieces (the head plus one byte, then 1 MiB at a time), each piece
 * is encrypted straight from our buffer and the TLS layer holds at most 1 MiB of ciphertext per socket.
 */
function bodyForAttempt(body: Buffer | string | null): RequestBody {
  if (!Buffer.isBuffer(body) || body.byteLength < 64 * 1024) return body;
  const pieces = [body.subarray(0, 1)];
  for (let at = 1; at < body.byteLength; at += BODY_PIECE)
    pieces.push(body.subarray(at, Math.min(body.byteLength, at + BODY_PIECE)));
  return pieces;
}

/**
 * A source's pieces for one attempt, the first split after its first byte (the head goes out with one byte only,
 * as above). An error from the source itself is reported to `onFailure` before it ends the body.
 */
async function* sourceForAttempt(
  source: BodySource,
  onFailure: (err: unknown) => void,
): AsyncGenerator<Buffer> {
  const pieces = source.pieces()[Symbol.asyncIterator]();
  let first = true;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await pieces.next();
      } catch (err) {
        onFailure(err);
        throw err;
      }
      if (next.done) return;
      const piece = next.value;
      const split = first && piece.byteLength > 1;
      first = false;
      if (split) {
        yield piece.subarray(0, 1);
        yield piece.subarray(1);
      } else yield piece;
    }
  } finally {
    await pieces.return?.(); // undici stopped early (the attempt failed): the source learns it now
  }
}

function isBodySource(body: unknown): body is BodySource {
  return typeof (body as BodySource | null)?.pieces === "function";
}

const BODY_PIECE = 1024 * 1024;

/**
 * A response body as text, decoded chunk by chunk. Not `body.text()`: Node decodes a buffer of more than ~1 MB
 * (a LISTSTATUS page of 4,000 entries is ~1.2 MB) into an *external* string, which V8 frees only in a full
 * mark-compact, so a long listing kept every page's text resident (100,000 entries: +34 MiB). Pieces of one
 * socket chunk become ordinary heap strings that the usual collections reclaim.
 */
async function textOf(
  body: AsyncIterable<Buffer>,
  peek: ((head: string) => boolean) | undefined,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  let peeking = peek !== undefined;
  for await (const chunk of body) {
    text += decoder.decode(chunk, { stream: true });
    if (peeking && peek?.(text)) {
      peeking = false;
      // Whatever `peek` started from the head (the next LISTSTATUS) goes out now, not after the rest of this body
      // (which usually arrives within the current turn) has been received and parsed: the server prepares the next
      // page meanwhile (100,000 entries: 0.34 -> 0.23 s).
      await letRequestsOut();
    }
  }
  return text + decoder.decode();
}

/**
 * Lets a request made just before reach the wire. undici 8 writes to a reused keep-alive socket only after a
 * check-phase turn (its idle-socket validation), so until the event loop gets there the request waits; a caller
 * that keeps the loop busy (receiving and parsing a page, or consuming one without awaiting I/O) holds it back.
 * Two turns, because undici queues its own only after the request's microtasks ran, possibly behind a first one.
 */
export async function letRequestsOut(): Promise<void> {
  await yieldToCheckPhase();
  await yieldToCheckPhase();
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const USER_AGENT = `adlkit-fs-client/${VERSION} node/${process.versions.node} (${process.platform}; ${process.arch})`;

/**
 * The wire layer: URLs, RemoteException mapping, and the sending. Every call uses `undici.request` (or, for
 * download bodies, `dispatch()` into a sink) on core's pool, several times cheaper than a fetch, with core's
 * token cache and retry policy, a per-attempt timeout, and offset-safe append retries. Only `call()` (status
 * codes accepted as answers, e.g. CHECKACCESS) still goes through core's HTTP client.
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
    const response = await this.#rawText(op, path, this.#callArgs(options));
    const text = response.text;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw fromRemoteException({
        status: response.statusCode,
        method: options.method,
        url: this.url(op, path, options.params, options.extension).toString(),
        requestId: headerValue(response.headers["x-ms-request-id"]),
        operation: op,
        path: normalizePath(path),
        reason: "the response was not JSON",
        cause: err,
      });
    }
  }

  async empty(op: string, path: string, options: CallOptions): Promise<void> {
    const response = await this.raw(op, path, this.#callArgs(options));
    await response.body.dump();
  }

  /** A metadata call on the `undici.request` path, retried only where the method (or `retryable`) allows. */
  #callArgs(options: CallOptions): RawArgs {
    if (options.acceptStatuses) throw new TypeError("acceptStatuses needs call(), not json() or empty()");
    const retryable = options.retryable ?? IDEMPOTENT.has(options.method);
    const body =
      options.json !== undefined ? Buffer.from(JSON.stringify(options.json)) : (options.body ?? undefined);
    return {
      method: options.method,
      params: options.params ?? {},
      extension: options.extension,
      body,
      headers: options.json !== undefined ? { "content-type": "application/json" } : undefined,
      abortSignal: options.abortSignal,
      beforeRetry: () => retryable,
      peek: options.peek,
    };
  }

  /**
   * Sends one request with `undici.request`: bearer token (refreshed once on 401), the retry policy, a
   * per-attempt timeout on headers and on body silence. `beforeRetry` decides per failure; the caller gets
   * the response with its body unread, or a typed error.
   */
  async raw(op: string, path: string, args: RawArgs): Promise<Dispatcher.ResponseData> {
    return this.#send<Dispatcher.ResponseData>(op, path, args, async (url, headers, body, signal) => {
      const response = await request(url, {
        method: args.method,
        headers,
        body: body as UndiciBody, // undici takes iterables of Buffers too (not in its types)
        dispatcher: this.dispatcher,
        headersTimeout: this.#options.timeoutInMs,
        bodyTimeout: this.#options.timeoutInMs,
        ...(signal ? { signal } : {}),
      });
      if (response.statusCode >= 200 && response.statusCode < 300)
        return {
          value: response,
          statusCode: response.statusCode,
          requestId: headerValue(response.headers["x-ms-request-id"]),
        };
      const text = await response.body.text().catch(() => "");
      return { statusCode: response.statusCode, headers: response.headers, text };
    });
  }

  /**
   * Like `raw`, but reads the (small, JSON) body inside the attempt: a connection cut part-way through the body
   * is then a network failure, retried where the request may be repeated, instead of an error after the fact.
   */
  async #rawText(op: string, path: string, args: RawArgs): Promise<TextResponse> {
    return this.#send<TextResponse>(op, path, args, async (url, headers, body, signal) => {
      const response = await request(url, {
        method: args.method,
        headers,
        body: body as UndiciBody,
        dispatcher: this.dispatcher,
        headersTimeout: this.#options.timeoutInMs,
        bodyTimeout: this.#options.timeoutInMs,
        ...(signal ? { signal } : {}),
      });
      const success = response.statusCode >= 200 && response.statusCode < 300;
      const text = await textOf(response.body, success ? args.peek : undefined);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return {
          value: { text, statusCode: response.statusCode, headers: response.headers },
          statusCode: response.statusCode,
          requestId: headerValue(response.headers["x-ms-request-id"]),
        };
      }
      return { statusCode: response.statusCode, headers: response.headers, text };
    });
  }

  /**
   * Like `raw`, but a 2xx body goes straight to `sink` chunk by chunk, as the socket delivers it (undici's
   * `dispatch()`: no Readable, no async iterator). Resolves once the body has ended; a body that breaks
   * rejects (after its earlier chunks reached the sink), and is the caller's to resume. The sink may pause
   * and resume the transfer through the controller it is given.
   */
  async rawInto(op: string, path: string, args: RawArgs, sink: BodySink): Promise<void> {
    const { ended } = await this.#send(op, path, args, (url, headers, body, signal) =>
      dispatchInto(this.dispatcher, url, args.method, headers, body, signal, this.#options.timeoutInMs, sink),
    );
    await ended;
  }

  async #send<T>(op: string, path: string, args: RawArgs, attemptOnce: Attempt<T>): Promise<T> {
    const url = this.url(op, path, args.params, args.extension);
    const clientRequestId = randomUUID();
    const retry = this.#options.retry;
    const body = isBodySource(args.body)
      ? args.body
      : args.body
        ? Buffer.from(args.body.buffer, args.body.byteOffset, args.body.byteLength)
        : args.method === "GET"
          ? null
          : "";
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (args.abortSignal?.aborted)
        throw new AbortError(`${op} ${normalizePath(path)} was aborted.`, args.abortSignal.reason);
      const token = await this.http.getToken({
        forceRefresh: refreshed && attempt > 0,
        ...(args.abortSignal ? { abortSignal: args.abortSignal } : {}),
      });
      const headers: Record<string, string> = {
        "user-agent": USER_AGENT,
        "x-ms-client-request-id": `${clientRequestId}.${attempt}`,
        ...args.headers,
      };
      if (token) headers.authorization = `Bearer ${token}`;
      if (args.body) headers["content-length"] = String(args.body.byteLength);
      else if (args.method !== "GET") headers["content-length"] = "0";
      let failure: Error;
      let waitHeaders: Headers | undefined;
      let localFailure: unknown;
      try {
        const outcome = await attemptOnce(
          url,
          headers,
          isBodySource(body)
            ? sourceForAttempt(body, (err) => {
                localFailure = err;
              })
            : bodyForAttempt(body),
          args.abortSignal,
        );
        if ("value" in outcome) {
          if (this.http.logger !== silentLogger)
            this.http.logger.verbose(
              `${op} ${sanitizeUrl(url)} -> ${outcome.statusCode} (request id ${outcome.requestId ?? "none"})`,
            );
          return outcome.value;
        }
        if (outcome.statusCode === 401 && !refreshed) {
          refreshed = true;
          this.http.logger.info(`${op} ${sanitizeUrl(url)} -> 401; retrying once with a fresh token`);
          continue;
        }
        const responseHeaders = toHeaders(outcome.headers);
        failure = fromRemoteException({
          status: outcome.statusCode,
          method: args.method,
          url: url.toString(),
          requestId: responseHeaders.get("x-ms-request-id") ?? undefined,
          operation: op,
          path: normalizePath(path),
          remote: parseRemoteException(outcome.text),
        });
        if (!retry.statusCodes.includes(outcome.statusCode)) throw failure;
        waitHeaders = responseHeaders;
      } catch (err) {
        if (args.abortSignal?.aborted)
          throw new AbortError(`${op} ${normalizePath(path)} was aborted.`, args.abortSignal.reason);
        // Producing the body failed on our side (a local read): not the network's fault, and a retry would too.
        if (localFailure !== undefined) throw localFailure;
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * One request by `dispatcher.dispatch()`. Resolves at the response headers: for a 2xx, to a promise of the
 * body's end (its chunks go to `sink`); otherwise to the status and the error body's text.
 */
function dispatchInto(
  dispatcher: Dispatcher,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: RequestBody,
  signal: AbortSignal | undefined,
  timeoutInMs: number,
  sink: BodySink,
): Promise<{ value: { ended: Promise<void> }; statusCode: number; requestId: string | undefined } | Failed> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let streaming = false;
    let statusCode = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    const errorBody: Buffer[] = [];
    let endBody: (() => void) | undefined;
    let failBody: ((err: Error) => void) | undefined;
    const onAbort = () => controller?.abort(signal?.reason ?? new Error("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    const control: BodyController = {
      pause: () => controller?.pause(),
      resume: () => controller?.resume(),
      abort: (reason) => controller?.abort(reason),
    };
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: body as UndiciBody,
        headersTimeout: timeoutInMs,
        bodyTimeout: timeoutInMs,
      },
      {
        onRequestStart(c) {
          controller = c;
          if (signal?.aborted) c.abort(signal.reason);
        },
        onResponseStart(_c, code, h) {
          if (code < 200) return;
          statusCode = code;
          responseHeaders = h as IncomingHttpHeaders;
          if (code < 300) {
            streaming = true;
            const ended = new Promise<void>((res, rej) => {
              endBody = res;
              failBody = rej;
            });
            ended.catch(() => {}); // awaited by the caller; never an unhandled rejection
            resolve({
              value: { ended },
              statusCode: code,
              requestId: headerValue(responseHeaders["x-ms-request-id"]),
            });
          }
        },
        onResponseData(_c, chunk) {
          if (streaming) {
            // Each chunk is a fresh Buffer from Node's TLS layer: see @adlkit/bulk-io.
            noteStreamedBytes(chunk.byteLength);
            sink(chunk, control);
          } else errorBody.push(chunk);
        },
        onResponseEnd() {
          done();
          if (streaming) endBody?.();
          else
            resolve({
              statusCode,
              headers: responseHeaders,
              text: Buffer.concat(errorBody).toString("utf8"),
            });
        },
        onResponseError(_c, err) {
          done();
          if (streaming) failBody?.(err);
          else reject(err);
        },
      },
    );
  });
}

/** Response headers as a Headers object: undici's own class (the global one would load Node's bundled undici). */
function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new UndiciHeaders() as unknown as Headers;
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
