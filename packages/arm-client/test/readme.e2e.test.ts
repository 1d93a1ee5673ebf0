import { ClientSecretCredential } from "@adlkit/auth";
import { emulatorCloud } from "@adlkit/core";
import { readFixture } from "@adlkit/testkit";
import { expect, inject, it } from "vitest";
import { createArmClient } from "../src/index.js";
import { uniqueName } from "./helpers.js";

it("runs the README quick start against the emulator", async () => {
  const { connection, caPem } = readFixture(inject("emulatorConnectionFile"));
  const cloud = emulatorCloud({ ...connection, caPem });
  const { tenantId, clientId, clientSecret, subscriptionId } = connection;
  const group = uniqueName("rg-readme-");
  const accountName = uniqueName("readme");
  const gen2Name = uniqueName("readmegen");
  const logged: string[] = [];

  // --- quick start, with the emulator's cloud instead of publicCloud ---
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { cloud });
  const arm = createArmClient({ credential, subscriptionId, cloud });

  await arm.resourceGroups.createOrUpdate(group, { location: "eastus2" });
  const account = await arm.accounts.beginCreateAndWait(group, accountName, {
    location: "eastus2",
    tags: { env: "dev" },
  });
  logged.push(String(account.properties.endpoint));

  const gen2 = await arm.storageAccounts.beginCreateAndWait(group, gen2Name, {
    location: "eastus2",
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    properties: { isHnsEnabled: true },
  });
  const dfs = String(gen2.properties.primaryEndpoints?.dfs);
  const { keys } = await arm.storageAccounts.listKeys(group, gen2Name);
  const keyNames = keys.map((k) => k.keyName);

  for await (const a of arm.accounts.listByResourceGroup(group)) logged.push(a.name);

  await arm.resourceGroups.beginDeleteAndWait(group);
  // ---

  expect(logged[0]).toContain(accountName);
  expect(new URL(dfs).hostname).toBe(`${gen2Name}.dfs.localhost`);
  expect(keyNames).toEqual(["key1", "key2"]);
  expect(logged.slice(1)).toEqual([accountName]);
  expect(await arm.resourceGroups.exists(group)).toBe(false);
  await arm.close();
});
