import { inspect } from "node:util";
import { TRANSIENT_STATUSES } from "../http/transient.js";
import { sanitizeUrl } from "../sanitizer.js";
import { AdlkitError } from "./adlkit-error.js";
import { errorIdentity } from "./error-identity.js";

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

/** A request that got an error status. The URL is sanitized; the body is never kept. */
export class HttpError extends AdlkitError {
  static override isInstance: (value: unknown) => value is HttpError = errorIdentity(
    this,
    "adlkit.error.HttpError",
  );

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

  /** Whether the status is one worth another attempt (see `isTransient`). */
  get isRetryable(): boolean {
    return TRANSIENT_STATUSES.includes(this.status);
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
