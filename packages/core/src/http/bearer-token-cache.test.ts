import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BearerTokenCache } from "./bearer-token-cache.js";

/** A counting credential: an in-process fake below the HTTP layer, as the test guide allows. */
function countingCredential(lifetimeInMs: number, fail = false): TokenCredential & { calls: number } {
  const credential = {
    calls: 0,
    async getToken(): Promise<AccessToken> {
      credential.calls++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error("token service down");
      return { token: `t${credential.calls}`, expiresOnTimestamp: Date.now() + lifetimeInMs };
    },
  };
  return credential;
}

describe("BearerTokenCache", () => {
  afterEach(() => vi.useRealTimers());

  it("coalesces concurrent callers into one token request", async () => {
    const credential = countingCredential(3600_000);
    const cache = new BearerTokenCache(credential, "scope/.default");
    const tokens = await Promise.all(Array.from({ length: 10 }, () => cache.getToken()));
    expect(new Set(tokens)).toEqual(new Set(["t1"]));
    expect(credential.calls).toBe(1);
  });

  it("refreshes in the background inside the refresh window and keeps serving the valid token", async () => {
    const credential = countingCredential(60_000); // inside the default 2-minute window from the start
    const cache = new BearerTokenCache(credential, "scope/.default");
    expect(await cache.getToken()).toBe("t1");
    expect(await cache.getToken()).toBe("t1"); // still valid: served while t2 is fetched
    // Once the background refresh lands, callers get the new token.
    await vi.waitFor(async () => expect(await cache.getToken()).toBe("t2"));
    expect(credential.calls).toBeGreaterThanOrEqual(2);
  });

  it("forceRefresh gets a new token", async () => {
    const credential = countingCredential(3600_000);
    const cache = new BearerTokenCache(credential, "scope/.default");
    await cache.getToken();
    expect(await cache.getToken({ forceRefresh: true })).toBe("t2");
  });

  it("surfaces a failing credential and never returns an expired token", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const good = countingCredential(10_000);
    const cache = new BearerTokenCache(good, "scope/.default", { refreshWindowInMs: 1_000 });
    await cache.getToken();
    vi.setSystemTime(Date.now() + 20_000);
    (good as { getToken: TokenCredential["getToken"] }).getToken = async () => {
      throw new Error("token service down");
    };
    await expect(cache.getToken()).rejects.toThrow("token service down");
  });
});
