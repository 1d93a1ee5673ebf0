import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmFixture, accountName, armError, startArmFixture } from "./arm-fixture.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OTHER_TENANT = randomUUID();
const OTHER_SUBSCRIPTION = randomUUID();
const OTHER_APP = { clientId: randomUUID(), secret: "second-tenant-secret" };

describe("ARM conventions (items 42, 43, 47-50)", () => {
  let fx: ArmFixture;

  beforeAll(async () => {
    fx = await startArmFixture({
      tenants: [
        {
          id: OTHER_TENANT,
          applications: [{ clientId: OTHER_APP.clientId, secrets: [OTHER_APP.secret] }],
          subscriptions: [{ id: OTHER_SUBSCRIPTION }],
        },
      ],
    });
    await fx.createGroup("conventions");
  }, 60_000);
  afterAll(() => fx.close());

  it("puts request, correlation and routing ids, Date and the no-cache headers on every answer (item 42)", async () => {
    const res = await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups/conventions`);
    expect(res.status).toBe(200);
    expect(res.headers["x-ms-request-id"]).toMatch(GUID);
    expect(res.headers["x-ms-correlation-request-id"]).toMatch(GUID);
    expect(res.headers["x-ms-routing-request-id"]).toMatch(/^[A-Z]+:\d{8}T\d{6}Z:[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(String(res.headers.date)))).toBe(false);
    expect(res.headers).toMatchObject({
      "cache-control": "no-cache",
      pragma: "no-cache",
      expires: "-1",
      "x-content-type-options": "nosniff",
    });
  });

  it("sends the rate-limit header of each kind of call: reads, writes, deletes, tenant reads (item 42)", async () => {
    const read = await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups`);
    expect(Number(read.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBeGreaterThan(0);
    const write = await fx.arm("PUT", `/subscriptions/${fx.sub}/resourcegroups/rl-write`, {
      body: { location: "eastus" },
    });
    expect(Number(write.headers["x-ms-ratelimit-remaining-subscription-writes"])).toBeGreaterThan(0);
    expect(write.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBeUndefined();
    const del = await fx.arm("DELETE", `/subscriptions/${fx.sub}/resourcegroups/rl-write`);
    expect(Number(del.headers["x-ms-ratelimit-remaining-subscription-deletes"])).toBeGreaterThan(0);
    const tenantRead = await fx.arm("GET", "/providers/Microsoft.DataLakeStore/operations");
    expect(Number(tenantRead.headers["x-ms-ratelimit-remaining-tenant-reads"])).toBeGreaterThan(0);
    const again = await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups`);
    expect(Number(again.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBe(
      Number(read.headers["x-ms-ratelimit-remaining-subscription-reads"]) - 1,
    );
  });

  it("echoes the caller's correlation id, and the client request id only when asked to", async () => {
    const correlation = randomUUID();
    const clientId = randomUUID();
    const asked = await fx.arm("GET", `/subscriptions/${fx.sub}`, {
      headers: {
        "x-ms-correlation-request-id": correlation,
        "x-ms-client-request-id": clientId,
        "x-ms-return-client-request-id": "true",
      },
    });
    expect(asked.headers["x-ms-correlation-request-id"]).toBe(correlation);
    expect(asked.headers["x-ms-client-request-id"]).toBe(clientId);
    const notAsked = await fx.arm("GET", `/subscriptions/${fx.sub}`, {
      headers: { "x-ms-client-request-id": clientId },
    });
    expect(notAsked.headers["x-ms-client-request-id"]).toBeUndefined();
  });

  it("answers a missing api-version with 400 MissingApiVersionParameter (item 43)", async () => {
    const res = await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups`, { apiVersion: null });
    expect(res.status).toBe(400);
    expect(armError(res).code).toBe("MissingApiVersionParameter");
    const dls = await fx.arm("GET", `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore/accounts`, {
      apiVersion: null,
    });
    expect(armError(dls).code).toBe("MissingApiVersionParameter");
  });

  it("refuses a DataLakeStore api-version it does not serve with NoRegisteredProviderFound listing the versions (item 43)", async () => {
    for (const version of ["2015-10-01", "2019-01-01", "garbage"]) {
      const res = await fx.arm("GET", `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore/accounts`, {
        apiVersion: version,
      });
      expect(res.status).toBe(400);
      const error = armError(res);
      expect(error.code).toBe("NoRegisteredProviderFound");
      expect(error.message).toContain("'2015-10-01-preview, 2016-11-01'");
    }
  });

  it("accepts current Microsoft.Resources versions and refuses malformed or future ones (item 43)", async () => {
    for (const version of ["2016-02-01", "2021-04-01", "2022-09-01", "2024-03-01"]) {
      expect(
        (await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups`, { apiVersion: version })).status,
        version,
      ).toBe(200);
    }
    for (const version of ["2022-13-01", "yesterday", "2999-01-01"]) {
      const res = await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups`, { apiVersion: version });
      expect(res.status, version).toBe(400);
      expect(armError(res).code).toBe("InvalidApiVersionParameter");
    }
  });

  it("matches fixed segments and names case-insensitively and keeps the creation casing (item 47)", async () => {
    await fx.arm("PUT", `/subscriptions/${fx.sub}/resourceGroups/MixedCase-RG`, {
      body: { location: "eastus" },
    });
    const rg = await fx.arm("GET", `/SUBSCRIPTIONS/${fx.sub.toUpperCase()}/RESOURCEGROUPS/mixedcase-rg`);
    expect(rg.status).toBe(200);
    expect(rg.json()).toMatchObject({
      name: "MixedCase-RG",
      id: `/subscriptions/${fx.sub}/resourceGroups/MixedCase-RG`,
    });
    const name = accountName("case");
    await fx.createAccount("MixedCase-RG", name);
    const account = await fx.arm(
      "GET",
      `/subscriptions/${fx.sub}/resourcegroups/MIXEDCASE-rg/providers/microsoft.datalakestore/ACCOUNTS/${name.toUpperCase()}`,
    );
    expect(account.status).toBe(200);
    expect(account.json()).toMatchObject({
      name,
      id: `/subscriptions/${fx.sub}/resourceGroups/MixedCase-RG/providers/Microsoft.DataLakeStore/accounts/${name}`,
    });
  });

  it("answers unknown paths and providers with ARM's JSON error shape (item 48)", async () => {
    const unknownPath = await fx.arm("GET", `/subscriptions/${fx.sub}/somethingElse`);
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.headers["content-type"]).toBe("application/json");
    expect(Object.keys(unknownPath.json())).toEqual(["error"]);
    const unknownProvider = await fx.arm(
      "GET",
      `/subscriptions/${fx.sub}/resourceGroups/conventions/providers/Microsoft.Compute/virtualMachines`,
    );
    expect(unknownProvider.status).toBe(404);
    expect(armError(unknownProvider).code).toBe("NoRegisteredProviderFound");
    const unknownType = await fx.arm(
      "GET",
      `/subscriptions/${fx.sub}/resourceGroups/conventions/providers/Microsoft.DataLakeStore/shares`,
    );
    expect(armError(unknownType).code).toBe("InvalidResourceType");
  });

  it("answers malformed JSON with 400 InvalidRequestContent (item 48)", async () => {
    const res = await fx.arm("PUT", `/subscriptions/${fx.sub}/resourcegroups/badjson`, { body: "{not json" });
    expect(res.status).toBe(400);
    expect(armError(res).code).toBe("InvalidRequestContent");
  });

  it("passes a fault-injected 429 with an integer Retry-After and SubscriptionRequestsThrottled (item 49)", async () => {
    const admin = {
      "x-adl-emulator-key": fx.emu.emulator.connection.adminKey,
      "content-type": "application/json",
    };
    const set = await fx.emu.request("PUT", `${fx.emu.url}/_emulator/faults`, {
      headers: admin,
      body: JSON.stringify({ rules: [{ area: "arm", status: 429, retryAfterSeconds: 7, times: 1 }] }),
    });
    expect(set.status).toBe(200);
    const throttled = await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers["retry-after"]).toBe("7");
    expect(armError(throttled).code).toBe("SubscriptionRequestsThrottled");
    expect((await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups`)).status).toBe(200);
  });

  it("refuses an unregistered subscription with MissingSubscriptionRegistration, then registers it (item 50)", async () => {
    const token = await fx.emu.token("https://management.azure.com/", {
      tenantId: OTHER_TENANT,
      ...OTHER_APP,
    });
    const accounts = `/subscriptions/${OTHER_SUBSCRIPTION}/providers/Microsoft.DataLakeStore/accounts`;
    const refused = await fx.arm("GET", accounts, { token });
    expect(refused.status).toBe(409);
    const error = armError(refused);
    expect(error.code).toBe("MissingSubscriptionRegistration");
    expect(error.message).toMatch(/namespace 'Microsoft\.DataLakeStore'/);

    const provider = `/subscriptions/${OTHER_SUBSCRIPTION}/providers/Microsoft.DataLakeStore`;
    expect(
      (await fx.arm("GET", provider, { token, apiVersion: "2016-02-01" })).json().registrationState,
    ).toBe("NotRegistered");
    const registered = await fx.arm("POST", `${provider}/register`, { token, apiVersion: "2016-02-01" });
    expect(registered.status).toBe(200);
    const state = (await fx.arm("GET", provider, { token, apiVersion: "2016-02-01" })).json();
    expect(state).toMatchObject({
      namespace: "Microsoft.DataLakeStore",
      registrationState: "Registered",
      id: provider,
    });
    expect(
      state.resourceTypes.find((t: { resourceType: string }) => t.resourceType === "accounts").apiVersions,
    ).toContain("2016-11-01");
    expect((await fx.arm("GET", accounts, { token })).json()).toEqual({ value: [] });
  });

  it("shows the default subscription registered from the start", async () => {
    const res = await fx.arm("GET", `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore`, {
      apiVersion: "2016-02-01",
    });
    expect(res.json().registrationState).toBe("Registered");
  });

  it("serves the subscription, the subscription list and the caller's tenant", async () => {
    const c = fx.emu.emulator.connection;
    const sub = (await fx.arm("GET", `/subscriptions/${fx.sub}`)).json();
    expect(sub).toMatchObject({
      id: `/subscriptions/${fx.sub}`,
      subscriptionId: fx.sub,
      tenantId: c.tenantId,
      state: "Enabled",
    });
    const list = (await fx.arm("GET", "/subscriptions")).json();
    expect(list.value.map((s: { subscriptionId: string }) => s.subscriptionId)).toEqual([fx.sub]);
    const tenants = (await fx.arm("GET", "/tenants")).json();
    expect(tenants.value).toEqual([
      expect.objectContaining({ id: `/tenants/${c.tenantId}`, tenantId: c.tenantId, tenantCategory: "Home" }),
    ]);
  });
});
