import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunningEmulator, startEmulator } from "@adlkit/emulator";
import type { AccessToken } from "@azure/core-auth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AdlkitError, createHttpClient, HttpError, NetworkError, TimeoutError } from "../src/index.js";

/** A private emulator: these tests inject faults, which are global to an emulator. */
describe("createHttpClient against a real HTTPS server", () => {
  let emulator: RunningEmulator;
  let dataDir: string;
  const credential = {
    calls: 0,
    async getToken(): Promise<AccessToken> {
      credential.calls++;
      return { token: `token-${credential.calls}`, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
  const discovery = () =>
    `${emulator.url}/${emulator.connection.tenantId}/v2.0/.well-known/openid-configuration`;
  const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
    createHttpClient({
      namespace: "test",
      userAgent: "adlkit-test/0.0.0",
      caPem: emulator.caPem,
      retry: { baseDelayInMs: 10, maxDelayInMs: 2000 },
      ...extra,
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "adlkit-core-http-"));
    emulator = await startEmulator({ port: 0, dataDir, config: { accounts: ["someaccount"] } });
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    emulator.services.faults.clear();
    emulator.services.journal.clear();
  });

  it("sends a client request id and user agent, and trusts the extra CA", async () => {
    const http = client();
    const res = await http.send({
      method: "GET",
      url: discovery(),
      headers: { "x-ms-client-request-id": "req-123" },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { issuer: string }).issuer).toContain(emulator.connection.tenantId);
    expect(emulator.services.journal.entries().at(-1)?.clientRequestId).toBe("req-123");
    await http.close();
  });

  it("retries a 503 after the server's Retry-After and then succeeds", async () => {
    emulator.services.faults.set([{ area: "entra", status: 503, retryAfterSeconds: 1, times: 2 }]);
    const http = client();
    const res = await http.send({ method: "GET", url: discovery() });
    expect(res.status).toBe(200);
    expect(emulator.services.journal.entries().map((e) => e.status)).toEqual([503, 503, 200]);
    await http.close();
  });

  it("does not retry a POST unless the caller says it is safe", async () => {
    emulator.services.faults.set([{ area: "entra", status: 503, times: 1 }]);
    const http = client();
    const url = `${emulator.url}/${emulator.connection.tenantId}/oauth2/v2.0/token`;
    const err = await http.send({ method: "POST", url, body: "grant_type=x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(503);
    expect((err as HttpError).isRetryable).toBe(true);
    await http.close();
  });

  it("gives up after the retry limit with the last status", async () => {
    emulator.services.faults.set([{ area: "entra", status: 500 }]);
    const http = client({ retry: { limit: 2, baseDelayInMs: 5, maxDelayInMs: 20 } });
    const err = (await http.send({ method: "GET", url: discovery() }).catch((e: unknown) => e)) as HttpError;
    expect(err.status).toBe(500);
    expect(emulator.services.journal.entries()).toHaveLength(3);
    await http.close();
  });

  it("times out an attempt that gets no answer and retries it", async () => {
    emulator.services.faults.set([{ area: "entra", latencyMs: 1500, times: 1 }]);
    const http = client({ timeoutInMs: 300 });
    const res = await http.send({ method: "GET", url: discovery() });
    expect(res.status).toBe(200);
    await http.close();
  });

  it("reports a timeout as TimeoutError when retries are off", async () => {
    emulator.services.faults.set([{ area: "entra", latencyMs: 1500, times: 1 }]);
    const http = client({ timeoutInMs: 300, retry: false });
    await expect(http.send({ method: "GET", url: discovery() })).rejects.toBeInstanceOf(TimeoutError);
    await http.close();
  });

  it("explains an untrusted certificate with a hint, never switching verification off", async () => {
    const http = client({ caPem: undefined, retry: false });
    const err = (await http
      .send({ method: "GET", url: discovery() })
      .catch((e: unknown) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.hint).toMatch(/NODE_EXTRA_CA_CERTS|CA/);
    await http.close();
  });

  it("sends a bearer token only over https", async () => {
    const http = client({ credential, scopes: "https://datalake.azure.net//.default" });
    await expect(http.send({ method: "GET", url: "http://127.0.0.1:1/x" })).rejects.toSatisfy(
      (e: unknown) => AdlkitError.isInstance(e) && e.code === "INSECURE_URL",
    );
    const res = await http.send({ method: "GET", url: discovery() });
    expect(res.status).toBe(200);
    expect(credential.calls).toBe(1);
    await http.close();
  });

  it("resolves *.localhost to loopback itself", async () => {
    const http = client();
    const url = discovery().replace("://localhost:", "://someaccount.localhost:");
    expect((await http.send({ method: "GET", url })).status).toBe(200);
    await http.close();
  });
});

describe("JSON bodies cut part-way", () => {
  let emulator: RunningEmulator;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "adlkit-core-cut-"));
    emulator = await startEmulator({ port: 0, dataDir });
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("are read inside the attempt, so a cut body is retried instead of surfacing later", async () => {
    emulator.services.faults.set([{ area: "entra", action: "reset-response", afterBytes: 30, times: 1 }]);
    const http = createHttpClient({
      namespace: "test",
      userAgent: "t/0",
      caPem: emulator.caPem,
      retry: { baseDelayInMs: 5, maxDelayInMs: 50 },
    });
    const res = await http.send({
      method: "GET",
      url: `${emulator.url}/${emulator.connection.tenantId}/v2.0/.well-known/openid-configuration`,
    });
    const doc = (await res.json()) as { issuer: string };
    expect(doc.issuer).toContain(emulator.connection.tenantId);
    expect(emulator.services.journal.entries().map((e) => e.fault ?? "ok")).toEqual(["reset-response", "ok"]);
    await http.close();
  });

  it("become a NetworkError, not a raw TypeError, when the request may not be repeated", async () => {
    emulator.services.faults.set([{ area: "entra", action: "reset-response", afterBytes: 30, times: 1 }]);
    const http = createHttpClient({
      namespace: "test",
      userAgent: "t/0",
      caPem: emulator.caPem,
      retry: false,
    });
    const err = await http
      .send({
        method: "GET",
        url: `${emulator.url}/${emulator.connection.tenantId}/v2.0/.well-known/openid-configuration`,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    await http.close();
  });
});
