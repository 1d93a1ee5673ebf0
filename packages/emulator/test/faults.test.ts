import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "./helpers/test-emulator.js";

describe("fault injection and the admin API", () => {
  let emu: TestEmulator;
  const discovery = () =>
    `${emu.url}/${emu.emulator.connection.tenantId}/v2.0/.well-known/openid-configuration`;
  const admin = (method: string, route: string, body?: unknown, key = emu.emulator.connection.adminKey) =>
    emu.request(method, `${emu.url}/_emulator/${route}`, {
      headers: { "x-adl-emulator-key": key, "content-type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  /** A v1 client-credentials token request with the default app's secret. */
  const requestToken = () => {
    const c = emu.emulator.connection;
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: c.clientId,
      client_secret: c.clientSecret,
      resource: "https://datalake.azure.net/",
    }).toString();
    return emu.request("POST", `${emu.url}/${c.tenantId}/oauth2/token`, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  };

  beforeAll(async () => {
    emu = await startTestEmulator({
      faults: [{ area: "entra", status: 503, retryAfterSeconds: 2, times: 1 }],
    });
  });
  afterAll(() => emu.close());
  afterEach(() => emu.emulator.services.faults.clear());

  it("applies faults from the configuration at start", async () => {
    const first = await emu.request("GET", discovery());
    expect(first.status).toBe(503);
    expect(first.headers["retry-after"]).toBe("2");
    expect(first.json().error).toBe("server_error");
    expect((await emu.request("GET", discovery())).status).toBe(200);
  });

  it("refuses admin calls without the key, and with a wrong one", async () => {
    expect((await emu.request("GET", `${emu.url}/_emulator/journal`)).status).toBe(401);
    expect((await admin("GET", "journal", undefined, "wrong")).status).toBe(401);
    expect((await emu.request("GET", `${emu.url}/_emulator/health`)).status).toBe(200);
  });

  it("validates fault rules", async () => {
    const res = await admin("PUT", "faults", [{ status: 200 }]);
    expect(res.status).toBe(400);
    expect(res.json().error.message).toMatch(/400-599/);
    expect((await admin("PUT", "faults", [{ action: "explode" }])).status).toBe(400);
    expect((await admin("PUT", "faults", [{ probability: 2, status: 500 }])).status).toBe(400);
  });

  it("fires every Nth matching request and stops after `times`", async () => {
    expect(
      (await admin("PUT", "faults", [{ area: "entra", status: 429, everyNth: 2, times: 2 }])).status,
    ).toBe(200);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await emu.request("GET", discovery())).status);
    expect(statuses).toEqual([200, 429, 200, 429, 200, 200]);
  });

  it("resets the connection while a request body arrives, without serving it", async () => {
    emu.emulator.services.faults.set([
      { area: "entra", method: "POST", action: "reset-request", afterBytes: 1 },
    ]);
    await expect(requestToken()).rejects.toThrow(/ECONNRESET|socket hang up/);
    const entry = emu.emulator.services.journal.entries().at(-1);
    expect(entry?.fault).toMatch(/reset-request/);
    expect(entry?.op).toBeUndefined();
  });

  it("resets the connection part-way through a response body", async () => {
    emu.emulator.services.faults.set([{ area: "entra", action: "reset-response", afterBytes: 20 }]);
    await expect(emu.request("GET", discovery())).rejects.toThrow(/ECONNRESET|aborted|socket hang up/);
  });

  it("applies a request and loses its response", async () => {
    emu.emulator.services.faults.set([{ area: "entra", method: "POST", action: "lose-response" }]);
    await expect(requestToken()).rejects.toThrow(/ECONNRESET|socket hang up/);
    // The handler ran to the end (the token was minted), only the answer was lost.
    const served = emu.emulator.services.journal.entries((e) => e.op === "token-v1");
    expect(served.at(-1)?.fault).toMatch(/lose-response/);
  });

  it("changes token lifetime and ARM settings at run time", async () => {
    const res = await admin("PATCH", "config", { tokenLifetimeSeconds: 5, arm: { lroPolls: 3 } });
    expect(res.json()).toMatchObject({ tokenLifetimeSeconds: 5, arm: { lroPolls: 3 } });
    expect((await admin("PATCH", "config", { tokenLifetimeSeconds: -1 })).status).toBe(400);
    await admin("PATCH", "config", { tokenLifetimeSeconds: 3600, arm: { lroPolls: 1 } });
  });

  it("keeps tokens, secrets and query strings out of the journal", async () => {
    const c = emu.emulator.connection;
    await emu.token("https://datalake.azure.net/");
    await emu.request("GET", `${discovery()}?client_secret=${c.clientSecret}`);
    const journal = JSON.stringify((await admin("GET", "journal")).json());
    expect(journal).not.toContain(c.clientSecret);
    expect(journal).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
