import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmFixture, accountName, armError, DLS_API, startArmFixture } from "./arm-fixture.js";

const CONFIG_ACCOUNT = "configured1";
const KEY_VAULT = {
  keyVaultResourceId:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/kv/providers/Microsoft.KeyVault/vaults/kv1",
  encryptionKeyName: "adls-key",
  encryptionKeyVersion: "v1",
};

describe("Data Lake Store accounts (items 63-73)", () => {
  let fx: ArmFixture;
  const dls = () => `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore`;

  beforeAll(async () => {
    fx = await startArmFixture({
      accounts: [CONFIG_ACCOUNT],
      arm: { pageSize: 100, lroPolls: 0, retryAfterSeconds: 1 },
    });
    await fx.createGroup("accounts");
    await fx.createGroup("other-rg");
    await fx.createGroup("empty-rg");
  }, 60_000);
  afterAll(() => fx.close());

  it("refuses a create without location with 400 LocationRequired (item 63)", async () => {
    const res = await fx.arm("PUT", fx.accountPath("accounts", accountName("noloc")), { body: { tags: {} } });
    expect(res.status).toBe(400);
    expect(armError(res).code).toBe("LocationRequired");
  });

  it("refuses names outside ^[a-z0-9]{3,24}$ with 400 (item 63)", async () => {
    for (const name of ["ab", "UpperCase", "with-dash", "a".repeat(25), "under_score"]) {
      const res = await fx.arm("PUT", fx.accountPath("accounts", name), { body: { location: "eastus2" } });
      expect(res.status, name).toBe(400);
      expect(armError(res)).toMatchObject({ code: "InvalidResourceName", target: "accountName" });
    }
  });

  it("refuses a name owned by another resource group, or by the emulator config, with 409 (item 63)", async () => {
    const name = accountName("owned");
    await fx.createAccount("accounts", name);
    const elsewhere = await fx.arm("PUT", fx.accountPath("other-rg", name), {
      body: { location: "eastus2" },
    });
    expect(elsewhere.status).toBe(409);
    expect(armError(elsewhere).message).toContain(`An account named '${name}' already exists`);
    const configured = await fx.arm("PUT", fx.accountPath("accounts", CONFIG_ACCOUNT), {
      body: { location: "eastus2" },
    });
    expect(configured.status).toBe(409);
    expect(armError(configured).message).toContain("configured in the emulator");
  });

  it("refuses to move an account to another location, and bad property values", async () => {
    const name = accountName("fixed");
    await fx.createAccount("accounts", name);
    const moved = await fx.arm("PUT", fx.accountPath("accounts", name), { body: { location: "westeurope" } });
    expect(moved.status).toBe(409);
    expect(armError(moved).code).toBe("InvalidResourceLocation");
    const badTier = await fx.arm("PUT", fx.accountPath("accounts", accountName("tier")), {
      body: { location: "eastus2", properties: { newTier: "Huge" } },
    });
    expect(badTier.status).toBe(400);
    const userManagedWithoutIdentity = await fx.arm("PUT", fx.accountPath("accounts", accountName("umk")), {
      body: {
        location: "eastus2",
        properties: { encryptionConfig: { type: "UserManaged", keyVaultMetaInfo: KEY_VAULT } },
      },
    });
    expect(userManagedWithoutIdentity.status).toBe(400);
    expect(armError(userManagedWithoutIdentity).target).toBe("identity");
  });

  it("updates with PATCH: tags replaced, settings and rules applied, lastModifiedTime advanced (item 64)", async () => {
    const name = accountName("patch");
    const before = await fx.createAccount("accounts", name, {
      location: "eastus2",
      tags: { a: "1", b: "2" },
    });
    await sleep(5);
    const res = await fx.arm("PATCH", fx.accountPath("accounts", name), {
      body: {
        tags: { c: "3" },
        properties: {
          firewallState: "Enabled",
          firewallAllowAzureIps: "Enabled",
          trustedIdProviderState: "Enabled",
          newTier: "Commitment_10TB",
          defaultGroup: "analysts",
          firewallRules: [
            { name: "office", properties: { startIpAddress: "1.1.1.1", endIpAddress: "2.2.2.2" } },
          ],
          trustedIdProviders: [
            {
              name: "home",
              properties: { idProvider: "https://sts.windows.net/00000000-0000-0000-0000-000000000001" },
            },
          ],
        },
      },
    });
    expect(res.status).toBe(200);
    const after = res.json();
    expect(after.tags).toEqual({ c: "3" });
    expect(after.properties).toMatchObject({
      firewallState: "Enabled",
      firewallAllowAzureIps: "Enabled",
      trustedIdProviderState: "Enabled",
      newTier: "Commitment_10TB",
      currentTier: "Consumption",
      defaultGroup: "analysts",
      provisioningState: "Succeeded",
    });
    expect(after.properties.firewallRules).toEqual([
      expect.objectContaining({
        name: "office",
        properties: { startIpAddress: "1.1.1.1", endIpAddress: "2.2.2.2" },
      }),
    ]);
    expect(after.properties.trustedIdProviders.map((r: { name: string }) => r.name)).toEqual(["home"]);
    expect(after.properties.lastModifiedTime > before.properties.lastModifiedTime).toBe(true);
    expect(after.properties.creationTime).toBe(before.properties.creationTime);
    // A second update names the rule again: it is updated by name, not duplicated.
    const again = await fx.arm("PATCH", fx.accountPath("accounts", name), {
      body: { properties: { firewallRules: [{ name: "OFFICE", properties: { endIpAddress: "3.3.3.3" } }] } },
    });
    expect(again.json().properties.firewallRules).toEqual([
      expect.objectContaining({
        name: "office",
        properties: { startIpAddress: "1.1.1.1", endIpAddress: "3.3.3.3" },
      }),
    ]);
    expect(again.json().tags).toEqual({ c: "3" });
  });

  it("rotates the key version of user-managed encryption, and enableKeyVault finishes its provisioning (items 64, 73)", async () => {
    const name = accountName("cmk");
    const created = await fx.createAccount("accounts", name, {
      location: "eastus2",
      identity: { type: "SystemAssigned" },
      properties: {
        encryptionState: "Enabled",
        encryptionConfig: { type: "UserManaged", keyVaultMetaInfo: KEY_VAULT },
      },
    });
    expect(created.properties).toMatchObject({
      encryptionConfig: { type: "UserManaged", keyVaultMetaInfo: KEY_VAULT },
      encryptionProvisioningState: "Creating",
    });
    const rotated = await fx.arm("PATCH", fx.accountPath("accounts", name), {
      body: { properties: { encryptionConfig: { keyVaultMetaInfo: { encryptionKeyVersion: "v2" } } } },
    });
    expect(rotated.json().properties.encryptionConfig.keyVaultMetaInfo).toEqual({
      ...KEY_VAULT,
      encryptionKeyVersion: "v2",
    });
    const enable = await fx.arm("POST", `${fx.accountPath("accounts", name)}/enableKeyVault`);
    expect(enable.status).toBe(200);
    expect(enable.body.length).toBe(0);
    expect(
      (await fx.arm("GET", fx.accountPath("accounts", name))).json().properties.encryptionProvisioningState,
    ).toBe("Succeeded");
  });

  it("refuses a key rotation on a service-managed account", async () => {
    const name = accountName("smk");
    await fx.createAccount("accounts", name);
    const res = await fx.arm("PATCH", fx.accountPath("accounts", name), {
      body: { properties: { encryptionConfig: { keyVaultMetaInfo: { encryptionKeyVersion: "v2" } } } },
    });
    expect(res.status).toBe(400);
  });

  it("answers GET, PATCH and enableKeyVault on a missing account with 404 ResourceNotFound (items 65, 73)", async () => {
    const expected = {
      code: "ResourceNotFound",
      message:
        "The Resource 'Microsoft.DataLakeStore/accounts/nosuchaccount' under resource group 'accounts' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    };
    const get = await fx.arm("GET", fx.accountPath("accounts", "nosuchaccount"));
    expect(get.status).toBe(404);
    expect(armError(get)).toEqual(expected);
    const patch = await fx.arm("PATCH", fx.accountPath("accounts", "nosuchaccount"), { body: { tags: {} } });
    expect(armError(patch)).toEqual(expected);
    expect(
      (await fx.arm("POST", `${fx.accountPath("accounts", "nosuchaccount")}/enableKeyVault`)).status,
    ).toBe(404);
  });

  it("deletes with 200 and an empty body, 204 when missing; the name and filesystem go away (item 66)", async () => {
    const name = accountName("delete");
    await fx.createAccount("accounts", name);
    expect(fx.emu.emulator.services.accounts.has(name)).toBe(true);
    const res = await fx.arm("DELETE", fx.accountPath("accounts", name));
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(Number(res.headers["x-ms-ratelimit-remaining-subscription-deletes"])).toBeGreaterThan(0);
    expect(fx.emu.emulator.services.accounts.has(name)).toBe(false);
    expect(armError(await fx.arm("GET", fx.accountPath("accounts", name))).code).toBe("ResourceNotFound");
    expect((await fx.arm("DELETE", fx.accountPath("accounts", name))).status).toBe(204);
    // The name is free again, even in another resource group.
    await fx.createAccount("other-rg", name);
  });

  it("lists Basic accounts by resource group and by subscription; an empty list is {value: []} (item 67)", async () => {
    const name = accountName("listed");
    await fx.createAccount("other-rg", name, { location: "eastus2", tags: { k: "v" } });
    const byGroup = (
      await fx.arm(
        "GET",
        `/subscriptions/${fx.sub}/resourceGroups/other-rg/providers/Microsoft.DataLakeStore/accounts`,
      )
    ).json();
    expect(byGroup.nextLink).toBeUndefined();
    const item = byGroup.value.find((a: { name: string }) => a.name === name);
    expect(Object.keys(item).sort()).toEqual(["id", "location", "name", "properties", "tags", "type"]);
    expect(Object.keys(item.properties).sort()).toEqual([
      "accountId",
      "creationTime",
      "endpoint",
      "lastModifiedTime",
      "provisioningState",
      "state",
    ]);
    expect(item).toMatchObject({
      tags: { k: "v" },
      type: "Microsoft.DataLakeStore/accounts",
      properties: { provisioningState: "Succeeded", state: "Active" },
    });
    const bySub = (await fx.arm("GET", `${dls()}/accounts`)).json();
    expect(bySub.value.map((a: { name: string }) => a.name)).toContain(name);
    expect(bySub.value.length).toBeGreaterThan(byGroup.value.length);
    expect(bySub.value.map((a: { name: string }) => a.name)).not.toContain(CONFIG_ACCOUNT);
    expect(
      (
        await fx.arm(
          "GET",
          `/subscriptions/${fx.sub}/resourceGroups/empty-rg/providers/Microsoft.DataLakeStore/accounts`,
        )
      ).json(),
    ).toEqual({ value: [] });
  });

  it("pages with $top and an absolute nextLink keeping api-version; the last page has none (item 68)", async () => {
    await fx.createGroup("paged");
    const names = [
      accountName("pg"),
      accountName("pg"),
      accountName("pg"),
      accountName("pg"),
      accountName("pg"),
    ].sort();
    for (const name of names) await fx.createAccount("paged", name);
    const seen: string[] = [];
    let url = `/subscriptions/${fx.sub}/resourceGroups/paged/providers/Microsoft.DataLakeStore/accounts?$top=2`;
    let page = (await fx.arm("GET", url)).json();
    const sizes: number[] = [];
    while (true) {
      sizes.push(page.value.length);
      seen.push(...page.value.map((a: { name: string }) => a.name));
      if (!page.nextLink) break;
      url = page.nextLink;
      expect(
        url.startsWith(
          `${fx.emu.url}/subscriptions/${fx.sub}/resourceGroups/paged/providers/Microsoft.DataLakeStore/accounts?`,
        ),
      ).toBe(true);
      expect(url).toContain(`api-version=${DLS_API}`);
      expect(new URL(url).searchParams.get("$skipToken")).toBeTruthy();
      page = (await fx.arm("GET", url)).json();
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(names);
  });

  it("pages with the configured page size when the client sends no $top", async () => {
    const admin = {
      "x-adl-emulator-key": fx.emu.emulator.connection.adminKey,
      "content-type": "application/json",
    };
    await fx.emu.request("PATCH", `${fx.emu.url}/_emulator/config`, {
      headers: admin,
      body: JSON.stringify({ arm: { pageSize: 3 } }),
    });
    try {
      const page = (
        await fx.arm(
          "GET",
          `/subscriptions/${fx.sub}/resourceGroups/paged/providers/Microsoft.DataLakeStore/accounts`,
        )
      ).json();
      expect(page.value.length).toBe(3);
      expect(page.nextLink).toBeTruthy();
      expect((await fx.arm("GET", page.nextLink)).json().value.length).toBe(2);
    } finally {
      await fx.emu.request("PATCH", `${fx.emu.url}/_emulator/config`, {
        headers: admin,
        body: JSON.stringify({ arm: { pageSize: 100 } }),
      });
    }
  });

  it("refuses a continuation token it did not issue, and a $top that is not a positive integer", async () => {
    const list = `/subscriptions/${fx.sub}/resourceGroups/paged/providers/Microsoft.DataLakeStore/accounts`;
    const badToken = await fx.arm("GET", `${list}?$skipToken=not-a-token`);
    expect(badToken.status).toBe(400);
    expect(armError(badToken)).toMatchObject({ code: "InvalidQueryParameterValue", target: "$skipToken" });
    expect((await fx.arm("GET", `${list}?$top=0`)).status).toBe(400);
    expect((await fx.arm("GET", `${list}?$top=abc`)).status).toBe(400);
  });

  it("checks name availability across the emulator (item 69)", async () => {
    const taken = accountName("taken");
    await fx.createAccount("accounts", taken);
    const check = async (name: string) =>
      (
        await fx.arm("POST", `${dls()}/locations/eastus2/checkNameAvailability`, {
          body: { name, type: "Microsoft.DataLakeStore/accounts" },
        })
      ).json();
    expect(await check(accountName("free"))).toEqual({ nameAvailable: true });
    expect(await check(taken)).toEqual({
      nameAvailable: false,
      reason: "AlreadyExists",
      message: `An account named '${taken}' already exists.`,
    });
    expect(await check(CONFIG_ACCOUNT)).toMatchObject({ nameAvailable: false, reason: "AlreadyExists" });
    expect(await check("Not-Valid")).toMatchObject({ nameAvailable: false, reason: "InvalidName" });
    const wrongType = await fx.arm("POST", `${dls()}/locations/eastus2/checkNameAvailability`, {
      body: { name: "x", type: "Microsoft.Storage/storageAccounts" },
    });
    expect(wrongType.status).toBe(400);
  });

  it("reports capability with the subscription's account count; unknown subscription → 404 (item 70)", async () => {
    const res = await fx.arm("GET", `${dls()}/locations/westus3/capability`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      subscriptionId: fx.sub,
      state: "Registered",
      maxAccountCount: expect.any(Number),
      accountCount: 0,
      migrationState: false,
    });
    const name = accountName("cap");
    await fx.createAccount("accounts", name, { location: "westus3" });
    expect((await fx.arm("GET", `${dls()}/locations/westus3/capability`)).json().accountCount).toBe(1);
    const unknown = await fx.arm(
      "GET",
      `/subscriptions/${randomUUID()}/providers/Microsoft.DataLakeStore/locations/westus3/capability`,
    );
    expect(unknown.status).toBe(404);
  });

  it("reports usages as a single page (item 71)", async () => {
    await fx.createAccount("accounts", accountName("usage"), { location: "centralus" });
    const res = (await fx.arm("GET", `${dls()}/locations/centralus/usages`)).json();
    expect(res).toEqual({
      value: [
        {
          unit: "Count",
          id: `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore/locations/centralus/usages/DataLakeStoreAccounts`,
          currentValue: 1,
          limit: expect.any(Number),
          name: { value: "DataLakeStoreAccounts", localizedValue: "Data Lake Store Accounts" },
        },
      ],
    });
  });

  it("lists the provider's operations at tenant scope (item 72)", async () => {
    const res = await fx.arm("GET", "/providers/Microsoft.DataLakeStore/operations");
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.nextLink).toBeUndefined();
    expect(body.value.length).toBeGreaterThanOrEqual(25);
    for (const op of body.value) {
      expect(op.name).toMatch(/^Microsoft\.DataLakeStore\//);
      expect(Object.keys(op.display).sort()).toEqual(["description", "operation", "provider", "resource"]);
    }
    const names = body.value.map((o: { name: string }) => o.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "Microsoft.DataLakeStore/accounts/read",
        "Microsoft.DataLakeStore/register/action",
        "Microsoft.DataLakeStore/locations/checkNameAvailability/action",
      ]),
    );
  });
});
