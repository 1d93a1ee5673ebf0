import {
  AdlkitError,
  createHttpClient,
  type HttpClient,
  type Logger,
  sanitizeUrl,
  scopeForResource,
  type TextResponse,
  ThrottledError,
} from "@adlkit/core";
import type { ApiVersions } from "../api-versions.js";
import { ArmError } from "../errors/arm-error.js";
import { armErrorFromResponse } from "../errors/arm-error-from-response.js";
import type { ResolvedArmClientOptions } from "../options.js";
import { RecordingCredential } from "./recording-credential.js";

export interface ArmRequest {
  /** Client operation for messages, e.g. `accounts.get`. */
  operation: string;
  method: "GET" | "HEAD" | "PUT" | "PATCH" | "DELETE" | "POST";
  /** A path under the Resource Manager endpoint, or an absolute URL the service gave us (nextLink, Location). */
  url: string | URL;
  /** Added as `api-version` (omit for service-given URLs, which carry their own). */
  apiVersion?: string | undefined;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  body?: unknown;
  acceptStatuses?: readonly number[] | undefined;
  /** Whether a failed attempt may be repeated; default: GET, HEAD, PUT, DELETE and PATCH (ARM PATCH is idempotent). */
  retryable?: boolean | undefined;
  /** Reuse a client request id (LRO polls reuse the initial request's, as azure-core does). */
  clientRequestId?: string | undefined;
  abortSignal?: AbortSignal | undefined;
}

export interface ArmResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON body; undefined when the body was empty. */
  body: T | undefined;
  url: string;
  clientRequestId: string;
}

export interface ArmPipeline {
  readonly endpoint: URL;
  readonly subscriptionId: string;
  readonly pollIntervalInMs: number;
  /** The api-version of each API, the caller's choices included. */
  readonly apiVersions: ApiVersions;
  readonly logger: Logger;
  send<T = unknown>(request: ArmRequest): Promise<ArmResponse<T>>;
  /** Resolves a service-given URL and refuses one on another origin (it would receive our token). */
  trustedUrl(url: string, what: string): URL;
  close(): Promise<void>;
}

/** This package's version, for the User-Agent (a constant: a bundled copy has no package.json beside it). */
export const ARM_CLIENT_VERSION = "0.1.0";
const version = ARM_CLIENT_VERSION;

/** The ARM request layer: core's HTTP client plus JSON, api-version, ARM errors and origin checks. */
export function createArmPipeline(options: ResolvedArmClientOptions): ArmPipeline {
  const endpoint = new URL(options.cloud.resourceManagerEndpoint);
  const credential = new RecordingCredential(options.credential);
  const audience = options.cloud.resourceManagerAudience;
  const http: HttpClient = createHttpClient({
    credential,
    scopes: scopeForResource(audience),
    caPem: options.cloud.caPem,
    caTrust: options.cloud.caTrust,
    retry: options.retry,
    timeoutInMs: options.timeoutInMs,
    userAgent: `${options.userAgentPrefix ? `${options.userAgentPrefix} ` : ""}adlkit-arm-client/${version}`,
    logger: options.logger,
    namespace: "adlkit:arm",
    errorFactory: (failed, request) => {
      if (failed.status >= 300 && failed.status < 400) {
        return new AdlkitError(
          `${request.method} ${sanitizeUrl(request.url)} answered with a redirect (${failed.status}), which Resource Manager never sends.`,
          {
            code: "UNEXPECTED_RESPONSE",
            hint: "Check the cloud option: the endpoint may point at a proxy or a web page instead of Resource Manager.",
          },
        );
      }
      return armErrorFromResponse({
        status: failed.status,
        headers: failed.headers,
        bodyText: failed.text,
        method: request.method,
        url: request.url,
        token: credential.lastToken,
        audience,
      });
    },
  });

  function trustedUrl(url: string, what: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url, endpoint);
    } catch {
      throw new AdlkitError(`Resource Manager sent a ${what} that is not a URL: ${sanitizeUrl(url)}`, {
        code: "INVALID_RESPONSE",
      });
    }
    if (parsed.origin !== endpoint.origin) {
      throw new AdlkitError(
        `Refusing to follow a ${what} to ${sanitizeUrl(parsed)}: it is not on the Resource Manager endpoint ${endpoint.origin}, and would receive the bearer token.`,
        {
          code: "UNTRUSTED_URL",
          hint: "Check the cloud option: its resourceManagerEndpoint must be the host Resource Manager answers on.",
        },
      );
    }
    return parsed;
  }

  async function send<T>(request: ArmRequest): Promise<ArmResponse<T>> {
    const url =
      typeof request.url === "string" && !/^https?:/i.test(request.url)
        ? new URL(request.url, endpoint)
        : new URL(request.url);
    if (request.apiVersion) url.searchParams.set("api-version", request.apiVersion);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    let response: TextResponse;
    try {
      response = await http.send({
        method: request.method,
        url,
        headers: { accept: "application/json" },
        clientRequestId: request.clientRequestId,
        ...(request.body !== undefined ? { json: request.body } : {}),
        retryable: request.retryable ?? request.method !== "POST",
        acceptStatuses: request.acceptStatuses,
        abortSignal: request.abortSignal,
        read: "text",
      });
    } catch (err) {
      if (ArmError.isInstance(err) || ThrottledError.isInstance(err)) err.operation = request.operation;
      if (AdlkitError.isInstance(err)) err.message = `${request.operation}: ${err.message}`;
      throw err;
    }
    const text = response.text;
    let body: T | undefined;
    if (text.trim()) {
      try {
        body = JSON.parse(text) as T;
      } catch (err) {
        throw new AdlkitError(
          `${request.operation}: ${request.method} ${sanitizeUrl(url)} answered ${response.status} with a body that is not JSON.`,
          {
            code: "INVALID_RESPONSE",
            cause: err,
          },
        );
      }
    }
    return {
      status: response.status,
      headers: response.headers,
      body,
      url: url.toString(),
      clientRequestId: response.clientRequestId,
    };
  }

  return {
    endpoint,
    subscriptionId: options.subscriptionId,
    pollIntervalInMs: options.pollIntervalInMs,
    apiVersions: options.apiVersions,
    logger: http.logger,
    send,
    trustedUrl,
    close: () => http.close(),
  };
}
