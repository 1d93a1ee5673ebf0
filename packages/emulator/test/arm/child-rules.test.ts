import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmFixture, accountName, armError, startArmFixture } from "./arm-fixture.js";

const SUBNET =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default";
const IDP = "https://sts.windows.net/00000000-0000-0000-0000-000000000001";

describe("firewall rules, virtual network rules, trusted identity providers (items 74-79)", () => {
  let fx: ArmFixture;
  let account: string;
  const base = () => fx.accountPath("rules", account);

  beforeAll(async () => {
    fx = await startArmFixture({ arm: { pageSize: 100, lroPolls: 0, retryAfterSeconds: 1 } });
    await fx.createGroup("rules");
    account = accountName("rules");
    await fx.createAccount("rules", account);
  }, 60_000);
  afterAll(() => fx.close());

  it("creates a firewall rule with PUT → 200 and the child body (item 74)", async () => {
    const res = await fx.arm("PUT", `${base()}/firewallRules/Office-Range`, {
      body: { properties: { startIpAddress: "1.1.1.1", endIpAddress: "2.2.2.2" } },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      properties: { startIpAddress: "1.1.1.1", endIpAddress: "2.2.2.2" },
      id: `/subscriptions/${fx.sub}/resourceGroups/rules/providers/Microsoft.DataLakeStore/accounts/${account}/firewallRules/Office-Range`,
      name: "Office-Range",
      type: "Microsoft.DataLakeStore/accounts/firewallRules",
    });
    const replaced = await fx.arm("PUT", `${base()}/FIREWALLRULES/office-range`, {
      body: { properties: { startIpAddress: "1.1.1.1", endIpAddress: "1.1.1.9" } },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json()).toMatchObject({ name: "Office-Range", properties: { endIpAddress: "1.1.1.9" } });
  });

  it("refuses bodies without properties or addresses, bad addresses and reversed ranges with 400 (item 74)", async () => {
    const cases: Array<[unknown, string]> = [
      [{}, "no properties"],
      [{ properties: { startIpAddress: "1.1.1.1" } }, "no end address"],
      [{ properties: { startIpAddress: "1.1.1.300", endIpAddress: "1.1.1.1" } }, "not an address"],
      [{ properties: { startIpAddress: "10.0.0.9", endIpAddress: "10.0.0.1" } }, "start after end"],
      [{ properties: { startIpAddress: "10.0.0.1", endIpAddress: "::1" } }, "mixed families"],
    ];
    for (const [body, why] of cases) {
      const res = await fx.arm("PUT", `${base()}/firewallRules/badrule`, { body });
      expect(res.status, why).toBe(400);
      armError(res);
    }
    const badName = await fx.arm("PUT", `${base()}/firewallRules/a!`, {
      body: { properties: { startIpAddress: "1.1.1.1", endIpAddress: "1.1.1.1" } },
    });
    expect(badName.status).toBe(400);
    expect((await fx.arm("GET", `${base()}/firewallRules/badrule`)).status).toBe(404);
  });

  it("accepts an IPv6 range", async () => {
    const res = await fx.arm("PUT", `${base()}/firewallRules/v6range`, {
      body: { properties: { startIpAddress: "2001:db8::1", endIpAddress: "2001:db8::ff" } },
    });
    expect(res.status).toBe(200);
    await fx.arm("DELETE", `${base()}/firewallRules/v6range`);
  });

  it("serves virtual network rules: subnetId, own type, state Active on later reads (item 75)", async () => {
    const put = await fx.arm("PUT", `${base()}/virtualNetworkRules/vnetrule1`, {
      body: { properties: { subnetId: SUBNET } },
    });
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({
      name: "vnetrule1",
      type: "Microsoft.DataLakeStore/accounts/virtualNetworkRules",
      properties: { subnetId: SUBNET },
    });
    expect(put.json().properties.state).toBeUndefined();
    const get = (await fx.arm("GET", `${base()}/virtualNetworkRules/vnetrule1`)).json();
    expect(get.properties).toEqual({ subnetId: SUBNET, state: "Active" });
    const bad = await fx.arm("PUT", `${base()}/virtualNetworkRules/vnetrule2`, {
      body: { properties: { subnetId: "not-a-subnet" } },
    });
    expect(bad.status).toBe(400);
  });

  it("serves trusted identity providers: idProvider, own type (item 75)", async () => {
    const put = await fx.arm("PUT", `${base()}/trustedIdProviders/home`, {
      body: { properties: { idProvider: IDP } },
    });
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({
      name: "home",
      type: "Microsoft.DataLakeStore/accounts/trustedIdProviders",
      properties: { idProvider: IDP },
    });
    expect(
      (
        await fx.arm("PUT", `${base()}/trustedIdProviders/bad`, {
          body: { properties: { idProvider: "no url" } },
        })
      ).status,
    ).toBe(400);
    expect((await fx.arm("PUT", `${base()}/trustedIdProviders/bad`, { body: {} })).status).toBe(400);
  });

  it("answers a missing child on GET and PATCH with NestedResourceNotFound (item 76)", async () => {
    for (const kind of ["firewallRules", "virtualNetworkRules", "trustedIdProviders"]) {
      const get = await fx.arm("GET", `${base()}/${kind}/missing`);
      expect(get.status).toBe(404);
      expect(get.json()).toEqual({
        error: { code: "NestedResourceNotFound", message: "Nested resource does not exist." },
      });
      const patch = await fx.arm("PATCH", `${base()}/${kind}/missing`, { body: { properties: {} } });
      expect(patch.status).toBe(404);
      expect(armError(patch).code).toBe("NestedResourceNotFound");
    }
  });

  it("updates a rule with PATCH, merging the properties given", async () => {
    await fx.arm("PUT", `${base()}/firewallRules/patched`, {
      body: { properties: { startIpAddress: "5.5.5.1", endIpAddress: "5.5.5.5" } },
    });
    const res = await fx.arm("PATCH", `${base()}/firewallRules/patched`, {
      body: { properties: { endIpAddress: "5.5.5.9" } },
    });
    expect(res.status).toBe(200);
    expect(res.json().properties).toEqual({ startIpAddress: "5.5.5.1", endIpAddress: "5.5.5.9" });
    const reversed = await fx.arm("PATCH", `${base()}/firewallRules/patched`, {
      body: { properties: { startIpAddress: "5.5.6.0" } },
    });
    expect(reversed.status).toBe(400);
    const noBody = await fx.arm("PATCH", `${base()}/firewallRules/patched`);
    expect(noBody.status).toBe(200);
  });

  it("deletes a child with 200 when it existed and 204 when not, without a body (item 77)", async () => {
    await fx.arm("PUT", `${base()}/firewallRules/doomed`, {
      body: { properties: { startIpAddress: "9.9.9.9", endIpAddress: "9.9.9.9" } },
    });
    const first = await fx.arm("DELETE", `${base()}/firewallRules/doomed`);
    expect(first.status).toBe(200);
    expect(first.body.length).toBe(0);
    expect(Number(first.headers["x-ms-ratelimit-remaining-subscription-deletes"])).toBeGreaterThan(0);
    const second = await fx.arm("DELETE", `${base()}/firewallRules/doomed`);
    expect(second.status).toBe(204);
    expect((await fx.arm("GET", `${base()}/firewallRules/doomed`)).status).toBe(404);
  });

  it("lists children as {value: [...]} and pages them with $top (item 78)", async () => {
    for (const n of ["list-a", "list-b", "list-c"]) {
      await fx.arm("PUT", `${base()}/trustedIdProviders/${n}`, {
        body: { properties: { idProvider: `${IDP}/${n}` } },
      });
    }
    const all = (await fx.arm("GET", `${base()}/trustedIdProviders`)).json();
    expect(all.nextLink).toBeUndefined();
    expect(all.value.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(["list-a", "list-b", "list-c"]),
    );
    for (const r of all.value) expect(r.type).toBe("Microsoft.DataLakeStore/accounts/trustedIdProviders");
    const first = (await fx.arm("GET", `${base()}/trustedIdProviders?$top=2`)).json();
    expect(first.value.length).toBe(2);
    const rest = (await fx.arm("GET", first.nextLink)).json();
    expect([...first.value, ...rest.value].map((r: { name: string }) => r.name)).toEqual(
      all.value.map((r: { name: string }) => r.name),
    );
  });

  it("reflects child changes in the account GET and bumps lastModifiedTime (item 79)", async () => {
    const before = (await fx.arm("GET", base())).json();
    await sleep(5);
    await fx.arm("PUT", `${base()}/firewallRules/embedded`, {
      body: { properties: { startIpAddress: "7.7.7.7", endIpAddress: "7.7.7.8" } },
    });
    const after = (await fx.arm("GET", base())).json();
    expect(after.properties.lastModifiedTime > before.properties.lastModifiedTime).toBe(true);
    expect(after.properties.firewallRules.map((r: { name: string }) => r.name)).toContain("embedded");
    expect(after.properties.virtualNetworkRules).toEqual([
      expect.objectContaining({ name: "vnetrule1", properties: { subnetId: SUBNET, state: "Active" } }),
    ]);
    await fx.arm("DELETE", `${base()}/firewallRules/embedded`);
    const gone = (await fx.arm("GET", base())).json();
    expect(gone.properties.firewallRules.map((r: { name: string }) => r.name)).not.toContain("embedded");
  });

  it("answers child calls on a missing account with ResourceNotFound (item 79)", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await fx.arm(method, `${fx.accountPath("rules", "noaccounthere")}/firewallRules/r1`, {
        ...(method === "PUT"
          ? { body: { properties: { startIpAddress: "1.1.1.1", endIpAddress: "1.1.1.1" } } }
          : {}),
      });
      expect(res.status, method).toBe(404);
      expect(armError(res).code).toBe("ResourceNotFound");
    }
    expect(
      armError(await fx.arm("GET", `${fx.accountPath("rules", "noaccounthere")}/virtualNetworkRules`)).code,
    ).toBe("ResourceNotFound");
  });

  it("takes rule sets in the create body and drops them with the account", async () => {
    const name = accountName("withrules");
    const created = await fx.createAccount("rules", name, {
      location: "eastus2",
      properties: {
        firewallState: "Enabled",
        firewallRules: [
          { name: "rule1", properties: { startIpAddress: "3.3.3.3", endIpAddress: "3.3.3.4" } },
        ],
        virtualNetworkRules: [{ name: "v1", properties: { subnetId: SUBNET } }],
      },
    });
    expect(created.properties.firewallRules.map((r: { name: string }) => r.name)).toEqual(["rule1"]);
    expect(created.properties.virtualNetworkRules.map((r: { name: string }) => r.name)).toEqual(["v1"]);
    const dup = await fx.arm("PUT", fx.accountPath("rules", accountName("dup")), {
      body: {
        location: "eastus2",
        properties: {
          firewallRules: [
            { name: "dup-x", properties: { startIpAddress: "1.1.1.1", endIpAddress: "1.1.1.1" } },
            { name: "DUP-X", properties: { startIpAddress: "1.1.1.1", endIpAddress: "1.1.1.1" } },
          ],
        },
      },
    });
    expect(dup.status).toBe(400);
    await fx.arm("DELETE", fx.accountPath("rules", name));
    await fx.createAccount("rules", name);
    expect((await fx.arm("GET", `${fx.accountPath("rules", name)}/firewallRules`)).json()).toEqual({
      value: [],
    });
  });
});
