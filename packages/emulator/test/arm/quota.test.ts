import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ACCOUNTS_PER_LOCATION } from "../../src/arm/catalog.js";
import { ArmStore } from "../../src/arm/store.js";
import { type ArmFixture, accountName, armError, startArmFixture } from "./arm-fixture.js";

describe("account quota per subscription and location", () => {
  let fx: ArmFixture;

  beforeAll(async () => {
    fx = await startArmFixture({ arm: { pageSize: 100, lroPolls: 0, retryAfterSeconds: 1 } });
    await fx.createGroup("quota");
    // Fill the location through a second connection to arm.db: faster than a few hundred creations.
    const store = new ArmStore(fx.emu.dataDir);
    try {
      store.transaction(() => {
        for (let i = 0; i < MAX_ACCOUNTS_PER_LOCATION; i++) {
          store.putAccount({
            key: `quota${i}`,
            name: `quota${i}`,
            subscription: fx.sub,
            groupKey: "quota",
            location: "northeurope",
            tags: {},
            identity: null,
            settings: {
              encryptionState: "Enabled",
              encryptionConfig: { type: "ServiceManaged" },
              firewallState: "Disabled",
              firewallAllowAzureIps: "Disabled",
              trustedIdProviderState: "Disabled",
              newTier: "Consumption",
              currentTier: "Consumption",
            },
            state: "Succeeded",
            accountId: randomUUID(),
            creator: randomUUID(),
            createdAt: null,
            modifiedAt: null,
          });
        }
      });
    } finally {
      store.close();
    }
  }, 60_000);
  afterAll(() => fx.close());

  it("reports the full location in capability and usages, and refuses one more account there with QuotaExceeded", async () => {
    const dls = `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore/locations`;
    const capability = (await fx.arm("GET", `${dls}/northeurope/capability`)).json();
    expect(capability).toMatchObject({
      maxAccountCount: MAX_ACCOUNTS_PER_LOCATION,
      accountCount: MAX_ACCOUNTS_PER_LOCATION,
    });
    expect((await fx.arm("GET", `${dls}/North%20Europe/usages`)).json().value[0]).toMatchObject({
      currentValue: MAX_ACCOUNTS_PER_LOCATION,
      limit: MAX_ACCOUNTS_PER_LOCATION,
    });
    const refused = await fx.arm("PUT", fx.accountPath("quota", accountName("over")), {
      body: { location: "North Europe" },
    });
    expect(refused.status).toBe(409);
    expect(armError(refused).code).toBe("QuotaExceeded");
    const elsewhere = await fx.arm("PUT", fx.accountPath("quota", accountName("other")), {
      body: { location: "westeurope" },
    });
    expect(elsewhere.status).toBe(201);
  });

  it("pages a long list with the default page size and serves every account exactly once", async () => {
    const seen: string[] = [];
    let next: string | undefined =
      `/subscriptions/${fx.sub}/resourceGroups/quota/providers/Microsoft.DataLakeStore/accounts`;
    let pages = 0;
    while (next) {
      const page: { value: Array<{ name: string }>; nextLink?: string } = (await fx.arm("GET", next)).json();
      seen.push(...page.value.map((a) => a.name));
      next = page.nextLink;
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(MAX_ACCOUNTS_PER_LOCATION + 1);
  });
});
