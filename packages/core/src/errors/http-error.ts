import { inspect } from "node:util";
import { sanitizeUrl } from "../sanitizer.js";
import { AdlkitError } from "./adlkit-error.js";

export interface HttpErrorInit {
  status: number;
  method: string;
  url: string;
  requestId?: string | undefined;
  /** The service's own error code (ARM `error.code`, WebHDFS `exception`), when it sent one. */
  serviceCode?: string | undefined;
  code?: string;
  hint?: string | undefined;
  cause?: unknown;
}

/** Statuses worth another attempt: timeouts, throttling and transient server errors. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** A request that got an error status. The URL is sanitized; the body is never kept. */
export class HttpError extends AdlkitError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly requestId: string | undefined;
  readonly serviceCode: string | undefined;

  constructor(message: string, init: HttpErrorInit) {
    super(message, { code: init.code ?? `HTTP_${init.status}`, hint: init.hint, cause: init.cause });
    this.name = "HttpError";
    this.status = init.status;
    this.method = init.method.toUpperCase();
    this.url = sanitizeUrl(init.url);
    this.requestId = init.requestId;
    this.serviceCode = init.serviceCode;
  }

  get isRetryable(): boolean {
    return RETRYABLE_STATUSES.has(this.status);
  }

  [inspect.custom](): string {
    const parts = [
      `${this.name} [${this.code}]: ${this.message}`,
      `  ${this.method} ${this.url} -> ${this.status}`,
    ];
    if (this.requestId) parts.push(`  request id: ${this.requestId}`);
    if (this.hint) parts.push(`  hint: ${this.hint}`);
    return parts.join("\n");
  }
}

/** The transport failed: no HTTP response at all (refused, reset, TLS, DNS). */
export class NetworkError extends AdlkitError {
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, cause: unknown) {
    const reason = describeCause(cause);
    super(`${method.toUpperCase()} ${sanitizeUrl(url)} failed: ${reason}`, {
      code: "NETWORK_ERROR",
      hint: tlsHint(reason),
      cause,
    });
    this.name = "NetworkError";
    this.method = method.toUpperCase();
    this.url = sanitizeUrl(url);
  }
}

/** An attempt ran past its time limit, or a transfer made no progress for too long. */
export class TimeoutError extends AdlkitError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: "TIMEOUT", cause });
    this.name = "TimeoutError";
  }
}

/** The caller aborted through its AbortSignal. */
export class AbortError extends AdlkitError {
  constructor(message = "The operation was aborted.", cause?: unknown) {
    super(message, { code: "ABORTED", cause });
    this.name = "AbortError";
  }
}

/** The innermost useful reason of a fetch failure (undici hides it in `cause`). */
export function describeCause(cause: unknown): string {
  let current = cause as { message?: string; code?: string; cause?: unknown } | undefined;
  let best = "unknown error";
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.code || current.message) best = [current.code, current.message].filter(Boolean).join(": ");
    current = current.cause as typeof current;
  }
  return best;
}

function tlsHint(reason: string): string | undefined {
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i.test(reason)) {
    return "The server's certificate is not trusted. For the emulator, pass its CA (the cloud from emulatorCloudFromFile, or the ca option) or set NODE_EXTRA_CA_CERTS to its ca.pem; never disable TLS verification.";
  }
  if (/ECONNREFUSED/.test(reason))
    return "Nothing is listening there. Is the endpoint (or the emulator) running on that port?";
  if (/ENOTFOUND|EAI_AGAIN/.test(reason))
    return "The host name does not resolve. Check the cloud or account name.";
  return undefined;
}
