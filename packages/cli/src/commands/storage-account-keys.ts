import type { StorageAccountKey } from "@adlkit/arm-client";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { type Column, list as listResult, type Result } from "../result.js";
import { MASK } from "./profile.js";

/**
 * `adl storage-account keys list|renew`. A key is full access to the account's data, so its value is printed only
 * when asked for (--show-values); otherwise it shows as `***`, in tables and in --json alike.
 */

interface KeyView {
  keyName: string;
  permissions: string;
  creationTime: string | null;
  value: string;
}

const COLUMNS: Column<KeyView>[] = [
  { header: "KEY", get: (k) => k.keyName, style: () => "bold" },
  { header: "PERMISSIONS", get: (k) => k.permissions },
  { header: "CREATED", get: (k) => k.creationTime },
  { header: "VALUE", get: (k) => k.value },
];

function view(keys: readonly StorageAccountKey[], showValues: boolean): KeyView[] {
  return keys.map((k) => ({
    keyName: k.keyName,
    permissions: k.permissions,
    creationTime: k.creationTime ?? null,
    value: showValues ? k.value : MASK,
  }));
}

export async function list(
  options: { name: string; resourceGroup: string; showValues?: boolean },
  ctx: Context,
): Promise<Result> {
  const arm = await ctx.arm();
  const { keys } = await arm.storageAccounts.listKeys(options.resourceGroup, options.name, {
    abortSignal: ctx.signal,
  });
  return listResult(view(keys, options.showValues === true), COLUMNS, {
    empty: `Storage account ${options.name} has no keys.`,
  });
}

const RENEWABLE = ["key1", "key2"];

export async function renew(
  options: { name: string; key: string; resourceGroup: string; yes?: boolean; showValues?: boolean },
  ctx: Context,
): Promise<Result> {
  // What was typed is not repeated: a key value pasted here by mistake must not reach a terminal log.
  if (!RENEWABLE.includes(options.key))
    throw new UsageError("KEY must be key1 or key2 (what was given is not shown)");
  if (!options.yes)
    throw new UsageError(
      `renewing ${options.key} of storage account ${options.name} cannot be undone: whatever uses the key now stops working; pass --yes to confirm`,
      "Move clients to the other key first (renew key1 while they use key2, then the other way round).",
    );
  const arm = await ctx.arm();
  const { keys } = await arm.storageAccounts.regenerateKey(
    options.resourceGroup,
    options.name,
    options.key as "key1" | "key2",
    { abortSignal: ctx.signal },
  );
  const renewed = view(
    keys.filter((k) => k.keyName === options.key),
    options.showValues === true,
  );
  return listResult(renewed, COLUMNS, {
    message: `Renewed ${options.key} of storage account ${options.name}${options.showValues ? "" : " (see it with `adl storage-account keys list --show-values`)"}.`,
  });
}
