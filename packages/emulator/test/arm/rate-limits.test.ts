import { describe, expect, it } from "vitest";
import { bucketFor, RateLimiter } from "../../src/arm/rate-limits.js";

describe("ARM request budgets", () => {
  it("picks the bucket ARM counts a call in", () => {
    expect(bucketFor("GET", "subscription")).toBe("subscription-reads");
    expect(bucketFor("HEAD", "subscription")).toBe("subscription-reads");
    expect(bucketFor("PUT", "subscription")).toBe("subscription-writes");
    expect(bucketFor("POST", "subscription")).toBe("subscription-writes");
    expect(bucketFor("DELETE", "subscription")).toBe("subscription-deletes");
    expect(bucketFor("GET", "tenant")).toBe("tenant-reads");
    expect(bucketFor("POST", "tenant")).toBe("tenant-writes");
  });

  it("counts down 1200 writes an hour per caller, refuses the next with the seconds left, then resets", () => {
    const limiter = new RateLimiter();
    const start = 1_000_000;
    let last = limiter.take("subscription-writes", "sub|caller", start);
    expect(last).toEqual({ ok: true, remaining: 1199 });
    for (let i = 1; i < 1200; i++) last = limiter.take("subscription-writes", "sub|caller", start + i);
    expect(last).toEqual({ ok: true, remaining: 0 });
    expect(limiter.take("subscription-writes", "sub|caller", start + 60_000)).toEqual({
      ok: false,
      retryAfterSeconds: 3540,
    });
    expect(limiter.take("subscription-writes", "sub|other-caller", start + 60_000)).toEqual({
      ok: true,
      remaining: 1199,
    });
    expect(limiter.take("subscription-reads", "sub|caller", start + 60_000)).toEqual({
      ok: true,
      remaining: 11_999,
    });
    expect(limiter.take("subscription-writes", "sub|caller", start + 3_600_000)).toEqual({
      ok: true,
      remaining: 1199,
    });
  });
});
