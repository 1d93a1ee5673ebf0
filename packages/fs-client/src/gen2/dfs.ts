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
  storageScope,
  type TextResponse,
} from "@adlkit/core";
import { encodePath, normalizePath } from "../paths.js";
import { transportOptions } from "../transport.js";
import { fromDfsError, parseDfsError } from "./errors.js";
import type { ResolvedGen2Options } from "./options.js";
import { sharedKeySigner } from "./shared-key.js";

/** One DFS call: everything but the path. */
export interface DfsCall {
  method: "GET" | "HEAD" | "PUT" | "PATCH" | "DELETE";
  /** Names the call in errors and logs: `getStatus`, `append`, `rename`, ... */
  operation: string;
  /** Query parameters; a function is called for each attempt (a read or a paged call that continues). */
  params?: SearchParams | (() => SearchParams) | undefined;
  headers?: Record<string, string> | undefined;
  /** Headers made for each attempt (a Range that continues a broken read). */
  attemptHeaders?: (() => Record<string, string>) | undefined;
  body?: Uint8Array | BodySource | undefined;
  retryable?: boolean | undefined;
  shouldRetry?: ((failure: Error, attempt: number) => RetryDecision | Promise<RetryDecision>) | undefined;
  acceptStatuses?: readonly number[] | undefined;
  abortSignal?: AbortSignal | undefined;
  /**
   * "blob": the Blob endpoint (`{account}.blob.{suffix}`), for the few DataLake features the service offers only
   * there (Set Blob Expiry); same paths, credential and version. "account": the account itself (`…/?resource=
   * account`), which the path is ignored for. @default "dfs", the filesystem's path
   */
  endpoint?: "blob" | "account" | undefined;
}

/**
 * The DFS wire (Gen2): URLs of one filesystem, the JSON error mapping, the headers every call carries. Sending,
 * retries, tokens and timeouts are core's `send`/`sendInto`; what may be repeated is the operations' business.
 * A SAS travels as the URL's query; Shared Key signs each attempt (core's `authorize` hook).
 */
export class Dfs {
  readonly http: HttpClient;
  /** `https://{account}.dfs.{suffix}` or path-style `https://{host}/{account}` (emulator). */
  readonly accountUrl: string;
  /** `https://{account}.blob.{suffix}`, or the same path-style URL as `accountUrl` (one emulator port serves both). */
  readonly blobAccountUrl: string;
  readonly filesystem: string;
  readonly #version: string;
  readonly #sas: URLSearchParams | undefined;
  readonly noteStreamed: (bytes: number) => void;

  constructor(options: ResolvedGen2Options) {
    const { cloud } = options;
    this.filesystem = options.filesystem;
    this.#version = options.apiVersion;
    this.noteStreamed = options.gcPacing ? noteStreamedBytes : () => {};
    this.accountUrl = cloud.pathStyleFilesystemHost
      ? `https://${cloud.pathStyleFilesystemHost}/${options.accountName}`
      : `https://${options.accountName}.dfs.${cloud.storageEndpointSuffix}`;
    this.blobAccountUrl = cloud.pathStyleFilesystemHost
      ? this.accountUrl
      : `https://${options.accountName}.blob.${cloud.storageEndpointSuffix}`;
    const auth = options.auth;
    this.#sas = auth.kind === "sas" ? new URLSearchParams(auth.sas) : undefined;
    this.http = createHttpClient({
      ...(auth.kind === "token"
        ? { credential: auth.credential, scopes: storageScope(cloud.storageAudience as string) }
        : {}),
      ...(auth.kind === "sharedKey"
        ? { authorize: sharedKeySigner(options.accountName, auth.accountKey) }
        : {}),
      ...transportOptions(options, (failed, request) => this.#errorFrom(failed, request)),
    });
  }

  /** The filesystem's URL (`…/{filesystem}`), where listings and filesystem calls go. */
  get filesystemUrl(): string {
    return `${this.accountUrl}/${encodeURIComponent(this.filesystem)}`;
  }

  /** The URL of a path; the root is `…/{filesystem}/`. */
  url(path: string, params: SearchParams = {}): URL {
    const url = new URL(`${this.filesystemUrl}${encodePath(path)}`);
    return this.#withQuery(url, params);
  }

  /** `/{filesystem}/{path}` percent-encoded, plus the SAS: what `x-ms-rename-source` names. */
  renameSource(path: string): string {
    const source = `/${encodeURIComponent(this.filesystem)}${encodePath(path)}`;
    return this.#sas ? `${source}?${this.#sas.toString()}` : source;
  }

  /** A call whose body is read as text inside the attempt (JSON documents, or nothing). */
  text(path: string | null, call: DfsCall): Promise<TextResponse> {
    return this.http.send({ ...this.#request(path, call), read: "text" });
  }

  /** A call answered with a body stream, left to the caller. */
  stream(path: string, call: DfsCall): Promise<StreamResponse> {
    return this.http.send({ ...this.#request(path, call), read: "stream" });
  }

  /** A call whose 2xx body goes to `sink` as it arrives; a broken body is continued (see core's `sendInto`). */
  async into(path: string, call: DfsCall, sink: BodySink): Promise<void> {
    await this.http.sendInto(this.#request(path, call), sink);
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** `path` null: the filesystem itself (listings). */
  #request(path: string | null, call: DfsCall): HttpRequest {
    const params = call.params;
    const filesystemUrl =
      call.endpoint === "blob"
        ? `${this.blobAccountUrl}/${encodeURIComponent(this.filesystem)}`
        : this.filesystemUrl;
    const base =
      call.endpoint === "account"
        ? new URL(`${this.accountUrl}/`)
        : path === null
          ? new URL(filesystemUrl)
          : new URL(`${filesystemUrl}${encodePath(path)}`);
    const fixed = typeof params === "function" ? {} : (params ?? {});
    return {
      method: call.method,
      url: this.#withQuery(base, fixed),
      ...(typeof params === "function" ? { searchParams: params } : {}),
      headers: { "x-ms-version": this.#version, ...call.headers },
      attemptHeaders: call.attemptHeaders,
      ...(call.body !== undefined ? { body: call.body } : {}),
      retryable: call.retryable,
      shouldRetry: call.shouldRetry,
      acceptStatuses: call.acceptStatuses,
      abortSignal: call.abortSignal,
    };
  }

  #withQuery(url: URL, params: SearchParams): URL {
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(key, String(value));
    if (this.#sas) for (const [key, value] of this.#sas) url.searchParams.set(key, value);
    return url;
  }

  #errorFrom(failed: TextResponse, request: { method: string; url: string }): Error {
    const url = new URL(request.url);
    return fromDfsError(
      {
        status: failed.status,
        method: request.method,
        url: request.url,
        requestId: failed.requestId,
        operation: operationOf(request.method, url),
        path: this.pathOf(url),
        remote: parseDfsError(failed.text, failed.headers.get("x-ms-error-code")),
      },
      failed.headers,
    );
  }

  /** The filesystem path a URL names (`/` for the filesystem itself). */
  pathOf(url: URL): string {
    const base = new URL(this.filesystemUrl).pathname;
    const rest = url.pathname.slice(base.length);
    try {
      return normalizePath(rest.split("/").map(decodeURIComponent).join("/"));
    } catch {
      return rest || "/";
    }
  }
}

/** The operation a DFS request was, from its shape: `action=`, `resource=`, or the method. */
function operationOf(method: string, url: URL): string {
  const action = url.searchParams.get("action");
  if (action) return action;
  const comp = url.searchParams.get("comp");
  if (comp === "expiry") return "setExpiry";
  const resource = url.searchParams.get("resource");
  if (resource === "filesystem") {
    const byMethod: Record<string, string> = {
      GET: "listPaths",
      PUT: "create filesystem",
      DELETE: "delete filesystem",
    };
    return byMethod[method] ?? "filesystem properties";
  }
  if (resource === "account") return "listFilesystems";
  if (resource) return `create ${resource}`;
  switch (method) {
    case "GET":
      return "read";
    case "HEAD":
      return "getProperties";
    case "DELETE":
      return "delete";
    case "PUT":
      return "rename";
    default:
      return method;
  }
}
