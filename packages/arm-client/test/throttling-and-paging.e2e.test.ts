import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ClientSecretCredential } from "@adlkit/auth";
import { emulatorCloud } from "@adlkit/core";
import { type RunningEmulator, startEmulator } from "@adlkit/emulator";
import { readFixture } from "@adlkit/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ArmClient, createArmClient, OperationFailedError, ThrottledError } from "../src/index.js";
import { admin, collect, uniqueName } from "./helpers.js";

/**
 * Faults and page size are global to an emulator, so this file runs its own private one and its tests in
 * sequence (tests in one file run in order; none is concurrent), restoring the settings after each.
 */
describe("throttling and server-side paging (private emulator)", () => {
  let emulator: RunningEmulator;
  let dataDir: string;
  let client: ArmClient;
  let makeClient: (retry?: number) => ArmClient;
  const fixture = () => readFixture(emulator.connectionFile);

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "adlkit-arm-client-private-"));
    emulator = await startEmulator({ port: 0, dataDir });
    const { connection, caPem } = fixture();
    const cloud = emulatorCloud({ ...connection, caPem });
    const credential = new ClientSecretCredential(
      connection.tenantId,
      connection.clientId,
      connection.clientSecret,
      { cloud },
    );
    makeClient = (retry) =>
      createArmClient({
        credential,
        subscriptionId: connection.subscriptionId,
        cloud,
        pollIntervalInMs: 50,
        ...(retry !== undefined ? { retry } : {}),
      });
    client = makeClient();
  });
  /** The next PUT that starts an operation ends Failed with ResourceProvisioningFailed. */
  const failNextCreation = () =>
    admin(fixture(), "PUT", "faults", [
      {
        area: "arm",
        method: "PUT",
        action: "fail-operation",
        errorCode: "ResourceProvisioningFailed",
        errorMessage: "Injected: no capacity in eastus2.",
        times: 1,
      },
    ]);
  afterEach(async () => {
    await admin(fixture(), "DELETE", "faults");
    await admin(fixture(), "PATCH", "config", { arm: { pageSize: 100, lroPolls: 1 } });
  });
  afterAll(async () => {
    await client?.close();
    await emulator?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("rides out a storm of 429s with Retry-After: every call succeeds", async () => {
    const rg = uniqueName("rg-storm-");
    const account = uniqueName("storm");
    await admin(fixture(), "PUT", "faults", [
      { area: "arm", status: 429, retryAfterSeconds: 1, everyNth: 2, times: 6 },
    ]);

    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
    const created = await client.accounts.beginCreateAndWait(rg, account, { location: "eastus2" });
    expect(created.properties.provisioningState).toBe("Succeeded");
    expect((await client.accounts.checkNameAvailability("eastus2", account)).nameAvailable).toBe(false);
    expect((await collect(client.accounts.listByResourceGroup(rg))).map((a) => a.name)).toEqual([account]);
    await client.firewallRules.createOrUpdate(rg, account, "rule1", {
      properties: { startIpAddress: "1.1.1.1", endIpAddress: "1.1.1.1" },
    });
    await client.resourceGroups.beginDeleteAndWait(rg);

    const journal = (await admin(fixture(), "GET", "journal")) as {
      entries: Array<{ status?: number; path?: string; url?: string }>;
    };
    const throttled = journal.entries.filter((e) => e.status === 429);
    expect(throttled.length).toBe(6);
  });

  it("gives up with ThrottledError (and the service's Retry-After) when throttling outlasts the retries", async () => {
    const limited = makeClient(1);
    await admin(fixture(), "PUT", "faults", [
      { area: "arm", status: 429, retryAfterSeconds: 1, everyNth: 1, times: 2 },
    ]);
    const err = await limited.subscriptions.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect(err).toMatchObject({ status: 429, retryAfterInMs: 1000, operation: "subscriptions.get" });
    expect((err as ThrottledError).hint).toMatch(/retry\.limit/);
    await limited.close();
  });

  it("an account creation the service fails ends in OperationFailedError with its code and message", async () => {
    const rg = uniqueName("rg-fail-");
    const name = uniqueName("failed");
    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
    await failNextCreation();
    const err = await client.accounts
      .beginCreateAndWait(rg, name, { location: "eastus2" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationFailedError);
    expect(err).toMatchObject({
      status: "failed",
      code: "ResourceProvisioningFailed",
      armMessage: "Injected: no capacity in eastus2.",
      operation: "accounts.beginCreate",
    });
    expect((err as Error).message).toContain(
      `ended Failed: ResourceProvisioningFailed: Injected: no capacity`,
    );
    expect((err as OperationFailedError).hint).toMatch(/start it again/);
    // The account is there in state Failed; deleting it and creating again works.
    expect((await client.accounts.get(rg, name)).properties?.provisioningState).toBe("Failed");
    await client.accounts.beginDeleteAndWait(rg, name);
    const created = await client.accounts.beginCreateAndWait(rg, name, { location: "eastus2" });
    expect(created.properties?.provisioningState).toBe("Succeeded");
    await client.resourceGroups.beginDeleteAndWait(rg);
  });

  it("a resource group deletion the service fails ends in OperationFailedError; the group is still there", async () => {
    const rg = uniqueName("rg-keep-");
    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
    await admin(fixture(), "PUT", "faults", [
      { area: "arm", method: "DELETE", action: "fail-operation", errorCode: "Conflict", times: 1 },
    ]);
    const err = await client.resourceGroups.beginDeleteAndWait(rg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationFailedError);
    expect(err).toMatchObject({ status: "failed", code: "Conflict" });
    expect((await client.resourceGroups.get(rg)).properties?.provisioningState).toBe("Succeeded");
    await client.resourceGroups.beginDeleteAndWait(rg);
    expect(await client.resourceGroups.exists(rg)).toBe(false);
  });

  it("follows nextLink across several server-sized pages, for groups, accounts and rules", async () => {
    const rg = uniqueName("rg-pages-");
    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
    const accounts = [
      uniqueName("pga"),
      uniqueName("pgb"),
      uniqueName("pgc"),
      uniqueName("pgd"),
      uniqueName("pge"),
    ];
    for (const name of accounts) await client.accounts.beginCreateAndWait(rg, name, { location: "eastus2" });
    const host = accounts[0]!;
    for (const rule of ["r01", "r02", "r03"]) {
      await client.firewallRules.createOrUpdate(rg, host, rule, {
        properties: { startIpAddress: "1.1.1.1", endIpAddress: "1.1.1.2" },
      });
    }
    await admin(fixture(), "PATCH", "config", { arm: { pageSize: 2, lroPolls: 1 } });

    const accountPages = await collect(client.accounts.listByResourceGroup(rg).byPage());
    expect(accountPages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(
      accountPages
        .flat()
        .map((a) => a.name)
        .sort(),
    ).toEqual([...accounts].sort());
    expect((await collect(client.accounts.list())).length).toBe(5);

    const rulePages = await collect(client.firewallRules.listByAccount(rg, host).byPage());
    expect(rulePages.map((p) => p.length)).toEqual([2, 1]);

    const groups = await collect(client.resourceGroups.list());
    expect(groups.map((g) => g.name)).toContain(rg);
    await client.resourceGroups.beginDeleteAndWait(rg);
    expect(await collect(client.accounts.list())).toEqual([]);
  });

  it("pages storage accounts by nextLink, in the group and the subscription, and resumes from a continuation token", async () => {
    const rg = uniqueName("rg-storage-pages-");
    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
    const names = Array.from({ length: 5 }, (_, i) => uniqueName(`pages${i}`));
    await Promise.all(names.map((n) => client.storageAccounts.beginCreateAndWait(rg, n, gen2)));
    await admin(fixture(), "PATCH", "config", { arm: { pageSize: 2, lroPolls: 1 } });

    const pages = await collect(client.storageAccounts.listByResourceGroup(rg).byPage());
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((a) => a.name)).toEqual([...names].sort());
    expect(pages.slice(0, 2).every((p) => p.continuationToken?.includes("api-version="))).toBe(true);
    expect(pages[2]?.continuationToken).toBeUndefined();

    const token = pages[0]?.continuationToken;
    const resumed = await collect(
      client.storageAccounts.listByResourceGroup(rg).byPage({ continuationToken: token }),
    );
    expect(resumed.flat().map((a) => a.name)).toEqual([...names].sort().slice(2));

    const inSubscription = await collect(client.storageAccounts.list());
    expect(inSubscription.map((a) => a.name).sort()).toEqual([...names].sort());
    await client.resourceGroups.beginDeleteAndWait(rg);
    expect(await collect(client.storageAccounts.list())).toEqual([]);
  });

  it("a storage account creation the service fails ends in OperationFailedError; the account stays Failed until deleted", async () => {
    const rg = uniqueName("rg-storage-fail-");
    const name = uniqueName("failed");
    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
    await failNextCreation();
    const err = await client.storageAccounts.beginCreateAndWait(rg, name, gen2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationFailedError);
    expect(err).toMatchObject({
      status: "failed",
      code: "ResourceProvisioningFailed",
      armMessage: "Injected: no capacity in eastus2.",
      operation: "storageAccounts.beginCreate",
    });
    expect((await client.storageAccounts.get(rg, name)).properties.provisioningState).toBe("Failed");
    await client.storageAccounts.delete(rg, name);
    const created = await client.storageAccounts.beginCreateAndWait(rg, name, gen2);
    expect(created.properties.provisioningState).toBe("Succeeded");
    await client.resourceGroups.beginDeleteAndWait(rg);
  });
});

/** A Data Lake Storage Gen2 account. */
const gen2 = {
  location: "eastus2",
  kind: "StorageV2",
  sku: { name: "Standard_LRS" },
  properties: { isHnsEnabled: true },
} as const;
