import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ArmFixture,
  accountName,
  armError,
  STORAGE_API,
  startArmFixture,
  storageBody,
} from "./arm-fixture.js";

const ISO_7 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;

/** Microsoft.Storage storage accounts through Resource Manager (docs/gen2-conformance.md, ARM section). */
describe("Microsoft.Storage storage accounts", () => {
  let fx: ArmFixture;
  let port: string;

  beforeAll(async () => {
    fx = await startArmFixture({ arm: { pageSize: 2, lroPolls: 1, retryAfterSeconds: 1 } });
    port = new URL(fx.emu.url).port;
    await fx.createGroup("sa");
    await fx.createGroup("other");
  }, 60_000);
  afterAll(() => fx.close());

  it("creates an account as a long-running operation: 202, Location and Azure-AsyncOperation, Retry-After: 1", async () => {
    const name = accountName("lro");
    const res = await fx.arm("PUT", fx.storagePath("sa", name), {
      body: storageBody({ tags: { env: "test" } }),
    });
    expect(res.status).toBe(202);
    expect(res.text).toBe("");
    expect(res.headers["retry-after"]).toBe("1");
    const status = String(res.headers["azure-asyncoperation"]);
    const location = String(res.headers.location);
    const operation = new RegExp(
      `^${fx.emu.url}/subscriptions/${fx.sub}/providers/Microsoft\\.Storage/locations/eastus/asyncoperations/([0-9a-f-]{36})\\?api-version=${STORAGE_API}`,
    );
    expect(status).toMatch(new RegExp(`${operation.source}$`));
    expect(location).toMatch(new RegExp(`${operation.source}&monitor=true$`));

    // The status document: InProgress (with Retry-After) for the configured poll, then Succeeded.
    const first = await fx.arm("GET", status);
    expect(first.status).toBe(200);
    expect(first.json()).toMatchObject({ status: "InProgress", name: operation.exec(status)![1] });
    expect(first.headers["retry-after"]).toBe("1");
    const second = await fx.arm("GET", status);
    expect(second.json()).toMatchObject({ status: "Succeeded" });
    expect(second.json().endTime).toBeDefined();

    // The Location URL, once done: 200 with the account, as the synchronous call would have answered.
    const done = await fx.arm("GET", location);
    expect(done.status).toBe(200);
    const account = done.json();
    expect(account).toMatchObject({
      id: `/subscriptions/${fx.sub}/resourceGroups/sa/providers/Microsoft.Storage/storageAccounts/${name}`,
      name,
      type: "Microsoft.Storage/storageAccounts",
      location: "eastus",
      kind: "StorageV2",
      sku: { name: "Standard_LRS", tier: "Standard" },
      tags: { env: "test" },
      properties: {
        provisioningState: "Succeeded",
        isHnsEnabled: true,
        primaryLocation: "eastus",
        statusOfPrimary: "available",
        supportsHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        accessTier: "Hot",
        networkAcls: { defaultAction: "Allow", bypass: "AzureServices", ipRules: [] },
        encryption: { keySource: "Microsoft.Storage" },
        primaryEndpoints: {
          dfs: `https://${name}.dfs.localhost:${port}/`,
          blob: `https://${name}.blob.localhost:${port}/`,
        },
      },
    });
    expect(account.properties.creationTime).toMatch(ISO_7);
    expect(account.properties.keyCreationTime.key1).toMatch(ISO_7);
    expect(JSON.stringify(account)).not.toMatch(/"keys"|"value"/);
  });

  it("polls the Location URL: 202 with Location and Retry-After while running, then 200 with the account", async () => {
    const name = accountName("mon");
    const res = await fx.arm("PUT", fx.storagePath("sa", name), { body: storageBody() });
    // A client retrying its create (the first answer lost) gets the same operation; another body is refused.
    const retried = await fx.arm("PUT", fx.storagePath("sa", name), { body: storageBody() });
    expect(retried.status).toBe(202);
    expect(retried.headers.location).toBe(res.headers.location);
    const changed = await fx.arm("PUT", fx.storagePath("sa", name), {
      body: storageBody({ tags: { x: "y" } }),
    });
    expect(changed.status).toBe(409);
    expect(armError(changed).code).toBe("AnotherOperationInProgress");
    const running = await fx.arm("GET", String(res.headers.location));
    expect(running.status).toBe(202);
    expect(running.headers.location).toBe(res.headers.location);
    expect(running.headers["retry-after"]).toBe("1");
    // While it runs, the account reads as Creating, without endpoints.
    const creating = await fx.arm("GET", fx.storagePath("sa", name));
    expect(creating.status).toBe(200);
    expect(creating.json().properties.provisioningState).toMatch(/Creating|Succeeded/);
    const done = await fx.arm("GET", String(res.headers.location));
    expect(done.status).toBe(200);
    expect(done.json().properties.provisioningState).toBe("Succeeded");
  });

  it("gets an account; a missing one is 404 ResourceNotFound, a missing group 404 ResourceGroupNotFound", async () => {
    const name = accountName("get");
    await fx.createStorageAccount("sa", name);
    const got = await fx.arm("GET", `${fx.storagePath("SA", name.toUpperCase())}`);
    expect(got.status).toBe(200);
    expect(got.json().name).toBe(name);
    expect((await fx.arm("GET", `${fx.storagePath("sa", name)}?$expand=geoReplicationStats`)).status).toBe(
      200,
    );

    const missing = await fx.arm("GET", fx.storagePath("sa", "nosuchaccount1"));
    expect(missing.status).toBe(404);
    expect(armError(missing)).toMatchObject({
      code: "ResourceNotFound",
      message: expect.stringContaining(
        "'Microsoft.Storage/storageAccounts/nosuchaccount1' under resource group 'sa'",
      ),
    });
    // The account exists, but not in this group.
    expect(armError(await fx.arm("GET", fx.storagePath("other", name))).code).toBe("ResourceNotFound");
    const noGroup = await fx.arm("PUT", fx.storagePath("nogroup", accountName()), { body: storageBody() });
    expect(noGroup.status).toBe(404);
    expect(armError(noGroup).code).toBe("ResourceGroupNotFound");
    expect(armError(await fx.arm("GET", fx.storagePath("nogroup", name))).code).toBe("ResourceGroupNotFound");
  });

  it("lists accounts by resource group and by subscription, paged with nextLink", async () => {
    await fx.createGroup("listing");
    const names = [accountName("l1"), accountName("l2"), accountName("l3")].sort();
    for (const name of names) await fx.createStorageAccount("listing", name);
    const seen: string[] = [];
    let url: string | undefined =
      `/subscriptions/${fx.sub}/resourceGroups/listing/providers/Microsoft.Storage/storageAccounts`;
    let pages = 0;
    while (url) {
      const page = await fx.arm("GET", url);
      expect(page.status).toBe(200);
      const body = page.json();
      expect(body.value.length).toBeLessThanOrEqual(2);
      for (const account of body.value) {
        expect(account.properties.provisioningState).toBe("Succeeded");
        seen.push(account.name);
      }
      url = body.nextLink;
      if (url) expect(url).toMatch(new RegExp(`^${fx.emu.url}/.*api-version=${STORAGE_API}.*%24skipToken=`));
      pages++;
    }
    expect(seen).toEqual(names);
    expect(pages).toBe(2);

    const all: string[] = [];
    let next: string | undefined = `/subscriptions/${fx.sub}/providers/Microsoft.Storage/storageAccounts`;
    while (next) {
      const body: { value: Array<{ name: string }>; nextLink?: string } = (await fx.arm("GET", next)).json();
      all.push(...body.value.map((a: { name: string }) => a.name));
      next = body.nextLink;
    }
    expect(all).toEqual(expect.arrayContaining(names));
    const empty = await fx.arm(
      "GET",
      `/subscriptions/${fx.sub}/resourceGroups/other/providers/Microsoft.Storage/storageAccounts`,
    );
    expect(empty.json()).toEqual({ value: [] });
  });

  it("updates tags and mutable properties with PATCH; isHnsEnabled, kind and the sku tier cannot change", async () => {
    const name = accountName("upd");
    await fx.createStorageAccount("sa", name, storageBody({ tags: { a: "1" } }));
    const path = fx.storagePath("sa", name);
    const patched = await fx.arm("PATCH", path, {
      body: {
        tags: { b: "2" },
        sku: { name: "Standard_GRS" },
        properties: { accessTier: "Cool", allowSharedKeyAccess: false, minimumTlsVersion: "TLS1_2" },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({
      tags: { b: "2" },
      sku: { name: "Standard_GRS", tier: "Standard" },
      properties: {
        accessTier: "Cool",
        allowSharedKeyAccess: false,
        isHnsEnabled: true,
        supportsHttpsTrafficOnly: true,
      },
    });
    expect((await fx.arm("GET", path)).json().tags).toEqual({ b: "2" });

    for (const [body, property] of [
      [{ properties: { isHnsEnabled: false } }, "isHnsEnabled"],
      [{ sku: { name: "Premium_LRS" } }, "sku.name"],
      [{ kind: "BlockBlobStorage" }, "kind"],
    ] as const) {
      const refused = await fx.arm("PATCH", path, { body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(armError(refused)).toMatchObject({ code: "InvalidRequestPropertyValue", target: property });
    }
    const badTier = await fx.arm("PATCH", path, { body: { properties: { accessTier: "Lukewarm" } } });
    expect(badTier.status).toBe(400);
    expect(armError(badTier).target).toBe("properties.accessTier");
    expect((await fx.arm("PATCH", path, { body: { location: "westus" } })).status).toBe(400);
    expect(armError(await fx.arm("PATCH", fx.storagePath("sa", "nosuchaccount2"), { body: {} })).code).toBe(
      "ResourceNotFound",
    );
    // Nothing of the refused updates stuck.
    expect((await fx.arm("GET", path)).json().properties).toMatchObject({
      isHnsEnabled: true,
      accessTier: "Cool",
    });
  });

  it("answers a re-PUT with identical properties 200 and changes nothing; a changed one updates the account", async () => {
    const name = accountName("put");
    const body = storageBody({ tags: { t: "1" }, properties: { allowSharedKeyAccess: true } });
    const created = await fx.createStorageAccount("sa", name, body);
    const again = await fx.arm("PUT", fx.storagePath("sa", name), { body });
    expect(again.status).toBe(200);
    expect(again.json()).toEqual(created);
    const changed = await fx.arm("PUT", fx.storagePath("sa", name), { body: { ...body, tags: { t: "2" } } });
    expect(changed.status).toBe(200);
    expect(changed.json().tags).toEqual({ t: "2" });
    const moved = await fx.arm("PUT", fx.storagePath("sa", name), {
      body: { ...body, location: "westeurope" },
    });
    expect(moved.status).toBe(409);
    expect(armError(moved).code).toBe("InvalidResourceLocation");
  });

  it("stores and echoes properties it does not model, and ignores the ones the service computes", async () => {
    const name = accountName("echo");
    const account = await fx.createStorageAccount(
      "sa",
      name,
      storageBody({
        zones: ["1"],
        placement: { zonePlacementPolicy: "Any" },
        properties: {
          isSftpEnabled: true,
          futureFeature: { level: 3, modes: ["a", "b"] },
          sasPolicy: { sasExpirationPeriod: "1.00:00:00", expirationAction: "Log" },
          provisioningState: "Failed",
          primaryEndpoints: { dfs: "https://evil.example/" },
        },
      }),
    );
    expect(account).toMatchObject({ zones: ["1"], placement: { zonePlacementPolicy: "Any" } });
    expect(account.properties).toMatchObject({
      isSftpEnabled: true,
      futureFeature: { level: 3, modes: ["a", "b"] },
      sasPolicy: { sasExpirationPeriod: "1.00:00:00", expirationAction: "Log" },
      provisioningState: "Succeeded",
    });
    expect(account.properties.primaryEndpoints.dfs).toBe(`https://${name}.dfs.localhost:${port}/`);
    const patched = await fx.arm("PATCH", fx.storagePath("sa", name), {
      body: { properties: { futureFeature: "x" } },
    });
    expect(patched.json().properties).toMatchObject({ futureFeature: "x", isSftpEnabled: true });
    const huge = await fx.arm("PATCH", fx.storagePath("sa", name), {
      body: { properties: { blob: "x".repeat(70 * 1024) } },
    });
    expect(huge.status).toBe(400);
    expect(armError(huge).message).toContain("64 KiB");
  });

  it("deletes an account: 200, then 204 for a missing one; the name is free again", async () => {
    const name = accountName("del");
    await fx.createStorageAccount("sa", name);
    const deleted = await fx.arm("DELETE", fx.storagePath("sa", name));
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe("");
    expect((await fx.arm("GET", fx.storagePath("sa", name))).status).toBe(404);
    expect((await fx.arm("DELETE", fx.storagePath("sa", name))).status).toBe(204);
    await fx.createStorageAccount("other", name);
  });

  it("refuses invalid names (400 AccountNameInvalid) before anything else", async () => {
    for (const bad of ["ab", "UpperCase1", "has-dash", "a".repeat(25), "under_score"]) {
      const res = await fx.arm("PUT", fx.storagePath("sa", bad), { body: storageBody() });
      expect(res.status, bad).toBe(400);
      expect(armError(res)).toMatchObject({
        code: "AccountNameInvalid",
        message: `${bad} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`,
      });
    }
  });

  it("refuses a name taken in the same subscription (409 StorageAccountAlreadyExists)", async () => {
    const name = accountName("dup");
    await fx.createStorageAccount("sa", name);
    const res = await fx.arm("PUT", fx.storagePath("other", name), { body: storageBody() });
    expect(res.status).toBe(409);
    expect(armError(res)).toMatchObject({ code: "StorageAccountAlreadyExists", target: name });
  });

  it("refuses accounts without a hierarchical namespace, and kinds and skus that cannot have one", async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [storageBody({ properties: { isHnsEnabled: false } }), "isHnsEnabled", "Azurite"],
      [{ ...storageBody(), properties: {} }, "isHnsEnabled", 'isHnsEnabled": true'],
      [storageBody({ kind: "Storage" }), "isHnsEnabled", "StorageV2"],
      [storageBody({ kind: "BlobStorage" }), "isHnsEnabled", "StorageV2"],
      [storageBody({ sku: { name: "Premium_LRS" } }), "isHnsEnabled", "BlockBlobStorage"],
      [storageBody({ kind: "BlockBlobStorage" }), "isHnsEnabled", "Premium"],
    ];
    for (const [body, target, hint] of cases) {
      const res = await fx.arm("PUT", fx.storagePath("sa", accountName("flat")), { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = armError(res);
      expect(error).toMatchObject({ code: "InvalidRequestPropertyValue", target });
      expect(error.message).toContain(hint);
    }
    const premium = await fx.createStorageAccount(
      "sa",
      accountName("prem"),
      storageBody({ kind: "BlockBlobStorage", sku: { name: "Premium_LRS" } }),
    );
    expect(premium).toMatchObject({ kind: "BlockBlobStorage", sku: { tier: "Premium" } });
    for (const body of [
      { ...storageBody(), sku: undefined },
      { ...storageBody(), kind: undefined },
      { ...storageBody(), location: undefined },
      storageBody({ sku: { name: "Standard_XYZ" } }),
      storageBody({ properties: { supportsHttpsTrafficOnly: "yes" } }),
      "not json",
    ]) {
      const res = await fx.arm("PUT", fx.storagePath("sa", accountName("bad")), { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      armError(res);
    }
  });
});
