import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { TRANSIENT_STATUSES } from "./transient.js";

/** How a client retries. One object, normalised once; a number is shorthand for `{ limit }`. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 4 */
  limit?: number;
  /** First backoff step. @default 500 */
  baseDelayInMs?: number;
  /** Cap for any single wait, including a server's Retry-After. @default 60000 */
  maxDelayInMs?: number;
  /** Statuses that are retried. @default [408, 429, 500, 502, 503, 504] */
  statusCodes?: readonly number[];
}

export type ResolvedRetryOptions = Required<RetryOptions>;

const DEFAULT_RETRY: ResolvedRetryOptions = Object.freeze({
  limit: 4,
  baseDelayInMs: 500,
  maxDelayInMs: 60_000,
  statusCodes: TRANSIENT_STATUSES,
}) as ResolvedRetryOptions;

/**
 * Fills in the defaults and validates. `source` names the package in the error (`[@adlkit/fs-client]`), whose
 * `argument` is then `retry.limit` and so on.
 */
export function resolveRetry(
  options: RetryOptions | number | false | undefined,
  source?: string,
): ResolvedRetryOptions {
  if (options === false) return { ...DEFAULT_RETRY, limit: 0 };
  if (typeof options === "number") options = { limit: options };
  const resolved = { ...DEFAULT_RETRY, ...options };
  const invalid = (argument: string, problem: string) =>
    new InvalidArgumentError(`retry.${argument}`, problem, { source });
  if (!Number.isInteger(resolved.limit) || resolved.limit < 0)
    throw invalid("limit", `must be an integer >= 0, got ${resolved.limit}`);
  if (!(resolved.baseDelayInMs >= 0))
    throw invalid("baseDelayInMs", `must be >= 0, got ${resolved.baseDelayInMs}`);
  if (!(resolved.maxDelayInMs >= resolved.baseDelayInMs))
    throw invalid("maxDelayInMs", "must be >= retry.baseDelayInMs");
  return resolved;
}

/**
 * How long the server asked us to wait, from `x-ms-retry-after-ms`, `retry-after-ms` or `Retry-After`
 * (seconds or an HTTP date), in that order, as Azure's throttling policy reads them.
 */
export function retryAfterInMs(headers: Headers, now = Date.now()): number | undefined {
  for (const name of ["x-ms-retry-after-ms", "retry-after-ms"]) {
    const value = Number(headers.get(name));
    if (headers.has(name) && Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^attempt)]. */
export function backoffInMs(
  attempt: number,
  options: ResolvedRetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayInMs, options.baseDelayInMs * 2 ** attempt);
  // Never wait less than a tenth of the step, so a storm of clients still spreads out.
  return Math.round(ceiling * (0.1 + 0.9 * random()));
}

/** The wait before retry number `attempt` (0-based): the server's word if it gave one, else backoff. */
export function delayBeforeRetry(attempt: number, options: ResolvedRetryOptions, headers?: Headers): number {
  const asked = headers ? retryAfterInMs(headers) : undefined;
  if (asked !== undefined) return Math.min(options.maxDelayInMs, asked);
  return backoffInMs(attempt, options);
}
