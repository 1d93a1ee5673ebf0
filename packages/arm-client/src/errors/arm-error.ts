import { errorIdentity, HttpError, type HttpErrorInit } from "@adlkit/core";

/** One entry of ARM's `error.details` (and the shape of `error` itself). */
export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string | undefined;
  details?: ArmErrorDetail[] | undefined;
  additionalInfo?: Array<{ type: string; info?: unknown }> | undefined;
}

export interface ArmErrorInit {
  status: number;
  method: string;
  url: string;
  requestId?: string | undefined;
  correlationId?: string | undefined;
  /** ARM's `error.code`, e.g. `ResourceGroupNotFound`; `HTTP_{status}` when the body had none. */
  code: string;
  /** ARM's `error.message`, as the service wrote it. */
  armMessage: string;
  target?: string | undefined;
  details?: ArmErrorDetail[] | undefined;
  additionalInfo?: Array<{ type: string; info?: unknown }> | undefined;
  /** Milliseconds the service asked us to wait (429/503), if it said. */
  retryAfterInMs?: number | undefined;
  hint?: string | undefined;
}

/**
 * Resource Manager answered with an error status. `code`, `target` and `details` come from the ARM error
 * body (`{"error": {code, message, target, details}}`); `status`, `method`, `url` (sanitized) and
 * `requestId` from the exchange. Subclasses exist only where callers branch on them.
 */
export class ArmError extends HttpError {
  static override isInstance: (value: unknown) => value is ArmError = errorIdentity(
    this,
    "adlkit.error.arm-client.ArmError",
  );

  /** ARM's own message, without the method and URL this error's `message` adds. */
  readonly armMessage: string;
  readonly target: string | undefined;
  readonly details: ArmErrorDetail[];
  readonly additionalInfo: Array<{ type: string; info?: unknown }>;
  readonly correlationId: string | undefined;
  readonly retryAfterInMs: number | undefined;
  /** The client operation that failed, e.g. `accounts.get`, once known. */
  operation: string | undefined;

  constructor(init: ArmErrorInit) {
    super(armErrorMessage(init), httpErrorInit(init));
    this.name = "ArmError";
    this.armMessage = init.armMessage;
    this.target = init.target;
    this.details = init.details ?? [];
    this.additionalInfo = init.additionalInfo ?? [];
    this.correlationId = init.correlationId;
    this.retryAfterInMs = init.retryAfterInMs;
    this.operation = undefined;
  }
}

/** The HttpError part of an ARM error: ARM's code is both the error's `code` and the `serviceCode`. */
export function httpErrorInit(init: ArmErrorInit): HttpErrorInit {
  const { status, method, url, requestId, code, hint } = init;
  return { status, method, url, requestId, serviceCode: code, code, hint };
}

/** What failed, why and where: `GET /subscriptions/s failed with 404 SubscriptionNotFound: …`. */
export function armErrorMessage(init: ArmErrorInit): string {
  return `${init.method.toUpperCase()} ${pathOf(init.url)} failed with ${init.status} ${init.code}: ${init.armMessage}`;
}

/** The path of a URL (what failed, without host or query noise). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
