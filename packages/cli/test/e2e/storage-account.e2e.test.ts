import { describe, expect, it } from "vitest";
import { json, runAdl } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

interface StorageAccount {
  name: string;
  location: string;
  kind: string;
  sku: { name: string };
  tags?: Record<string, string>;
  properties: {
    provisioningState?: string;
    isHnsEnabled?: boolean;
    accessTier?: string;
    allowSharedKeyAccess?: boolean;
    primaryEndpoints?: { dfs?: string };
  };
}
interface Key {
  keyName: string;
  permissions: string;
  creationTime: string | null;
  value: string;
}

describe("adl storage-account against the emulator", () => {
  const env = emulatorEnv();
  const adl = (...args: string[]) => runAdl(args, { env });

  it("runs a storage account's life cycle: check-name, create, show, list, update, delete", async () => {
    const rg = unique("rg-");
    const name = unique("gen2");
    expect((await adl("group", "create", rg, "-l", "eastus2")).code).toBe(0);

    const free = await adl("storage-account", "check-name", name, "--json");
    expect(free.code).toBe(0);
    expect(json(free)).toMatchObject({ name, nameAvailable: true });

    const created = await adl(
      "storage-account",
      "create",
      name,
      "-g",
      rg,
      "-l",
      "eastus2",
      "--access-tier",
      "Cool",
      "--tag",
      "env=test",
      "--json",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(json<StorageAccount>(created)).toMatchObject({
      name,
      location: "eastus2",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      tags: { env: "test" },
      // Gen2 unless --no-hns: the hierarchical namespace is on by default.
      properties: { provisioningState: "Succeeded", isHnsEnabled: true, accessTier: "Cool" },
    });

    // A PUT over an existing account would reset what is not given: refused without --force.
    const again = await adl("storage-account", "create", name, "-g", rg, "-l", "eastus2");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /already exists in resource group .*\[ACCOUNT_EXISTS\].*storage-account update/,
    );

    const taken = await adl("storage-account", "check-name", name, "--json");
    expect(json(taken)).toMatchObject({ name, nameAvailable: false, reason: "AlreadyExists" });

    const human = await adl("storage-account", "show", name, "-g", rg);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^name: +${name}\\n`));
    expect(human.stdout).toMatch(/hierarchical namespace: +yes \(Gen2\)/);
    expect(human.stdout).toMatch(new RegExp(`dfs endpoint: +https://${name}\\.dfs\\.`));

    const listed = await adl("storage-account", "list", "-g", rg, "--json");
    expect(json<StorageAccount[]>(listed).map((a) => a.name)).toEqual([name]);
    const everywhere = await adl("storage-account", "list", "--json");
    expect(json<StorageAccount[]>(everywhere).map((a) => a.name)).toContain(name);
    const table = await adl("storage-account", "list", "-g", rg);
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME +RESOURCE GROUP +LOCATION +STATE +KIND +SKU +HNS$/);
    expect(table.stdout).toMatch(
      new RegExp(`^${name} +${rg} +eastus2 +Succeeded +StorageV2 +Standard_LRS +yes`, "m"),
    );

    const updated = await adl(
      "storage-account",
      "update",
      name,
      "-g",
      rg,
      "--access-tier",
      "Hot",
      "--shared-key-access",
      "Disabled",
      "--tag",
      "env=prod",
      "--json",
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(json<StorageAccount>(updated)).toMatchObject({
      tags: { env: "prod" },
      properties: { accessTier: "Hot", allowSharedKeyAccess: false, isHnsEnabled: true },
    });
    const nothing = await adl("storage-account", "update", name, "-g", rg);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change: pass --sku, --access-tier/);
    // Standard to Premium is refused by the service, in its words.
    const tierChange = await adl("storage-account", "update", name, "-g", rg, "--sku", "Premium_LRS");
    expect(tierChange.code).toBe(1);
    expect(tierChange.stderr).toMatch(/Standard account cannot become Premium/);

    const unguarded = await adl("storage-account", "delete", name, "-g", rg);
    expect(unguarded.code).toBe(2);
    expect(unguarded.stderr).toMatch(/cannot be undone: pass --yes/);
    expect((await adl("storage-account", "show", name, "-g", rg)).code).toBe(0);

    const deleted = await adl("storage-account", "delete", name, "-g", rg, "--yes", "--json");
    expect(deleted.code).toBe(0);
    expect(json(deleted)).toEqual({ name, resourceGroup: rg, status: "deleted" });
    expect((await adl("storage-account", "show", name, "-g", rg)).code).toBe(3);
    // Deleting what is not there says so (the service would answer 204).
    expect((await adl("storage-account", "delete", name, "-g", rg, "--yes")).code).toBe(3);
  });

  it("refuses bad input with the flag to change, and a flat account with the emulator's reason", async () => {
    const rg = unique("rg-");
    expect((await adl("group", "create", rg, "-l", "eastus2")).code).toBe(0);
    const flat = await adl(
      "storage-account",
      "create",
      unique("flat"),
      "-g",
      rg,
      "-l",
      "eastus2",
      "--no-hns",
    );
    expect(flat.code).toBe(1);
    expect(flat.stderr).toMatch(/adl-emulator serves Data Lake Storage Gen2 accounts only/);
    expect(flat.stderr).toMatch(/Hint: Leave out --no-hns/);

    const badName = await adl("storage-account", "create", "Not_Valid", "-g", rg, "-l", "eastus2");
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/^adl: the account NAME 'Not_Valid' is not a valid/);
    const noLocation = await adl("storage-account", "create", unique("gen2"), "-g", rg);
    expect(noLocation.code).toBe(2);
    expect(noLocation.stderr).toMatch(/--location/);
    const badTier = await adl(
      "storage-account",
      "create",
      unique("gen2"),
      "-g",
      rg,
      "-l",
      "eastus2",
      "--access-tier",
      "Warm",
    );
    expect(badTier.code).toBe(2);
    expect(badTier.stderr).toMatch(/--access-tier/);
    const badKind = await adl(
      "storage-account",
      "create",
      unique("gen2"),
      "-g",
      rg,
      "-l",
      "eastus2",
      "--kind",
      "FileStorage",
    );
    expect(badKind.code).toBe(1);
    expect(badKind.stderr).toMatch(/hierarchical namespace needs kind StorageV2/);
    const noGroup = await adl("storage-account", "show", unique("gen2"), "-g", unique("nogroup-"));
    expect(noGroup.code).toBe(3);
    expect(noGroup.stderr).toMatch(/adl group create/);
  });

  it("lists keys with their values hidden unless --show-values, and renews one only with --yes", async () => {
    const rg = unique("rg-");
    const name = unique("keys");
    expect((await adl("group", "create", rg, "-l", "eastus2")).code).toBe(0);
    expect((await adl("storage-account", "create", name, "-g", rg, "-l", "eastus2")).code).toBe(0);

    const hidden = await adl("storage-account", "keys", "list", name, "-g", rg, "--json");
    expect(hidden.code).toBe(0);
    const masked = json<Key[]>(hidden);
    expect(masked.map((k) => [k.keyName, k.permissions, k.value])).toEqual([
      ["key1", "Full", "***"],
      ["key2", "Full", "***"],
    ]);
    const table = await adl("storage-account", "keys", "list", name, "-g", rg);
    expect(table.stdout).toMatch(
      /^KEY +PERMISSIONS +CREATED +VALUE\nkey1 +Full +\S+ +\*\*\*\nkey2 +Full +\S+ +\*\*\*\n$/,
    );

    // --debug logs every request: the keys must appear on stdout only, where they were asked for.
    const shown = await adl(
      "storage-account",
      "keys",
      "list",
      name,
      "-g",
      rg,
      "--show-values",
      "--json",
      "--debug",
    );
    expect(shown.code).toBe(0);
    const keys = json<Key[]>(shown);
    for (const key of keys) {
      expect(key.value).toMatch(/^[A-Za-z0-9+/]{20,}={0,2}$/);
      expect(shown.stderr).not.toContain(key.value);
    }
    const [key1, key2] = keys.map((k) => k.value);

    const unconfirmed = await adl("storage-account", "keys", "renew", name, "key2", "-g", rg);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/cannot be undone.*pass --yes/);
    // A key pasted where its name goes is not repeated anywhere.
    const pasted = await adl("storage-account", "keys", "renew", name, key1!, "-g", rg, "--yes");
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).toMatch(/KEY must be key1 or key2 \(what was given is not shown\)/);
    expect(pasted.stderr + pasted.stdout).not.toContain(key1!);
    const after = json<Key[]>(
      await adl("storage-account", "keys", "list", name, "-g", rg, "--show-values", "--json"),
    );
    expect(after.map((k) => k.value)).toEqual([key1, key2]);

    const renewed = await adl("storage-account", "keys", "renew", name, "key2", "-g", rg, "--yes", "--json");
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(json<Key[]>(renewed)).toEqual([expect.objectContaining({ keyName: "key2", value: "***" })]);
    const now = json<Key[]>(
      await adl("storage-account", "keys", "list", name, "-g", rg, "--show-values", "--json"),
    );
    expect(now[0]!.value).toBe(key1);
    expect(now[1]!.value).not.toBe(key2);
    expect(renewed.stdout + renewed.stderr).not.toContain(now[1]!.value);
  });
});
