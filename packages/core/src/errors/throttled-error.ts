import { errorIdentity } from "./error-identity.js";
import { HttpError, type HttpErrorInit } from "./http-error.js";

/**
 * The service kept throttling (HTTP 429) after every retry. One class for every adlkit client (re-exported by
 * fs-client and arm-client), so callers branch on throttling the same way whichever service answered.
 */
export class ThrottledError extends HttpError {
  static override isInstance: (value: unknown) => value is ThrottledError = errorIdentity(
    this,
    "adlkit.error.ThrottledError",
  );

  /** How long the service asked to wait before the next request, if it said. */
  readonly retryAfterInMs: number | undefined;
  /** The client operation that was throttled: WebHDFS's `OPEN`, arm-client's `accounts.get`. */
  operation: string | undefined;

  /** `code` defaults to `THROTTLED`; a client may keep the service's own (ARM's `SubscriptionRequestsThrottled`). */
  constructor(
    message: string,
    init: Omit<HttpErrorInit, "status"> & {
      retryAfterInMs?: number | undefined;
      operation?: string | undefined;
    },
  ) {
    super(message, {
      ...init,
      code: init.code ?? "THROTTLED",
      hint:
        init.hint ?? "Lower the concurrency, or raise retry.limit (and retry.maxDelayInMs) to wait longer.",
      status: 429,
    });
    this.name = "ThrottledError";
    this.retryAfterInMs = init.retryAfterInMs;
    this.operation = init.operation;
  }
}
