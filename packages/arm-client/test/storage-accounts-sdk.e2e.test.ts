import { Agent } from "node:https";
import { StorageManagementClient } from "@azure/arm-storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourceNotFoundError } from "../src/index.js";
import { collect, setup, uniqueName } from "./helpers.js";

/**
 * The official `@azure/arm-storage` (its own api-version, pipeline and poller) and this client on the same
 * emulator: what one creates, changes or deletes, the other sees. The SDK gets the same credential and trusts
 * the emulator's CA through an https agent, as a user would pass one.
 */
describe("storage accounts: this client and @azure/arm-storage see the same accounts", () => {
  const { client, fixture, credential } = setup();
  const sdk = new StorageManagementClient(credential, fixture.connection.subscriptionId, {
    endpoint: fixture.connection.url,
    agent: new Agent({ ca: fixture.caPem, keepAlive: true }),
  });
  const rg = uniqueName("rg-storage-sdk-");

  beforeAll(async () => {
    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
  });
  afterAll(async () => {
    await client.resourceGroups.beginDeleteAndWait(rg);
    await client.close();
  });

  it("the SDK reads, lists and keys what this client created, and sees its updates, regenerations and deletion", async () => {
    const name = uniqueName("ours");
    const created = await client.storageAccounts.beginCreateAndWait(rg, name, {
      location: "eastus2",
      kind: "StorageV2",
      sku: { name: "Standard_ZRS" },
      tags: { made: "adlkit" },
      properties: { isHnsEnabled: true, minimumTlsVersion: "TLS1_2" },
    });

    const seen = await sdk.storageAccounts.getProperties(rg, name);
    expect(seen).toMatchObject({
      id: created.id,
      name,
      kind: "StorageV2",
      sku: { name: "Standard_ZRS", tier: "Standard" },
      tags: { made: "adlkit" },
      isHnsEnabled: true,
      provisioningState: "Succeeded",
      minimumTlsVersion: "TLS1_2",
    });
    expect(seen.primaryEndpoints?.dfs).toBe(created.properties.primaryEndpoints?.dfs);
    expect(seen.primaryEndpoints?.blob).toBe(created.properties.primaryEndpoints?.blob);
    const listed: string[] = [];
    for await (const a of sdk.storageAccounts.listByResourceGroup(rg)) listed.push(a.name ?? "");
    expect(listed).toContain(name);

    const ours = await client.storageAccounts.listKeys(rg, name);
    const theirs = await sdk.storageAccounts.listKeys(rg, name);
    expect(theirs.keys?.map((k) => [k.keyName, k.value])).toEqual(ours.keys.map((k) => [k.keyName, k.value]));

    await client.storageAccounts.regenerateKey(rg, name, "key2");
    const afterRegen = await sdk.storageAccounts.listKeys(rg, name);
    expect(afterRegen.keys?.[0]?.value).toBe(ours.keys[0]?.value);
    expect(afterRegen.keys?.[1]?.value).not.toBe(ours.keys[1]?.value);

    await client.storageAccounts.update(rg, name, { tags: { made: "adlkit", step: "2" } });
    expect((await sdk.storageAccounts.getProperties(rg, name)).tags).toEqual({ made: "adlkit", step: "2" });

    const sdkCheck = await sdk.storageAccounts.checkNameAvailability({
      name,
      type: "Microsoft.Storage/storageAccounts",
    });
    expect(sdkCheck).toMatchObject({ nameAvailable: false, reason: "AlreadyExists" });

    await client.storageAccounts.delete(rg, name);
    await expect(sdk.storageAccounts.getProperties(rg, name)).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceNotFound",
    });
  });

  it("this client reads, lists and keys what the SDK created, and sees its updates, regenerations and deletion", async () => {
    const name = uniqueName("theirs");
    const created = await sdk.storageAccounts.create(rg, name, {
      location: "eastus2",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      tags: { made: "azure-sdk" },
      isHnsEnabled: true,
    });

    const seen = await client.storageAccounts.get(rg, name);
    expect(seen).toMatchObject({
      id: created.id,
      name,
      kind: "StorageV2",
      sku: { name: "Standard_LRS", tier: "Standard" },
      tags: { made: "azure-sdk" },
      properties: {
        isHnsEnabled: true,
        provisioningState: "Succeeded",
        primaryEndpoints: { dfs: created.primaryEndpoints?.dfs, blob: created.primaryEndpoints?.blob },
      },
    });
    expect((await collect(client.storageAccounts.listByResourceGroup(rg))).map((a) => a.name)).toContain(
      name,
    );
    expect((await collect(client.storageAccounts.list())).map((a) => a.name)).toContain(name);

    const theirs = await sdk.storageAccounts.listKeys(rg, name);
    const ours = await client.storageAccounts.listKeys(rg, name);
    expect(ours.keys.map((k) => [k.keyName, k.value])).toEqual(theirs.keys?.map((k) => [k.keyName, k.value]));

    await sdk.storageAccounts.regenerateKey(rg, name, { keyName: "key1" });
    const afterRegen = await client.storageAccounts.listKeys(rg, name);
    expect(afterRegen.keys[0]?.value).not.toBe(ours.keys[0]?.value);
    expect(afterRegen.keys[1]?.value).toBe(ours.keys[1]?.value);

    await sdk.storageAccounts.update(rg, name, { tags: { made: "azure-sdk", step: "2" } });
    expect((await client.storageAccounts.get(rg, name)).tags).toEqual({ made: "azure-sdk", step: "2" });

    await sdk.storageAccounts.delete(rg, name);
    const gone = await client.storageAccounts.get(rg, name).catch((e: unknown) => e);
    expect(ResourceNotFoundError.isInstance(gone)).toBe(true);
    expect((await client.storageAccounts.checkNameAvailability(name)).nameAvailable).toBe(true);
  });
});
