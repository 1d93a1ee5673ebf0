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

  for await (const a of arm.accounts.listByResourceGroup(group)) logged.push(a.name);

  await arm.resourceGroups.beginDeleteAndWait(group);
  // ---

  expect(logged[0]).toContain(accountName);
  expect(logged.slice(1)).toEqual([accountName]);
  expect(await arm.resourceGroups.exists(group)).toBe(false);
  await arm.close();
});
