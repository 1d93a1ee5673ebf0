import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { emulatorCloud } from "@adlkit/core";
import { type RunningEmulator, startEmulator } from "@adlkit/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthenticationError, ClientSecretCredential } from "../src/index.js";
import { decodeJwt } from "./helpers.js";

const SCOPE = "https://datalake.azure.net//.default";

/** A private emulator, so the journal counts only this file's token requests. */
describe("token cache and refresh", () => {
  let emulator: RunningEmulator;
  let dataDir: string;
  const tokenRequests = () => emulator.services.journal.entries((e) => e.op === "token-v2").length;
  const credential = () => {
    const c = emulator.connection;
    return new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, {
      cloud: emulatorCloud({ ...c, caPem: emulator.caPem }),
    });
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "adlkit-auth-cache-"));
    emulator = await startEmulator({ port: 0, dataDir });
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    emulator.services.config.tokenLifetimeSeconds = 3600;
    // The emulator journals a request when its response has finished, which can come after the client has it:
    // let the previous test's last entry land before clearing, and poll counts (expect.poll) below.
    await new Promise((resolve) => setTimeout(resolve, 50));
    emulator.services.journal.clear();
  });

  it("serves a second getToken from the cache without a network request", async () => {
    const c = credential();
    const first = await c.getToken(SCOPE);
    const second = await c.getToken(SCOPE);
    expect(second.token).toBe(first.token);
    await expect.poll(tokenRequests).toBe(1);
  });

  it("shares one token request between concurrent callers", async () => {
    const c = credential();
    const tokens = await Promise.all(Array.from({ length: 8 }, () => c.getToken(SCOPE)));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    await expect.poll(tokenRequests).toBe(1);
  });

  it("fetches a new token when the cached one is inside the five-minute renewal window", async () => {
    // A 240 s token is already "near expiry" for msal-node (it renews 300 s early), so each call must renew.
    emulator.services.config.tokenLifetimeSeconds = 240;
    const c = credential();
    const first = await c.getToken(SCOPE);
    const second = await c.getToken(SCOPE);
    expect(decodeJwt(second.token).uti).not.toBe(decodeJwt(first.token).uti);
    await expect.poll(tokenRequests).toBe(2);
  });

  it("keeps separate cache entries per resource", async () => {
    const c = credential();
    await c.getToken(SCOPE);
    await c.getToken("https://management.azure.com/.default");
    await c.getToken(SCOPE);
    await expect.poll(tokenRequests).toBe(2);
  });

  it("honours an AbortSignal that is already aborted", async () => {
    const err = await credential()
      .getToken(SCOPE, { abortSignal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).errorCode).toBe("ABORTED");
  });

  it("rides out a throttled token endpoint by honouring Retry-After", async () => {
    emulator.services.faults.set([{ area: "entra", status: 429, retryAfterSeconds: 1, times: 1 }]);
    try {
      const token = await credential().getToken(SCOPE);
      expect(token.token).toBeTruthy();
      const statuses = emulator.services.journal
        .entries((e) => e.op === "token-v2" || e.fault !== undefined)
        .map((e) => e.status);
      expect(statuses).toContain(429);
      expect(statuses.at(-1)).toBe(200);
    } finally {
      emulator.services.faults.clear();
    }
  });
});
