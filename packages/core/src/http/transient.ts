/**
 * The one rule for "worth another attempt", used by every adlkit retry (there is one retry loop, `send` in
 * ./http-client.ts) and by callers that decide about retries themselves through its `shouldRetry` hook.
 */

/** Statuses worth another attempt: request timeout, throttling and transient server errors. */
export const TRANSIENT_STATUSES: readonly number[] = Object.freeze([408, 429, 500, 502, 503, 504]);

/** Transport failures that happen before a request reaches the server: it cannot have been applied. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

interface FailureShape {
  code?: unknown;
  status?: unknown;
  cause?: unknown;
}

/**
 * Whether a failure is transient: a transient status (`statuses`, default `TRANSIENT_STATUSES`), a transport
 * failure (`NETWORK_ERROR`) or a timeout (`TIMEOUT`). Recognised by shape, so errors from another copy of core
 * count too.
 */
export function isTransient(failure: unknown, statuses: readonly number[] = TRANSIENT_STATUSES): boolean {
  const f = failure as FailureShape | null | undefined;
  if (typeof f?.status === "number") return statuses.includes(f.status);
  return f?.code === "NETWORK_ERROR" || f?.code === "TIMEOUT";
}

/**
 * Whether a transient failure may have left a change on the server, so repeating a request that is not
 * idempotent could apply it twice. False only where the failure proves nothing happened: a 429 (the service
 * throttles before it acts) and a connection that was never made; true for lost responses, timeouts and 5xx.
 */
export function mayHaveLanded(failure: unknown): boolean {
  const f = failure as FailureShape | null | undefined;
  if (f?.status === 429) return false;
  for (let cause: FailureShape | undefined = f ?? undefined, depth = 0; cause && depth < 5; depth++) {
    if (typeof cause.code === "string" && NEVER_SENT.has(cause.code)) return false;
    cause = cause.cause as FailureShape | undefined;
  }
  return true;
}
