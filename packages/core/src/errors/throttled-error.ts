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

  constructor(
    message: string,
    init: Omit<HttpErrorInit, "status"> & { retryAfterInMs?: number | undefined },
  ) {
    super(message, {
      code: "THROTTLED",
      hint: "Lower the concurrency, or raise retry.limit (and retry.maxDelayInMs) to wait longer.",
      ...init,
      status: 429,
    });
    this.name = "ThrottledError";
    this.retryAfterInMs = init.retryAfterInMs;
  }
}
