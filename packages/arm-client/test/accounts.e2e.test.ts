import { AbortError } from "@adlkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConflictError,
  type DataLakeStoreAccount,
  InvalidArgumentError,
  type OperationState,
  ResourceNotFoundError,
} from "../src/index.js";
import { collect, setup, uniqueName } from "./helpers.js";

describe("Data Lake Store accounts", () => {
  const { client } = setup();
  const rg = uniqueName("rg-accounts-");

  beforeAll(async () => {
    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
  });
  afterAll(async () => {
    await client.resourceGroups.beginDeleteAndWait(rg);
    await client.close();
  });

  it("creates an account as a long-running operation: progress, state, final GET", async () => {
    const name = uniqueName("create");
    const poller = client.accounts.beginCreate(rg, name, {
      location: "eastus2",
      tags: { tag1: "value1" },
      identity: { type: "SystemAssigned" },
    });
    const seen: Array<OperationState<DataLakeStoreAccount>> = [];
    poller.onProgress((state) => seen.push(state));
    await poller.submitted();
    expect(poller.operationState).toMatchObject({
      status: "running",
      mode: "OperationLocation",
      pollCount: 0,
    });
    expect(poller.isDone).toBe(false);

    const account = await poller.pollUntilDone();
    expect(account).toMatchObject({
      name,
      type: "Microsoft.DataLakeStore/accounts",
      location: "eastus2",
      tags: { tag1: "value1" },
      identity: { type: "SystemAssigned" },
      properties: {
        provisioningState: "Succeeded",
        state: "Active",
        firewallState: "Disabled",
        encryptionState: "Enabled",
        currentTier: "Consumption",
      },
    });
    expect(account.identity?.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(account.properties.endpoint).toContain(name);
    expect(account.id).toBe(
      `/subscriptions/${client.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.DataLakeStore/accounts/${name}`,
    );
    expect(seen.map((s) => s.status)).toEqual([...seen.slice(0, -1).map(() => "running"), "succeeded"]);
    expect(seen.at(-1)?.result).toEqual(account);
    expect(poller.operationState.pollCount).toBeGreaterThanOrEqual(1);
    expect(await poller).toEqual(account);
  });

  it("replaces an existing account with a synchronous PUT", async () => {
    const name = uniqueName("replace");
    await client.accounts.beginCreateAndWait(rg, name, { location: "eastus2" });
    const poller = client.accounts.beginCreate(rg, name, { location: "eastus2", tags: { second: "put" } });
    const account = await poller;
    expect(poller.operationState.pollCount).toBe(0);
    expect(account.tags).toEqual({ second: "put" });
    expect(account.properties.provisioningState).toBe("Succeeded");
  });

  it("updates with PATCH: tags replace the map, settings change, lastModifiedTime moves", async () => {
    const name = uniqueName("update");
    const created = await client.accounts.beginCreateAndWait(rg, name, {
      location: "eastus2",
      tags: { a: "1" },
    });
    const updated = await client.accounts.update(rg, name, {
      tags: { b: "2" },
      properties: {
        firewallState: "Enabled",
        firewallAllowAzureIps: "Enabled",
        newTier: "Commitment_1TB",
        defaultGroup: "group-1",
        firewallRules: [
          { name: "office", properties: { startIpAddress: "10.0.0.1", endIpAddress: "10.0.0.9" } },
        ],
      },
    });
    expect(updated.tags).toEqual({ b: "2" });
    expect(updated.properties).toMatchObject({
      firewallState: "Enabled",
      firewallAllowAzureIps: "Enabled",
      newTier: "Commitment_1TB",
      defaultGroup: "group-1",
    });
    expect(updated.properties.firewallRules?.map((r) => r.name)).toEqual(["office"]);
    expect(Date.parse(updated.properties.lastModifiedTime ?? "")).toBeGreaterThanOrEqual(
      Date.parse(created.properties.lastModifiedTime ?? ""),
    );
    const got = await client.accounts.get(rg, name);
    expect(got.tags).toEqual({ b: "2" });
    expect(got.properties.firewallState).toBe("Enabled");
  });

  it("lists accounts in the subscription and the group as basic accounts, paging with $top", async () => {
    const group = uniqueName("rg-acclist-");
    await client.resourceGroups.createOrUpdate(group, { location: "eastus2" });
    const names = [uniqueName("list"), uniqueName("list"), uniqueName("list")];
    await Promise.all(
      names.map((n) => client.accounts.beginCreateAndWait(group, n, { location: "eastus2" })),
    );

    const pages = await collect(client.accounts.listByResourceGroup(group, { top: 1 }).byPage());
    expect(pages.map((p) => p.length)).toEqual([1, 1, 1]);
    expect(
      pages
        .flat()
        .map((a) => a.name)
        .sort(),
    ).toEqual([...names].sort());
    const basic = pages.flat()[0]!;
    expect(basic.properties.provisioningState).toBe("Succeeded");
    expect(basic).not.toHaveProperty("identity");
    expect(basic.properties).not.toHaveProperty("firewallRules");

    const all = await collect(client.accounts.list({ top: 2 }));
    for (const name of names) expect(all.map((a) => a.name)).toContain(name);

    expect(await collect(client.accounts.listByResourceGroup(group, { skip: 2 }))).toHaveLength(1);
    await client.resourceGroups.beginDeleteAndWait(group);
  });

  it("checks name availability globally", async () => {
    const name = uniqueName("avail");
    expect(await client.accounts.checkNameAvailability("eastus2", name)).toEqual({ nameAvailable: true });
    await client.accounts.beginCreateAndWait(rg, name, { location: "eastus2" });
    const taken = await client.accounts.checkNameAvailability("East US 2", name);
    expect(taken).toMatchObject({ nameAvailable: false, reason: "AlreadyExists" });
    expect(taken.message).toContain(name);
  });

  it("refuses a name taken in another resource group with ConflictError", async () => {
    const name = uniqueName("taken");
    const other = uniqueName("rg-other-");
    await client.accounts.beginCreateAndWait(rg, name, { location: "eastus2" });
    await client.resourceGroups.createOrUpdate(other, { location: "eastus2" });
    const err = await client.accounts
      .beginCreateAndWait(other, name, { location: "eastus2" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).operation).toBe("accounts.beginCreate");
    await client.resourceGroups.beginDeleteAndWait(other);
  });

  it("enables Key Vault on an account", async () => {
    const name = uniqueName("keyvault");
    await client.accounts.beginCreateAndWait(rg, name, {
      location: "eastus2",
      identity: { type: "SystemAssigned" },
    });
    await expect(client.accounts.enableKeyVault(rg, name)).resolves.toBeUndefined();
    await expect(client.accounts.enableKeyVault(rg, uniqueName("nokv"))).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
  });

  it("deletes an account; afterwards GET is ResourceNotFound and deleting again succeeds", async () => {
    const name = uniqueName("delete");
    await client.accounts.beginCreateAndWait(rg, name, { location: "eastus2" });
    const poller = client.accounts.beginDelete(rg, name);
    await expect(poller).resolves.toBeUndefined();
    expect(poller.operationState.status).toBe("succeeded");
    const err = await client.accounts.get(rg, name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundError);
    expect(err).toMatchObject({ code: "ResourceNotFound", status: 404 });
    expect((err as Error).message).toContain(name);
    await expect(client.accounts.beginDeleteAndWait(rg, name)).resolves.toBeUndefined();
    expect((await client.accounts.checkNameAvailability("eastus2", name)).nameAvailable).toBe(true);
  });

  it("reports a missing resource group under an account call as ResourceGroupNotFound", async () => {
    const err = await client.accounts.get(uniqueName("rg-none-"), "whatever").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundError);
    expect((err as ResourceNotFoundError).code).toBe("ResourceGroupNotFound");
  });

  it("stops waiting when the caller aborts, and the operation still completes", async () => {
    const name = uniqueName("abort");
    const controller = new AbortController();
    const poller = client.accounts.beginCreate(rg, name, { location: "eastus2" });
    await poller.submitted();
    const waiting = poller.pollUntilDone({ abortSignal: controller.signal });
    controller.abort();
    const err = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect((err as Error).message).toContain("the operation itself may still complete");
    expect(poller.isDone).toBe(false);
    const account = await poller.pollUntilDone();
    expect(account.properties.provisioningState).toBe("Succeeded");
  });

  it("does not send anything when aborted before the first request", async () => {
    const poller = client.accounts.beginCreate(
      rg,
      uniqueName("preabort"),
      { location: "eastus2" },
      { abortSignal: AbortSignal.abort() },
    );
    await expect(poller.submitted()).rejects.toBeInstanceOf(AbortError);
    await expect(poller).rejects.toBeInstanceOf(AbortError);
  });

  it("validates every argument before any network call", async () => {
    const { client: fresh, credential } = setup();
    const cases: Array<[() => unknown, RegExp]> = [
      [
        () => fresh.accounts.beginCreate(rg, "Bad_Name", { location: "eastus2" }),
        /accountName 'Bad_Name' is not a valid Data Lake Store account name/,
      ],
      [() => fresh.accounts.beginCreate(rg, "ab", { location: "eastus2" }), /3-24 lowercase/],
      [
        () => fresh.accounts.beginCreate("bad/rg", "okname", { location: "eastus2" }),
        /resourceGroupName 'bad\/rg'/,
      ],
      [() => fresh.accounts.beginCreate(rg, "okname", {} as never), /parameters\.location is required/],
      [
        () => fresh.accounts.beginCreate(rg, "okname", { location: "eastus2", tags: { a: 1 } as never }),
        /parameters\.tags\.a must be a string/,
      ],
      [
        () =>
          fresh.accounts.beginCreate(rg, "okname", {
            location: "x",
            identity: { type: "UserAssigned" as never },
          }),
        /identity\.type must be 'SystemAssigned'/,
      ],
      [
        () =>
          fresh.accounts.beginCreate(rg, "okname", {
            location: "x",
            properties: { firewallState: "On" as never },
          }),
        /firewallState must be one of Enabled, Disabled/,
      ],
      [
        () =>
          fresh.accounts.beginCreate(rg, "okname", {
            location: "x",
            properties: { newTier: "Free" as never },
          }),
        /newTier must be one of Consumption/,
      ],
      [
        () =>
          fresh.accounts.beginCreate(rg, "okname", {
            location: "x",
            properties: { encryptionConfig: { type: "UserManaged" } },
          }),
        /keyVaultMetaInfo is required when type is 'UserManaged'/,
      ],
      [
        () =>
          fresh.accounts.beginCreate(rg, "okname", {
            location: "x",
            properties: {
              firewallRules: [{ name: "r", properties: { startIpAddress: "1.1.1.1", endIpAddress: "::1" } }],
            },
          }),
        /firewallRules\[0\]\.properties mixes IPv4 and IPv6/,
      ],
      [
        () =>
          fresh.accounts.beginCreate(rg, "okname", {
            location: "x",
            properties: {
              trustedIdProviders: [
                { name: "a", properties: { idProvider: "https://sts" } },
                { name: "A", properties: { idProvider: "https://sts" } },
              ],
            },
          }),
        /trustedIdProviders\[1\]\.name repeats 'A'/,
      ],
      [
        () => fresh.accounts.beginUpdate(rg, "okname", { location: "x" } as never),
        /parameters\.location cannot change after create/,
      ],
      [
        () => fresh.accounts.beginDelete(rg, "okname", { pollIntervalInMs: -1 }),
        /options\.pollIntervalInMs must be a number >= 0/,
      ],
      [() => fresh.accounts.list({ top: 0 }), /options\.top must be an integer >= 1/],
      [() => fresh.accounts.listByResourceGroup(rg, { skip: -1 }), /options\.skip must be an integer >= 1/],
      [() => fresh.accounts.list({ count: "yes" as never }), /options\.count must be a boolean/],
    ];
    for (const [call, message] of cases) {
      expect(call).toThrow(message);
      try {
        call();
      } catch (err) {
        expect(InvalidArgumentError.isInstance(err)).toBe(true);
      }
    }
    await expect(fresh.accounts.get(rg, "NOPE")).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(fresh.accounts.checkNameAvailability("east/us", "x")).rejects.toThrow(
      /location 'east\/us' is not a region/,
    );
    await expect(fresh.accounts.checkNameAvailability("eastus2", "")).rejects.toThrow(
      /name must be a non-empty string/,
    );
    await expect(fresh.accounts.enableKeyVault(rg, "Up")).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(fresh.accounts.update(rg, "okname", { tags: [] as never })).rejects.toThrow(
      /must be an object, got an array/,
    );
    expect(credential.calls).toBe(0);
  });
});
