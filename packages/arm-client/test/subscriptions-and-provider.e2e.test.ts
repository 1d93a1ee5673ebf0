import { describe, expect, it } from "vitest";
import { collect, setup } from "./helpers.js";

describe("subscriptions, locations and provider operations", () => {
  const { client, fixture } = setup();
  const { connection } = fixture;

  it("gets the client's subscription and lists the visible ones", async () => {
    const sub = await client.subscriptions.get();
    expect(sub).toMatchObject({
      id: `/subscriptions/${connection.subscriptionId}`,
      subscriptionId: connection.subscriptionId,
      tenantId: connection.tenantId,
      state: "Enabled",
    });
    const all = await collect(client.subscriptions.list());
    expect(all.map((s) => s.subscriptionId)).toContain(connection.subscriptionId);
  });

  it("reads the capability and usage of a region, also given as a display name", async () => {
    const capability = await client.locations.getCapability("East US 2");
    expect(capability).toMatchObject({
      subscriptionId: connection.subscriptionId,
      state: "Registered",
      migrationState: false,
    });
    expect(capability?.maxAccountCount).toBeGreaterThan(0);
    const usage = await client.locations.getUsage("eastus2");
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({ unit: "Count", name: { value: "DataLakeStoreAccounts" } });
    expect(usage[0]?.currentValue).toBeGreaterThanOrEqual(0);
  });

  it("lists the provider's operations", async () => {
    const operations = await collect(client.operations.list());
    const names = operations.map((o) => o.name);
    expect(names).toContain("Microsoft.DataLakeStore/accounts/read");
    expect(names).toContain("Microsoft.DataLakeStore/accounts/firewallRules/write");
    expect(operations[0]?.display?.provider).toBeTruthy();
  });
});
