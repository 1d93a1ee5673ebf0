import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_STORAGE_ACCOUNTS_PER_LOCATION } from "../../src/arm/storage/catalog.js";
import { newKeys } from "../../src/arm/storage/keys.js";
import { StorageStore } from "../../src/arm/storage/store.js";
import { ArmStore } from "../../src/arm/store.js";
import {
  type ArmFixture,
  accountName,
  armError,
  RG_API,
  STORAGE_API,
  startArmFixture,
  storageBody,
} from "./arm-fixture.js";

const OTHER_TENANT = randomUUID();
const OTHER_SUBSCRIPTION = randomUUID();
const OTHER_APP = { clientId: randomUUID(), secret: "storage-other-tenant-secret" };

/**
 * Microsoft.Storage as a provider: api-versions, registration, operations, name availability across
 * subscriptions and beside Gen1, resource-group cascade, failed creations (docs/gen2-conformance.md).
 */
describe("the Microsoft.Storage provider", () => {
  let fx: ArmFixture;
  let otherToken: string;
  const admin = () => ({
    "x-adl-emulator-key": fx.emu.emulator.connection.adminKey,
    "content-type": "application/json",
  });
  const check = (name: string, type = "Microsoft.Storage/storageAccounts") =>
    fx.arm("POST", `/subscriptions/${fx.sub}/providers/Microsoft.Storage/checkNameAvailability`, {
      body: { name, type },
    });

  beforeAll(async () => {
    fx = await startArmFixture({
      arm: { pageSize: 100, lroPolls: 1, retryAfterSeconds: 1 },
      tenants: [
        {
          id: OTHER_TENANT,
          applications: [{ clientId: OTHER_APP.clientId, secrets: [OTHER_APP.secret] }],
          subscriptions: [{ id: OTHER_SUBSCRIPTION }],
        },
      ],
    });
    otherToken = await fx.emu.token("https://management.azure.com/", {
      tenantId: OTHER_TENANT,
      ...OTHER_APP,
    });
    await fx.createGroup("prov");
  }, 60_000);
  afterAll(() => fx.close());

  it("accepts api-versions from 2021-01-01 to today, previews included, and refuses the others as ARM does", async () => {
    const list = `/subscriptions/${fx.sub}/providers/Microsoft.Storage/storageAccounts`;
    for (const version of ["2021-01-01", "2022-09-01", "2023-01-01", "2024-01-01-preview", "2026-09-01"])
      expect((await fx.arm("GET", list, { apiVersion: version })).status, version).toBe(200);

    const missing = await fx.arm("GET", list, { apiVersion: null });
    expect(missing.status).toBe(400);
    expect(armError(missing).code).toBe("MissingApiVersionParameter");
    for (const malformed of ["2023-1-1", "latest", "2023-02-30"]) {
      const res = await fx.arm("GET", list, { apiVersion: malformed });
      expect(res.status, malformed).toBe(400);
      expect(armError(res).code).toBe("InvalidApiVersionParameter");
    }
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    for (const unserved of ["2019-06-01", "2016-11-01", tomorrow]) {
      const res = await fx.arm("GET", list, { apiVersion: unserved });
      expect(res.status, unserved).toBe(400);
      expect(armError(res)).toMatchObject({
        code: "NoRegisteredProviderFound",
        message: expect.stringContaining("'2021-01-01' to today"),
      });
    }
    // The long-running-operation URLs carry the version the client used.
    const res = await fx.arm("PUT", fx.storagePath("prov", accountName("v")), {
      body: storageBody(),
      apiVersion: "2022-09-01",
    });
    expect(String(res.headers.location)).toContain("api-version=2022-09-01");
  });

  it("answers checkNameAvailability: available, AccountNameInvalid, AlreadyExists; refuses another type", async () => {
    const name = accountName("cn");
    expect((await check(name)).json()).toEqual({ nameAvailable: true });
    const invalid = (await check("Bad_Name")).json();
    expect(invalid).toEqual({
      nameAvailable: false,
      reason: "AccountNameInvalid",
      message:
        "Bad_Name is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.",
    });
    await fx.createStorageAccount("prov", name);
    expect((await check(name)).json()).toEqual({
      nameAvailable: false,
      reason: "AlreadyExists",
      message: `The storage account named ${name} is already taken.`,
    });
    const wrongType = await check(name, "Microsoft.DataLakeStore/accounts");
    expect(wrongType.status).toBe(400);
    expect(armError(wrongType).target).toBe("type");
  });

  it("keeps Gen1 and Gen2 names apart, as Azure does: a storage account may take a Gen1 account's name", async () => {
    const name = accountName("mig");
    await fx.createAccount("prov", name);
    expect((await check(name)).json().nameAvailable).toBe(true);
    const gen2 = await fx.createStorageAccount("prov", name);
    expect(gen2.properties.provisioningState).toBe("Succeeded");
    expect((await fx.arm("GET", fx.accountPath("prov", name))).json().type).toBe(
      "Microsoft.DataLakeStore/accounts",
    );
  });

  it("needs Microsoft.Storage registered on a subscription; then names are unique across subscriptions (409 StorageAccountAlreadyTaken)", async () => {
    const name = accountName("glob");
    await fx.createStorageAccount("prov", name);
    const other = (method: string, path: string, body?: unknown) =>
      fx.arm(method, path, { token: otherToken, ...(body !== undefined ? { body } : {}) });
    await other("PUT", `/subscriptions/${OTHER_SUBSCRIPTION}/resourcegroups/elsewhere`, {
      location: "eastus",
    });
    const path = `/subscriptions/${OTHER_SUBSCRIPTION}/resourceGroups/elsewhere/providers/Microsoft.Storage/storageAccounts/${name}`;

    const unregistered = await other("PUT", path, storageBody());
    expect(unregistered.status).toBe(409);
    expect(armError(unregistered)).toMatchObject({
      code: "MissingSubscriptionRegistration",
      message: expect.stringContaining("'Microsoft.Storage'"),
    });
    const provider = `/subscriptions/${OTHER_SUBSCRIPTION}/providers/Microsoft.Storage`;
    const registered = await fx.arm("POST", `${provider}/register`, {
      token: otherToken,
      apiVersion: "2016-02-01",
    });
    expect(registered.status).toBe(200);
    expect(registered.json()).toMatchObject({
      namespace: "Microsoft.Storage",
      registrationState: "Registered",
    });

    const taken = await other("PUT", path, storageBody());
    expect(taken.status).toBe(409);
    expect(armError(taken)).toEqual({
      code: "StorageAccountAlreadyTaken",
      message: `The storage account named ${name} is already taken.`,
      target: name,
    });
    // The other subscription sees neither the account nor its keys.
    expect((await other("GET", path)).status).toBe(404);
    expect((await other("POST", `${path}/listKeys`)).status).toBe(404);
    expect((await other("GET", `${provider}/storageAccounts`)).json()).toEqual({ value: [] });
  });

  it("shows the provider, its resource types and operations; refuses to unregister while accounts exist", async () => {
    const provider = `/subscriptions/${fx.sub}/providers/Microsoft.Storage`;
    const got = await fx.arm("GET", provider, { apiVersion: RG_API });
    expect(got.json()).toMatchObject({ namespace: "Microsoft.Storage", registrationState: "Registered" });
    const types = got.json().resourceTypes;
    expect(
      types.find((t: { resourceType: string }) => t.resourceType === "storageAccounts").apiVersions,
    ).toContain(STORAGE_API);
    const all = (await fx.arm("GET", `/subscriptions/${fx.sub}/providers`, { apiVersion: RG_API })).json()
      .value;
    expect(all.map((p: { namespace: string }) => p.namespace)).toEqual([
      "Microsoft.DataLakeStore",
      "Microsoft.Storage",
    ]);

    const operations = await fx.arm("GET", "/providers/Microsoft.Storage/operations");
    expect(operations.status).toBe(200);
    const names = operations.json().value.map((o: { name: string }) => o.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "Microsoft.Storage/storageAccounts/write",
        "Microsoft.Storage/storageAccounts/listkeys/action",
        "Microsoft.Storage/storageAccounts/regeneratekey/action",
      ]),
    );
    await fx.createStorageAccount("prov", accountName("keep"));
    const unregister = await fx.arm("POST", `${provider}/unregister`, { apiVersion: RG_API });
    expect(unregister.status).toBe(409);
    expect(armError(unregister).code).toBe("ProviderUnregistrationFailed");
    expect((await fx.arm("GET", `${provider}/usages`)).status).toBe(404);
  });

  it("removes a resource group's storage accounts with it, creations still running included", async () => {
    await fx.createGroup("doomed");
    const done = accountName("gone");
    const running = accountName("half");
    const gen1 = accountName("gen1");
    await fx.createStorageAccount("doomed", done);
    await fx.createAccount("doomed", gen1);
    const started = await fx.arm("PUT", fx.storagePath("doomed", running), { body: storageBody() });
    expect(started.status).toBe(202);

    const deleting = await fx.arm("DELETE", `/subscriptions/${fx.sub}/resourcegroups/doomed`);
    expect(deleting.status).toBe(202);
    // While the group is being deleted, nothing new goes into it.
    const refused = await fx.arm("PUT", fx.storagePath("doomed", accountName("late")), {
      body: storageBody(),
    });
    expect(refused.status).toBe(409);
    expect(armError(refused).code).toBe("ResourceGroupBeingDeleted");
    let deleted = 202;
    for (let i = 0; i < 10 && deleted === 202; i++)
      deleted = (await fx.arm("GET", String(deleting.headers.location))).status;
    expect(deleted).toBe(200);
    for (const name of [done, running]) {
      expect((await check(name)).json().nameAvailable, name).toBe(true);
      expect((await fx.arm("GET", fx.storagePath("doomed", name))).status).toBe(404);
    }
    const status = (await fx.arm("GET", String(started.headers["azure-asyncoperation"]))).json();
    expect(status).toMatchObject({ status: "Canceled", error: { code: "OperationCanceled" } });
    expect((await fx.arm("GET", String(started.headers.location))).status).toBe(409);
    expect(fx.emu.emulator.services.accounts.has(gen1)).toBe(false);
  });

  it("refuses one account more than the 250 a subscription may have in a location (409 TooManyStorageAccounts)", async () => {
    await fx.createGroup("quota");
    // Fill the location through a second connection to arm.db: faster than a few hundred creations.
    const arm = new ArmStore(fx.emu.dataDir);
    try {
      const store = new StorageStore(arm);
      const now = new Date().toISOString();
      store.transaction(() => {
        for (let i = 0; i < MAX_STORAGE_ACCOUNTS_PER_LOCATION; i++) {
          const name = `quota${i}${randomUUID().slice(0, 8)}`;
          store.put({
            key: name,
            name,
            subscription: fx.sub,
            groupKey: "quota",
            location: "northeurope",
            kind: "StorageV2",
            sku: "Standard_LRS",
            tags: {},
            identity: null,
            properties: { isHnsEnabled: true },
            extra: {},
            state: "Succeeded",
            tenant: fx.emu.emulator.connection.tenantId,
            creator: randomUUID(),
            keys: newKeys(now),
            operationId: randomUUID(),
            createdAt: now,
          });
        }
      });
    } finally {
      arm.close();
    }
    const refused = await fx.arm("PUT", fx.storagePath("quota", accountName("over")), {
      body: storageBody({ location: "North Europe" }),
    });
    expect(refused.status).toBe(409);
    expect(armError(refused).code).toBe("TooManyStorageAccounts");
    // Another location still has room.
    await fx.createStorageAccount("quota", accountName("room"), storageBody({ location: "westeurope" }));
  });

  it("a fail-operation fault ends the creation Failed: the account stays Failed until deleted, then the name is free", async () => {
    const faults = await fx.emu.request("PUT", `${fx.emu.url}/_emulator/faults`, {
      headers: admin(),
      body: JSON.stringify([
        { area: "arm", method: "PUT", action: "fail-operation", errorCode: "Boom", times: 1 },
      ]),
    });
    expect(faults.status).toBe(200);
    const name = accountName("fail");
    const res = await fx.arm("PUT", fx.storagePath("prov", name), { body: storageBody() });
    expect(res.status).toBe(202);
    let status: { status: string; error?: { code: string } } = { status: "InProgress" };
    for (let i = 0; i < 5 && status.status === "InProgress"; i++)
      status = (await fx.arm("GET", String(res.headers["azure-asyncoperation"]))).json();
    expect(status).toMatchObject({ status: "Failed", error: { code: "Boom" } });
    const monitor = await fx.arm("GET", String(res.headers.location));
    expect(monitor.status).toBe(409);
    expect(armError(monitor).code).toBe("Boom");
    expect((await fx.arm("GET", fx.storagePath("prov", name))).json().properties.provisioningState).toBe(
      "Failed",
    );
    expect((await fx.arm("POST", `${fx.storagePath("prov", name)}/listKeys`)).status).toBe(409);
    expect((await fx.arm("PUT", fx.storagePath("prov", name), { body: storageBody() })).status).toBe(409);
    expect((await fx.arm("DELETE", fx.storagePath("prov", name))).status).toBe(200);
    await fx.createStorageAccount("prov", name);
  });
});
