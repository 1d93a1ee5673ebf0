import { describe, expect, it } from "vitest";
import { acquire, breakLease, checkWrite, leaseHeaders, leaseState, renew } from "./lease-rules.js";

/** The lease rules over time, which the SDK tests cannot wait for (fixed leases last at least 15 s). */
const ID = "0f0e0d0c-0b0a-4000-8000-000000000001";
const t0 = 1_000_000;

describe("lease rules over time", () => {
  it("a fixed lease expires after its duration; an expired lease frees writes and can be renewed by its id", () => {
    const lease = acquire(undefined, t0, ID, 15);
    expect(leaseState(lease, t0 + 14_999)).toBe("leased");
    expect(leaseState(lease, t0 + 15_000)).toBe("expired");
    expect(() => checkWrite(lease, undefined, t0 + 14_999)).toThrow(/no lease ID/);
    expect(() => checkWrite(lease, undefined, t0 + 15_000)).not.toThrow();
    const renewed = renew(lease, t0 + 20_000, ID.toUpperCase());
    expect(leaseState(renewed, t0 + 34_999)).toBe("leased");
    expect(leaseHeaders(renewed, t0 + 20_000)).toEqual({
      "x-ms-lease-status": "locked",
      "x-ms-lease-state": "leased",
      "x-ms-lease-duration": "fixed",
    });
  });

  it("break: a fixed lease breaks at the earlier of its period and its end; breaking turns broken on time", () => {
    const lease = acquire(undefined, t0, ID, 20);
    const { record, seconds } = breakLease(lease, t0 + 10_000, 60);
    expect(seconds).toBe(10);
    expect(leaseState(record, t0 + 19_999)).toBe("breaking");
    expect(leaseState(record, t0 + 20_000)).toBe("broken");
    // Without a period a fixed lease runs to its end; an infinite one breaks at once.
    expect(breakLease(lease, t0 + 5_000, undefined).seconds).toBe(15);
    expect(breakLease(acquire(undefined, t0, ID, -1), t0, undefined).seconds).toBe(0);
    // A later break cannot lengthen the period.
    expect(breakLease(record, t0 + 11_000, 30).seconds).toBe(9);
    // An expired lease breaks with nothing left.
    expect(breakLease(lease, t0 + 25_000, 10).seconds).toBe(0);
  });
});
