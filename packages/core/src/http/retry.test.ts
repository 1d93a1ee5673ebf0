import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { backoffInMs, delayBeforeRetry, resolveRetry, retryAfterInMs } from "./retry.js";

describe("retryAfterInMs", () => {
  it("prefers x-ms-retry-after-ms, then retry-after-ms, then Retry-After", () => {
    expect(retryAfterInMs(new Headers({ "x-ms-retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterInMs(new Headers({ "retry-after-ms": "120", "retry-after": "9" }))).toBe(120);
    expect(retryAfterInMs(new Headers({ "retry-after": "3" }))).toBe(3000);
  });

  it("reads an HTTP date relative to now", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterInMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now)).toBe(5000);
  });

  it("ignores garbage and missing headers", () => {
    expect(retryAfterInMs(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterInMs(new Headers())).toBeUndefined();
  });
});

describe("backoff", () => {
  it("grows exponentially, stays within [10%, 100%] of the step, and is capped", () => {
    const options = resolveRetry({ baseDelayInMs: 100, maxDelayInMs: 1000 });
    expect(backoffInMs(0, options, () => 0)).toBe(10);
    expect(backoffInMs(0, options, () => 1)).toBe(100);
    expect(backoffInMs(3, options, () => 1)).toBe(800);
    expect(backoffInMs(10, options, () => 1)).toBe(1000);
  });

  it("uses the server's Retry-After when given, capped by maxDelayInMs", () => {
    const options = resolveRetry({ maxDelayInMs: 2000 });
    expect(delayBeforeRetry(0, options, new Headers({ "retry-after": "1" }))).toBe(1000);
    expect(delayBeforeRetry(0, options, new Headers({ "retry-after": "30" }))).toBe(2000);
  });
});

describe("resolveRetry", () => {
  it("takes a number as the limit and false as no retries", () => {
    expect(resolveRetry(2).limit).toBe(2);
    expect(resolveRetry(false).limit).toBe(0);
    expect(resolveRetry(undefined)).toEqual({
      limit: 4,
      baseDelayInMs: 500,
      maxDelayInMs: 60_000,
      statusCodes: [408, 429, 500, 502, 503, 504],
    });
  });

  it("rejects nonsense before any request", () => {
    expect(() => resolveRetry({ limit: -1 })).toThrow(/limit/);
    const err = (() => {
      try {
        resolveRetry({ limit: 1.5 }, "@adlkit/x");
      } catch (e) {
        return e;
      }
    })();
    expect(InvalidArgumentError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({
      code: "INVALID_ARGUMENT",
      argument: "retry.limit",
      problem: "must be an integer >= 0, got 1.5",
    });
    expect((err as Error).message).toMatch(/^\[@adlkit\/x\] retry\.limit must be/);
    expect(() => resolveRetry({ baseDelayInMs: 10, maxDelayInMs: 5 })).toThrow(/maxDelayInMs/);
  });
});
