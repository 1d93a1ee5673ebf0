import { requireDatedApiVersion } from "../api-version.js";
import { ArmError, pathNotFound } from "../arm-error.js";
import type { SubscriptionCall } from "../call.js";
import type { GroupRow } from "../models.js";
import { handleStorageAccount, listStorageAccounts } from "./accounts.js";
import { OLDEST_STORAGE_API_VERSION, STORAGE_NAMESPACE } from "./catalog.js";
import { unsupportedStorageApiVersion } from "./errors.js";
import { listKeys, regenerateKey } from "./keys.js";
import { checkNameAvailability, storageOperation } from "./subscription-level.js";

/**
 * Microsoft.Storage, as Resource Manager routes to it once the subscription, its registration and (for
 * group-level calls) the resource group have been checked: storage accounts only.
 */

export { createStorageProvider, type StorageProvider } from "./lifecycle.js";
export type { StorageAccountInfo, StorageAccountRegistry } from "./registry.js";

/** Microsoft.Storage calls: any version from OLDEST_STORAGE_API_VERSION to today (see catalog.ts). */
export function requireStorageApiVersion(url: URL): string {
  return requireDatedApiVersion(url, OLDEST_STORAGE_API_VERSION, unsupportedStorageApiVersion);
}

const typeNotFound = (type: string, apiVersion: string) =>
  new ArmError(
    404,
    "InvalidResourceType",
    `The resource type '${type}' could not be found in the namespace '${STORAGE_NAMESPACE}' for api version '${apiVersion}'. adl-emulator serves storageAccounts.`,
  );

/** `/subscriptions/{s}/providers/Microsoft.Storage/...` (`seg` starts after the namespace). */
export function routeStorageSubscription(call: SubscriptionCall, seg: string[], lower: string[]): void {
  const n = seg.length;
  if (n === 1 && lower[0] === "storageaccounts") listStorageAccounts(call);
  else if (n === 1 && lower[0] === "checknameavailability") checkNameAvailability(call);
  else if (n === 4 && lower[0] === "locations" && lower[2] === "asyncoperations")
    storageOperation(call, seg[3]!);
  else if (lower[0] === "locations") throw pathNotFound(call.ctx.url.pathname);
  else throw typeNotFound(seg.join("/"), call.apiVersion);
}

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Storage/...` (`seg` starts after the namespace). */
export function routeStorageGroup(
  call: SubscriptionCall,
  group: GroupRow,
  seg: string[],
  lower: string[],
): void {
  const n = seg.length;
  if (lower[0] !== "storageaccounts") throw typeNotFound(seg[0]!, call.apiVersion);
  if (n === 1) listStorageAccounts(call, group);
  else if (n === 2) handleStorageAccount(call, group, seg[1]!);
  else if (n === 3 && lower[2] === "listkeys") listKeys(call, group, seg[1]!);
  else if (n === 3 && lower[2] === "regeneratekey") regenerateKey(call, group, seg[1]!);
  else throw typeNotFound(`storageAccounts/${seg.slice(2).join("/")}`, call.apiVersion);
}
