import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ArmFixture, accountName, DLS_API, startArmFixture } from "./arm-fixture.js";

const ISO_7 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;

describe("account creation as a long-running operation (items 58-62, 80, 81)", () => {
  let fx: ArmFixture;
  const admin = () => ({
    "x-adl-emulator-key": fx.emu.emulator.connection.adminKey,
    "content-type": "application/json",
  });
  const setFaults = (rules: unknown[]) =>
    fx.emu.request("PUT", `${fx.emu.url}/_emulator/faults`, {
      headers: admin(),
      body: JSON.stringify(rules),
    });
  const setPolls = (lroPolls: number) =>
    fx.emu.request("PATCH", `${fx.emu.url}/_emulator/config`, {
      headers: admin(),
      body: JSON.stringify({ arm: { lroPolls } }),
    });

  beforeAll(async () => {
    fx = await startArmFixture({ arm: { pageSize: 100, lroPolls: 2, retryAfterSeconds: 1 } });
    await fx.createGroup("lro");
  }, 60_000);
  afterAll(() => fx.close());

  it("answers a create with 201, a Creating body and absolute Azure-AsyncOperation/Location headers (item 58)", async () => {
    const name = accountName("create");
    const res = await fx.arm("PUT", fx.accountPath("lro", name), {
      body: { location: "eastus2", tags: { tag1: "value1" }, identity: { type: "SystemAssigned" } },
    });
    expect(res.status).toBe(201);
    expect(res.headers["content-type"]).toBe("application/json");
    const body = res.json();
    expect(body).toMatchObject({
      id: `/subscriptions/${fx.sub}/resourceGroups/lro/providers/Microsoft.DataLakeStore/accounts/${name}`,
      name,
      type: "Microsoft.DataLakeStore/accounts",
      location: "eastus2",
      tags: { tag1: "value1" },
      identity: { type: "SystemAssigned", tenantId: fx.emu.emulator.connection.tenantId },
      properties: {
        provisioningState: "Creating",
        state: null,
        endpoint: null,
        encryptionState: "Enabled",
        encryptionConfig: { type: "ServiceManaged" },
      },
    });
    expect(body.identity.principalId).toMatch(/^[0-9a-f-]{36}$/);
    const accountId = body.properties.accountId;
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers["azure-asyncoperation"]).toBe(
      `${fx.emu.url}/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore/locations/eastus2/operationResults/${accountId}_0?api-version=${DLS_API}`,
    );
    expect(res.headers.location).toBe(
      `${fx.emu.url}/subscriptions/${fx.sub}/resourcegroups/lro/providers/Microsoft.DataLakeStore/accounts/${name}/operationresults/0?api-version=${DLS_API}`,
    );
    expect(res.headers["retry-after"]).toBe("1");
    expect(Number(res.headers["x-ms-ratelimit-remaining-subscription-writes"])).toBeGreaterThan(0);
  });

  it("reports InProgress on the Azure-AsyncOperation URL for the configured polls, then Succeeded, always with 200 (items 59, 81)", async () => {
    const name = accountName("async");
    const created = await fx.arm("PUT", fx.accountPath("lro", name), { body: { location: "eastus2" } });
    const statusUrl = String(created.headers["azure-asyncoperation"]);
    const clientRequestId = randomUUID();
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const poll = await fx.arm("GET", statusUrl, {
        headers: { accept: "*/*", "x-ms-client-request-id": clientRequestId },
      });
      expect(poll.status).toBe(200);
      statuses.push(poll.json().status);
      // Paces the next poll while running (item 80); azure-core would otherwise wait 30 s.
      expect(poll.headers["retry-after"]).toBe(poll.json().status === "InProgress" ? "1" : undefined);
    }
    expect(statuses).toEqual(["InProgress", "InProgress", "Succeeded", "Succeeded"]);
    expect(fx.emu.emulator.services.accounts.get(name)).toMatchObject({
      source: "arm",
      ownerObjectId: fx.emu.emulator.connection.clientObjectId,
    });
  });

  it("answers 202 on the Location URL while running, then 200 with the final account (item 60)", async () => {
    const name = accountName("locpoll");
    const created = await fx.arm("PUT", fx.accountPath("lro", name), { body: { location: "eastus2" } });
    const location = String(created.headers.location);
    const first = await fx.arm("GET", location, { headers: { accept: "*/*" } });
    expect(first.status).toBe(202);
    expect(first.body.length).toBe(0);
    expect(first.headers.location).toBe(location);
    expect(first.headers["retry-after"]).toBe("1");
    expect((await fx.arm("GET", location)).status).toBe(202);
    const done = await fx.arm("GET", location);
    expect(done.status).toBe(200);
    expect(done.json()).toMatchObject({
      name,
      properties: { provisioningState: "Succeeded", state: "Active" },
    });
  });

  it("shows Creating on GET while creating, then the full Succeeded account with defaults (item 61)", async () => {
    await setPolls(1);
    try {
      const name = accountName("getwhile");
      const created = await fx.arm("PUT", fx.accountPath("lro", name), {
        body: { location: "eastus2", tags: { a: "b" } },
      });
      const during = (await fx.arm("GET", fx.accountPath("lro", name))).json();
      expect(during.properties).toMatchObject({ provisioningState: "Creating", state: null, endpoint: null });
      expect((await fx.arm("GET", String(created.headers["azure-asyncoperation"]))).json()).toEqual({
        status: "Succeeded",
      });
      const after = (await fx.arm("GET", fx.accountPath("lro", name))).json();
      const port = new URL(fx.emu.url).port;
      expect(after.properties).toMatchObject({
        provisioningState: "Succeeded",
        state: "Active",
        endpoint: `${name}.localhost:${port}`,
        firewallState: "Disabled",
        firewallAllowAzureIps: "Disabled",
        firewallAllowDataLakeAnalytics: "Disabled",
        trustedIdProviderState: "Disabled",
        firewallRules: [],
        virtualNetworkRules: [],
        trustedIdProviders: [],
        encryptionState: "Enabled",
        encryptionConfig: { type: "ServiceManaged" },
        currentTier: "Consumption",
        newTier: "Consumption",
        dataLakePerformanceTierState: "Disabled",
        accountId: created.json().properties.accountId,
      });
      expect(after.properties.creationTime).toMatch(ISO_7);
      expect(after.properties.lastModifiedTime).toMatch(ISO_7);
      expect(after).not.toHaveProperty("identity");
    } finally {
      await setPolls(2);
    }
  });

  it("replaces an existing account synchronously with 200 on a second PUT (item 62)", async () => {
    const name = accountName("replace");
    const before = await fx.createAccount("lro", name, { location: "eastus2", tags: { v: "1" } });
    const res = await fx.arm("PUT", fx.accountPath("lro", name), {
      body: {
        location: "eastus2",
        tags: { v: "2" },
        properties: { firewallState: "Enabled", newTier: "Commitment_1TB" },
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers["azure-asyncoperation"]).toBeUndefined();
    const body = res.json();
    expect(body.tags).toEqual({ v: "2" });
    expect(body.properties).toMatchObject({
      provisioningState: "Succeeded",
      firewallState: "Enabled",
      newTier: "Commitment_1TB",
      currentTier: "Consumption",
    });
    expect(body.properties.accountId).toBe(before.properties.accountId);
    expect(body.properties.creationTime).toBe(before.properties.creationTime);
  });

  it("sends Retry-After as an integer of at least 1 and follows its run-time setting (item 80)", async () => {
    await fx.emu.request("PATCH", `${fx.emu.url}/_emulator/config`, {
      headers: admin(),
      body: JSON.stringify({ arm: { retryAfterSeconds: 2.5 } }),
    });
    try {
      const res = await fx.arm("PUT", fx.accountPath("lro", accountName("retry")), {
        body: { location: "eastus2" },
      });
      expect(res.headers["retry-after"]).toBe("3"); // 2.5 s rounds up: Retry-After is whole seconds
    } finally {
      await fx.emu.request("PATCH", `${fx.emu.url}/_emulator/config`, {
        headers: admin(),
        body: JSON.stringify({ arm: { retryAfterSeconds: 1 } }),
      });
    }
  });

  it("cancels the operation of an account deleted while it was being created; its URLs keep answering (item 81)", async () => {
    const name = accountName("cancel");
    const created = await fx.arm("PUT", fx.accountPath("lro", name), { body: { location: "eastus2" } });
    expect((await fx.arm("DELETE", fx.accountPath("lro", name))).status).toBe(200);
    const status = await fx.arm("GET", String(created.headers["azure-asyncoperation"]));
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({ status: "Canceled", error: { code: "OperationCanceled" } });
    const location = await fx.arm("GET", String(created.headers.location));
    expect(location.status).toBe(409);
    expect(fx.emu.emulator.services.accounts.has(name)).toBe(false);
  });

  it("a fail-operation fault ends the creation Failed: error on both URLs, the account left Failed until deleted", async () => {
    expect(
      (
        await setFaults([
          {
            area: "arm",
            method: "PUT",
            action: "fail-operation",
            errorCode: "ResourceProvisioningFailed",
            errorMessage: "Injected: the account could not be provisioned.",
            times: 1,
          },
        ])
      ).status,
    ).toBe(200);
    const name = accountName("failed");
    try {
      const created = await fx.arm("PUT", fx.accountPath("lro", name), { body: { location: "eastus2" } });
      expect(created.status).toBe(201); // accepted as usual; the failure comes with the operation's end
      const error = {
        code: "ResourceProvisioningFailed",
        message: "Injected: the account could not be provisioned.",
      };
      const statuses: unknown[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await fx.arm("GET", String(created.headers["azure-asyncoperation"]))).json());
      expect(statuses).toEqual([
        { status: "InProgress" },
        { status: "InProgress" },
        { status: "Failed", error },
      ]);
      const location = await fx.arm("GET", String(created.headers.location));
      expect([location.status, location.json().error]).toEqual([409, error]);
      const account = await fx.arm("GET", fx.accountPath("lro", name));
      expect(account.json().properties).toMatchObject({ provisioningState: "Failed", endpoint: null });
      expect(fx.emu.emulator.services.accounts.has(name)).toBe(false);
      const again = await fx.arm("PUT", fx.accountPath("lro", name), { body: { location: "eastus2" } });
      expect(again.status).toBe(409);
      // Delete it, and the same name can be created (the fault fired once).
      expect((await fx.arm("DELETE", fx.accountPath("lro", name))).status).toBe(200);
      await setPolls(0);
      const retried = await fx.arm("PUT", fx.accountPath("lro", name), { body: { location: "eastus2" } });
      expect(retried.status).toBe(201);
      const done = await fx.arm("GET", String(retried.headers["azure-asyncoperation"]));
      expect(done.json()).toEqual({ status: "Succeeded" });
    } finally {
      await setPolls(2);
      await setFaults([]);
    }
  });

  it("a fail-operation fault on a group deletion leaves the group and its accounts in place, usable", async () => {
    await fx.createGroup("undeletable");
    await setPolls(0);
    const name = accountName("kept");
    const created = await fx.arm("PUT", fx.accountPath("undeletable", name), {
      body: { location: "eastus2" },
    });
    await fx.arm("GET", String(created.headers["azure-asyncoperation"]));
    await setFaults([{ area: "arm", method: "DELETE", action: "fail-operation", times: 1 }]);
    try {
      const groupPath = `/subscriptions/${fx.sub}/resourcegroups/undeletable?api-version=2022-09-01`;
      const deletion = await fx.arm("DELETE", groupPath);
      expect(deletion.status).toBe(202);
      const polled = await fx.arm("GET", String(deletion.headers.location));
      expect(polled.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(polled.json())).toContain("fail-operation fault");
      expect((await fx.arm("GET", groupPath)).json().properties).toEqual({ provisioningState: "Succeeded" });
      expect((await fx.arm("GET", fx.accountPath("undeletable", name))).status).toBe(200);
      expect(fx.emu.emulator.services.accounts.has(name)).toBe(true);
      // The group takes changes again, and a second deletion (no fault left) goes through.
      const second = await fx.arm("DELETE", groupPath);
      expect(second.status).toBe(202);
      expect((await fx.arm("GET", String(second.headers.location))).status).toBe(200);
      expect((await fx.arm("GET", groupPath)).status).toBe(404);
    } finally {
      await setPolls(2);
      await setFaults([]);
    }
  });

  it("completes a creation nobody polls once its deadline has passed (a --no-wait create still goes live)", async () => {
    const name = accountName("unwatched");
    await fx.arm("PUT", fx.accountPath("lro", name), { body: { location: "eastus2" } });
    const listed = async () =>
      (
        await fx.arm(
          "GET",
          `/subscriptions/${fx.sub}/resourceGroups/lro/providers/Microsoft.DataLakeStore/accounts`,
        )
      )
        .json()
        .value.find((a: { name: string }) => a.name === name);
    expect((await listed()).properties.provisioningState).toBe("Creating");
    // Only Date is faked: the emulator runs in this process, its sockets and timers stay real.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 5 * 60_000 });
    try {
      expect((await listed()).properties.provisioningState).toBe("Succeeded");
      expect(fx.emu.emulator.services.accounts.has(name)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers an unknown operation id with 404 OperationNotFound", async () => {
    const res = await fx.arm(
      "GET",
      `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore/locations/eastus2/operationResults/${randomUUID()}_0`,
    );
    expect(res.status).toBe(404);
    expect(res.json().error.code).toBe("OperationNotFound");
  });

  it("keeps accounts, rules, groups and running operations across a restart (state in arm.db)", async () => {
    await fx.createGroup("persist");
    const done = accountName("persisted");
    await fx.createAccount("persist", done);
    const rule = await fx.arm("PUT", `${fx.accountPath("persist", done)}/firewallRules/office`, {
      body: { properties: { startIpAddress: "10.0.0.1", endIpAddress: "10.0.0.9" } },
    });
    expect(rule.status).toBe(200);
    const pending = accountName("pending");
    const created = await fx.arm("PUT", fx.accountPath("persist", pending), {
      body: { location: "eastus2" },
    });

    await fx.emu.restart();

    const account = (await fx.arm("GET", fx.accountPath("persist", done))).json();
    expect(account.properties.provisioningState).toBe("Succeeded");
    expect(account.properties.firewallRules).toEqual([
      expect.objectContaining({
        name: "office",
        properties: { startIpAddress: "10.0.0.1", endIpAddress: "10.0.0.9" },
      }),
    ]);
    expect(fx.emu.emulator.services.accounts.has(done)).toBe(true);
    // The running creation survives too, with both of its InProgress polls still owed.
    const statusUrl = String(created.headers["azure-asyncoperation"]);
    expect((await fx.arm("GET", statusUrl)).json().status).toBe("InProgress");
    expect((await fx.arm("GET", statusUrl)).json().status).toBe("InProgress");
    expect((await fx.arm("GET", statusUrl)).json().status).toBe("Succeeded");
    expect(fx.emu.emulator.services.accounts.has(pending)).toBe(true);
  });
});
