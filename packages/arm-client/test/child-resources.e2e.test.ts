import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArmError, InvalidArgumentError, ResourceNotFoundError } from "../src/index.js";
import { collect, setup, uniqueName } from "./helpers.js";

describe("account children: firewall rules, virtual network rules, trusted id providers", () => {
  const { client } = setup();
  const rg = uniqueName("rg-children-");
  const account = uniqueName("children");

  beforeAll(async () => {
    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
    await client.accounts.beginCreateAndWait(rg, account, { location: "eastus2" });
  });
  afterAll(async () => {
    await client.resourceGroups.beginDeleteAndWait(rg);
  });

  it("firewall rules: create, get, update, list, reflect in the account, delete", async () => {
    const rule = await client.firewallRules.createOrUpdate(rg, account, "office", {
      properties: { startIpAddress: "1.1.1.1", endIpAddress: "2.2.2.2" },
    });
    expect(rule).toMatchObject({
      name: "office",
      type: "Microsoft.DataLakeStore/accounts/firewallRules",
      properties: { startIpAddress: "1.1.1.1", endIpAddress: "2.2.2.2" },
    });
    expect(rule.id).toBe(
      `/subscriptions/${client.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.DataLakeStore/accounts/${account}/firewallRules/office`,
    );
    await client.firewallRules.createOrUpdate(rg, account, "home", {
      properties: { startIpAddress: "::1", endIpAddress: "::2" },
    });

    const updated = await client.firewallRules.update(rg, account, "office", {
      properties: { endIpAddress: "3.3.3.3" },
    });
    expect(updated.properties).toEqual({ startIpAddress: "1.1.1.1", endIpAddress: "3.3.3.3" });
    expect((await client.firewallRules.get(rg, account, "office")).properties.endIpAddress).toBe("3.3.3.3");

    const listed = await collect(client.firewallRules.listByAccount(rg, account));
    expect(listed.map((r) => r.name).sort()).toEqual(["home", "office"]);
    const embedded = (await client.accounts.get(rg, account)).properties.firewallRules ?? [];
    expect(embedded.map((r) => r.name).sort()).toEqual(["home", "office"]);

    await client.firewallRules.delete(rg, account, "office");
    await client.firewallRules.delete(rg, account, "office"); // 204: already gone
    const err = await client.firewallRules.get(rg, account, "office").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundError);
    expect(err).toMatchObject({ code: "NestedResourceNotFound", operation: "firewallRules.get" });
    await expect(client.firewallRules.update(rg, account, "office", {})).rejects.toMatchObject({
      code: "NestedResourceNotFound",
    });
    expect((await collect(client.firewallRules.listByAccount(rg, account))).map((r) => r.name)).toEqual([
      "home",
    ]);
  });

  it("virtual network rules: create, get, update, list, delete", async () => {
    const subnet = `/subscriptions/${client.subscriptionId}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default`;
    const rule = await client.virtualNetworkRules.createOrUpdate(rg, account, "vnet1", {
      properties: { subnetId: subnet },
    });
    expect(rule).toMatchObject({
      name: "vnet1",
      type: "Microsoft.DataLakeStore/accounts/virtualNetworkRules",
      properties: { subnetId: subnet },
    });
    expect((await client.virtualNetworkRules.get(rg, account, "vnet1")).properties.subnetId).toBe(subnet);
    const other = subnet.replace("default", "other");
    expect(
      (await client.virtualNetworkRules.update(rg, account, "vnet1", { properties: { subnetId: other } }))
        .properties.subnetId,
    ).toBe(other);
    expect((await collect(client.virtualNetworkRules.listByAccount(rg, account))).map((r) => r.name)).toEqual(
      ["vnet1"],
    );
    await client.virtualNetworkRules.delete(rg, account, "vnet1");
    await expect(client.virtualNetworkRules.get(rg, account, "vnet1")).rejects.toMatchObject({
      status: 404,
      code: "NestedResourceNotFound",
    });
  });

  it("trusted id providers: create, get, update, list, delete", async () => {
    const provider = await client.trustedIdProviders.createOrUpdate(rg, account, "contoso", {
      properties: { idProvider: "https://sts.windows.net/11111111-1111-1111-1111-111111111111" },
    });
    expect(provider).toMatchObject({
      name: "contoso",
      type: "Microsoft.DataLakeStore/accounts/trustedIdProviders",
    });
    const next = "https://sts.windows.net/22222222-2222-2222-2222-222222222222";
    expect(
      (await client.trustedIdProviders.update(rg, account, "contoso", { properties: { idProvider: next } }))
        .properties.idProvider,
    ).toBe(next);
    expect((await client.trustedIdProviders.get(rg, account, "contoso")).properties.idProvider).toBe(next);
    expect((await collect(client.trustedIdProviders.listByAccount(rg, account))).map((p) => p.name)).toEqual([
      "contoso",
    ]);
    await client.trustedIdProviders.delete(rg, account, "contoso");
    await expect(client.trustedIdProviders.get(rg, account, "contoso")).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
  });

  it("reports a missing account under a child call as ResourceNotFound", async () => {
    const err = await client.firewallRules.get(rg, uniqueName("gone"), "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundError);
    expect((err as ArmError).code).toBe("ResourceNotFound");
  });

  it("surfaces the service's own 400s as ArmError with ARM's code and target", async () => {
    const short = await client.firewallRules
      .createOrUpdate(rg, account, "ab", {
        properties: { startIpAddress: "1.1.1.1", endIpAddress: "1.1.1.2" },
      })
      .catch((e: unknown) => e);
    expect(short).toBeInstanceOf(ArmError);
    expect(short).toMatchObject({
      status: 400,
      code: "InvalidResourceName",
      operation: "firewallRules.createOrUpdate",
    });
    expect((short as ArmError).armMessage).toContain("'ab'");
    const subnet = await client.virtualNetworkRules
      .createOrUpdate(rg, account, "v1", { properties: { subnetId: "not-a-subnet" } })
      .catch((e: unknown) => e);
    expect(subnet).toMatchObject({ status: 400, code: "InvalidSubnetId" });
    const issuer = await client.trustedIdProviders
      .createOrUpdate(rg, account, "t1", { properties: { idProvider: "not a url" } })
      .catch((e: unknown) => e);
    expect(issuer).toMatchObject({ status: 400, code: "InvalidIdProvider" });
    expect((issuer as ArmError).isRetryable).toBe(false);
  });

  it("validates child names and properties before any network call", async () => {
    const { client: fresh, credential } = setup();
    await expect(
      fresh.firewallRules.createOrUpdate(rg, account, "r1", {
        properties: { startIpAddress: "1.1.1.1" },
      } as never),
    ).rejects.toThrow(/parameters\.properties\.endIpAddress must be an IPv4 or IPv6 address, got undefined/);
    await expect(fresh.firewallRules.createOrUpdate(rg, account, "r1", {} as never)).rejects.toThrow(
      /parameters\.properties must be an object/,
    );
    await expect(
      fresh.firewallRules.update(rg, account, "r1", { properties: { startIpAddress: "nope" } }),
    ).rejects.toThrow(/startIpAddress/);
    await expect(fresh.firewallRules.get(rg, account, "a/b")).rejects.toThrow(
      /name 'a\/b' is not a valid name/,
    );
    await expect(
      fresh.virtualNetworkRules.createOrUpdate(rg, account, "v", { properties: { subnetId: "" } }),
    ).rejects.toThrow(/subnetId must be a non-empty string/);
    await expect(
      fresh.trustedIdProviders.createOrUpdate(rg, account, "t", { properties: {} } as never),
    ).rejects.toThrow(/idProvider must be a non-empty string/);
    await expect(fresh.trustedIdProviders.delete(rg, "BAD", "t")).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(() => fresh.firewallRules.listByAccount("bad/rg", account)).toThrow(InvalidArgumentError);
    expect(credential.calls).toBe(0);
  });
});
