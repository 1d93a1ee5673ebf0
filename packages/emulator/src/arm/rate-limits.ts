/** Which ARM request budget a call draws from (ARM counts per scope and per kind of call). */
export type RateBucket =
  | "subscription-reads"
  | "subscription-writes"
  | "subscription-deletes"
  | "tenant-reads"
  | "tenant-writes";

/** Hourly budgets documented in "Understand how Azure Resource Manager throttles requests". */
const LIMITS: Record<RateBucket, number> = {
  "subscription-reads": 12_000,
  "subscription-writes": 1_200,
  "subscription-deletes": 15_000,
  "tenant-reads": 12_000,
  "tenant-writes": 1_200,
};

const WINDOW_MS = 60 * 60 * 1000;

export function bucketFor(method: string, scope: "subscription" | "tenant"): RateBucket {
  if (scope === "tenant") return method === "GET" || method === "HEAD" ? "tenant-reads" : "tenant-writes";
  if (method === "GET" || method === "HEAD") return "subscription-reads";
  return method === "DELETE" ? "subscription-deletes" : "subscription-writes";
}

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/**
 * Per-hour request budgets, keyed by scope (subscription or tenant) and caller. In memory on purpose:
 * ARM's counters are per front-end instance and reset as its instances change, so a restart resetting
 * them is faithful enough. The `remaining` values feed the `x-ms-ratelimit-remaining-*` headers.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; used: number }>();

  take(bucket: RateBucket, scopeKey: string, now = Date.now()): RateDecision {
    const key = `${bucket}|${scopeKey}`;
    let window = this.#windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      window = { start: now, used: 0 };
      this.#windows.set(key, window);
    }
    const limit = LIMITS[bucket];
    if (window.used >= limit) {
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)),
      };
    }
    window.used++;
    return { ok: true, remaining: limit - window.used };
  }
}
