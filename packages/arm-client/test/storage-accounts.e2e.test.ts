import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArmError,
  ConflictError,
  type CreateStorageAccountParameters,
  InvalidArgumentError,
  type OperationState,
  ResourceNotFoundError,
  type StorageAccount,
  StorageAccountKey,
} from "../src/index.js";
import { collect, setup, uniqueName } from "./helpers.js";

/** A Data Lake Storage Gen2 account: general-purpose v2, standard, hierarchical namespace on. */
const gen2 = (extra: Partial<CreateStorageAccountParameters> = {}): CreateStorageAccountParameters => ({
  location: "eastus2",
  kind: "StorageV2",
  sku: { name: "Standard_LRS" },
  properties: { isHnsEnabled: true },
  ...extra,
});

describe("Microsoft.Storage storage accounts", () => {
  // Every log line of this client, verbose included: keys must never show up in one.
  const logLines: string[] = [];
  const log = (line: string) => logLines.push(line);
  const { client, makeClient, credential } = setup({
    logger: { error: log, warning: log, info: log, verbose: log },
  });
  const rg = uniqueName("rg-storage-");

  beforeAll(async () => {
    await client.resourceGroups.createOrUpdate(rg, { location: "eastus2" });
  });
  afterAll(async () => {
    await client.resourceGroups.beginDeleteAndWait(rg);
    await client.close();
  });

  it("goes through a Gen2 account's life: name check, create (poller), get, list, update, delete", async () => {
    const name = uniqueName("life");
    expect(await client.storageAccounts.checkNameAvailability(name)).toEqual({ nameAvailable: true });

    const poller = client.storageAccounts.beginCreate(rg, name, gen2({ tags: { env: "dev" } }));
    const seen: Array<OperationState<StorageAccount>> = [];
    poller.onProgress((state) => seen.push(state));
    await poller.submitted();
    expect(poller.operationState).toMatchObject({
      status: "running",
      mode: "OperationLocation",
      pollCount: 0,
    });
    // While it is created, the account exists without endpoints.
    const creating = await client.storageAccounts.get(rg, name);
    expect(creating.properties.provisioningState).toBe("Creating");
    expect(creating.properties.primaryEndpoints).toBeUndefined();

    const account = await poller;
    expect(account).toMatchObject({
      id: `/subscriptions/${client.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`,
      name,
      type: "Microsoft.Storage/storageAccounts",
      location: "eastus2",
      kind: "StorageV2",
      sku: { name: "Standard_LRS", tier: "Standard" },
      tags: { env: "dev" },
      properties: { provisioningState: "Succeeded", isHnsEnabled: true },
    });
    const { dfs, blob } = account.properties.primaryEndpoints ?? {};
    expect(new URL(dfs ?? "").hostname).toBe(`${name}.dfs.localhost`);
    expect(new URL(blob ?? "").hostname).toBe(`${name}.blob.localhost`);
    expect(dfs).toMatch(/^https:\/\/.*\/$/);
    expect(seen.at(-1)).toMatchObject({ status: "succeeded", result: account });
    expect(poller.operationState.pollCount).toBeGreaterThanOrEqual(1);

    expect(await client.storageAccounts.checkNameAvailability(name)).toMatchObject({
      nameAvailable: false,
      reason: "AlreadyExists",
    });
    expect(await client.storageAccounts.get(rg, name)).toEqual(account);
    expect((await collect(client.storageAccounts.listByResourceGroup(rg))).map((a) => a.name)).toContain(
      name,
    );
    const inSubscription = await collect(client.storageAccounts.list());
    expect(inSubscription.find((a) => a.name === name)).toMatchObject({ id: account.id, kind: "StorageV2" });

    const updated = await client.storageAccounts.update(rg, name, {
      tags: { env: "prod", team: "data" },
      properties: { minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false },
    });
    expect(updated.tags).toEqual({ env: "prod", team: "data" });
    expect(updated.properties.isHnsEnabled).toBe(true);
    // Tags replace the whole map: an update without the old tag drops it.
    expect((await client.storageAccounts.update(rg, name, { tags: { team: "data" } })).tags).toEqual({
      team: "data",
    });

    await expect(client.storageAccounts.delete(rg, name)).resolves.toBeUndefined();
    const gone = await client.storageAccounts.get(rg, name).catch((e: unknown) => e);
    expect(ResourceNotFoundError.isInstance(gone)).toBe(true);
    expect(gone).toMatchObject({ status: 404, code: "ResourceNotFound", operation: "storageAccounts.get" });
    // Deleting what is not there succeeds (204), as in Azure; and the name is free again.
    await expect(client.storageAccounts.delete(rg, name)).resolves.toBeUndefined();
    expect((await client.storageAccounts.checkNameAvailability(name)).nameAvailable).toBe(true);
  });

  it("lists keys and regenerates one: only that key changes, and no key is ever printed or logged", async () => {
    const name = uniqueName("keys");
    const before = await client.storageAccounts.beginCreateAndWait(rg, name, gen2());
    const { keys } = await client.storageAccounts.listKeys(rg, name);
    expect(keys.map((k) => [k.keyName, k.permissions])).toEqual([
      ["key1", "Full"],
      ["key2", "Full"],
    ]);
    for (const key of keys) {
      expect(key).toBeInstanceOf(StorageAccountKey);
      expect(Buffer.from(key.value, "base64")).toHaveLength(64);
    }
    expect(keys[0]?.value).not.toBe(keys[1]?.value);
    const again = await client.storageAccounts.listKeys(rg, name, { expand: "kerb" });
    expect(again.keys.map((k) => k.value)).toEqual(keys.map((k) => k.value));

    const regenerated = await client.storageAccounts.regenerateKey(rg, name, "key1");
    expect(regenerated.keys[0]?.value).not.toBe(keys[0]?.value);
    expect(regenerated.keys[1]?.value).toBe(keys[1]?.value);
    expect((await client.storageAccounts.listKeys(rg, name)).keys.map((k) => k.value)).toEqual(
      regenerated.keys.map((k) => k.value),
    );
    const after = await client.storageAccounts.get(rg, name);
    expect(after.properties.keyCreationTime?.key1).not.toBe(before.properties.keyCreationTime?.key1);
    expect(after.properties.keyCreationTime?.key2).toBe(before.properties.keyCreationTime?.key2);

    // Every way a key object (or the result holding it) gets printed or copied hides the value.
    const values = [...keys, ...regenerated.keys].map((k) => k.value);
    const key = regenerated.keys[0] as StorageAccountKey;
    const renderings = [
      inspect(regenerated, { depth: 5 }),
      inspect(key, { showHidden: true }),
      JSON.stringify(regenerated),
      String(key),
      `${key}`,
      JSON.stringify({ ...key }),
      Object.values(key).join(" "),
    ];
    for (const text of renderings) for (const value of values) expect(text).not.toContain(value);
    expect(JSON.parse(JSON.stringify(key))).toMatchObject({ keyName: "key1", value: "REDACTED" });
    expect(inspect(key)).toContain("keyName: 'key1'");

    // A key pasted where a key name goes is refused without being repeated, and nothing is sent.
    const calls = credential.calls;
    const refused = await client.storageAccounts
      .regenerateKey(rg, name, key.value as never)
      .catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ argument: "keyName" });
    expect(`${(refused as Error).message} ${inspect(refused)}`).not.toContain(key.value);
    expect(credential.calls).toBe(calls);

    expect(logLines.length).toBeGreaterThan(0);
    for (const value of values) expect(logLines.join("\n")).not.toContain(value);
  });

  it("maps 404 and 409 to the same error classes as Data Lake Store accounts", async () => {
    const missingGroup = await client.storageAccounts
      .get(uniqueName("rg-missing-"), "nosuchaccount")
      .catch((e: unknown) => e);
    expect(ResourceNotFoundError.isInstance(missingGroup)).toBe(true);
    expect(missingGroup).toMatchObject({ code: "ResourceGroupNotFound" });
    expect((missingGroup as ArmError).hint).toMatch(/Create the resource group first/);

    const keysOfMissing = await client.storageAccounts.listKeys(rg, "nosuchaccount").catch((e: unknown) => e);
    expect(ResourceNotFoundError.isInstance(keysOfMissing)).toBe(true);
    expect(keysOfMissing).toMatchObject({ status: 404, operation: "storageAccounts.listKeys" });

    // Storage account names are global: the same name in another group of the subscription is a conflict.
    const name = uniqueName("taken");
    const other = uniqueName("rg-storage-other-");
    await client.resourceGroups.createOrUpdate(other, { location: "eastus2" });
    try {
      await client.storageAccounts.beginCreateAndWait(rg, name, gen2());
      const conflict = await client.storageAccounts
        .beginCreateAndWait(other, name, gen2())
        .catch((e: unknown) => e);
      expect(ConflictError.isInstance(conflict)).toBe(true);
      expect(conflict).toMatchObject({
        status: 409,
        code: "StorageAccountAlreadyExists",
        operation: "storageAccounts.beginCreate",
      });
      expect((conflict as Error).message).toMatch(/^storageAccounts\.beginCreate: PUT .* failed with 409/);
    } finally {
      await client.resourceGroups.beginDeleteAndWait(other);
    }

    // What the service refuses in a well-formed body is an ArmError naming the property.
    const premiumV2 = await client.storageAccounts
      .beginCreateAndWait(rg, uniqueName("premium"), gen2({ sku: { name: "Premium_LRS" } }))
      .catch((e: unknown) => e);
    expect(ArmError.isInstance(premiumV2)).toBe(true);
    expect(premiumV2).toMatchObject({ status: 400, target: "isHnsEnabled" });
  });

  it("asks the service whether a name is valid, and validates every argument before sending anything", async () => {
    expect(await client.storageAccounts.checkNameAvailability("Not_Valid")).toMatchObject({
      nameAvailable: false,
      reason: "AccountNameInvalid",
    });

    const { client: fresh, credential: counted } = setup();
    const cases: Array<[() => unknown, RegExp, string]> = [
      [
        () => fresh.storageAccounts.beginCreate(rg, "Bad_Name", gen2()),
        /'Bad_Name' is not a valid storage account name: use 3-24 lowercase letters and digits/,
        "accountName",
      ],
      [() => fresh.storageAccounts.beginCreate(rg, "ab", gen2()), /3-24 lowercase/, "accountName"],
      [() => fresh.storageAccounts.beginCreate("bad/rg", "okname", gen2()), /'bad\/rg'/, "resourceGroupName"],
      [
        () => fresh.storageAccounts.beginCreate(rg, "okname", { ...gen2(), kind: undefined as never }),
        /kind is required: one of Storage, StorageV2/,
        "parameters.kind",
      ],
      [
        () => fresh.storageAccounts.beginCreate(rg, "okname", { ...gen2(), sku: {} as never }),
        /sku needs a name, e.g. \{ name: "Standard_LRS" \}/,
        "parameters.sku",
      ],
      [
        () => fresh.storageAccounts.beginCreate(rg, "okname", { ...gen2(), location: "" }),
        /location is required/,
        "parameters.location",
      ],
      [
        () =>
          fresh.storageAccounts.beginCreate(
            rg,
            "okname",
            gen2({ properties: { isHnsEnabled: "yes" as never } }),
          ),
        /isHnsEnabled must be true or false/,
        "parameters.properties.isHnsEnabled",
      ],
      [
        () => fresh.storageAccounts.beginCreate(rg, "okname", gen2({ identity: { type: "Mine" as never } })),
        /identity\.type must be one of None, SystemAssigned/,
        "parameters.identity.type",
      ],
      [
        () => fresh.storageAccounts.beginCreate(rg, "okname", gen2(), { pollIntervalInMs: -1 }),
        /must be a number >= 0/,
        "options.pollIntervalInMs",
      ],
    ];
    for (const [call, message, argument] of cases) {
      let thrown: unknown;
      try {
        call();
      } catch (err) {
        thrown = err;
      }
      expect(InvalidArgumentError.isInstance(thrown), String(message)).toBe(true);
      expect((thrown as Error).message).toMatch(message);
      expect(thrown).toMatchObject({ argument });
    }
    const rejected: Array<[Promise<unknown>, RegExp, string]> = [
      [fresh.storageAccounts.get(rg, "NOPE"), /not a valid storage account name/, "accountName"],
      [
        fresh.storageAccounts.update(rg, "okname", { location: "westus" } as never),
        /stays in the region it was created in/,
        "parameters.location",
      ],
      [
        fresh.storageAccounts.update(rg, "okname", { properties: { isHnsEnabled: false } } as never),
        /fixed at creation/,
        "parameters.properties.isHnsEnabled",
      ],
      [
        fresh.storageAccounts.update(rg, "okname", { tags: { a: 1 } as never }),
        /must be a string/,
        "parameters.tags.a",
      ],
      [fresh.storageAccounts.delete(rg, "x"), /not a valid storage account name/, "accountName"],
      [
        fresh.storageAccounts.listKeys(rg, "okname", { expand: "all" as never }),
        /must be one of kerb/,
        "options.expand",
      ],
      [
        fresh.storageAccounts.regenerateKey(rg, "okname", "key3" as never),
        /key1, key2, kerb1, kerb2/,
        "keyName",
      ],
      [fresh.storageAccounts.checkNameAvailability(""), /must be a non-empty string/, "name"],
    ];
    for (const [promise, message, argument] of rejected) {
      const err = await promise.catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(err), String(message)).toBe(true);
      expect((err as Error).message).toMatch(message);
      expect(err).toMatchObject({ argument });
    }
    expect(() => fresh.storageAccounts.listByResourceGroup("bad/rg")).toThrow(/'bad\/rg'/);
    expect(counted.calls).toBe(0);
    await fresh.close();
  });

  it("sends api-version 2023-01-01 by default and the one chosen otherwise, polls included; refuses a bad one", async () => {
    const versions = (lines: string[]) =>
      new Set(
        lines
          .filter((l) => l.includes("Microsoft.Storage"))
          .flatMap((l) => [...l.matchAll(/api-version=([\w-]+)/g)].map((m) => m[1])),
      );
    const name = uniqueName("apiver");
    const lines: string[] = [];
    const chosen = makeClient({
      apiVersions: { storage: "2024-01-01" },
      logger: { verbose: (line) => lines.push(line) },
    });
    const account = await chosen.storageAccounts.beginCreateAndWait(rg, name, gen2());
    expect(account.properties.isHnsEnabled).toBe(true);
    await chosen.storageAccounts.listKeys(rg, name);
    await chosen.storageAccounts.delete(rg, name);
    // The status polls (asyncoperations URLs the service gave) carry the version too.
    expect(lines.some((l) => /asyncoperations/i.test(l))).toBe(true);
    expect(versions(lines)).toEqual(new Set(["2024-01-01"]));
    await chosen.close();
    expect(versions(logLines)).toEqual(new Set(["2023-01-01"]));

    // Well-formed but older than any Microsoft.Storage version (Azure's oldest is 2015-05-01-preview): the
    // service's 400, as an ArmError that says which versions exist.
    const tooOld = makeClient({ apiVersions: { storage: "2014-01-01" } });
    const refused = await tooOld.storageAccounts.get(rg, "whatever").catch((e: unknown) => e);
    expect(ArmError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ status: 400, code: "NoRegisteredProviderFound" });
    expect((refused as ArmError).armMessage).toMatch(/2014-01-01/);
    await tooOld.close();

    for (const [apiVersions, message] of [
      [{ storage: "2023-02-30" }, /must be an api-version such as '2023-01-01'/],
      [{ storage: "2023-1-1" }, /must be an api-version/],
      [{ storage: "latest" }, /must be an api-version/],
      [
        { dataLakeStore: "2015-10-01-preview" },
        /cannot be chosen: the client's models follow 2016-11-01 only/,
      ],
      [{ compute: "2024-01-01" }, /is not an API of this client; only storage can be chosen/],
    ] as const) {
      const err = (() => {
        try {
          makeClient({ apiVersions: apiVersions as never });
        } catch (e) {
          return e;
        }
      })();
      expect(InvalidArgumentError.isInstance(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
      expect((err as InvalidArgumentError).argument).toBe(
        `options.apiVersions.${Object.keys(apiVersions)[0]}`,
      );
    }
  });
});
