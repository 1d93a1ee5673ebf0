import type { RequestContext } from "../../http/context.js";
import { endpointOf } from "../account-model.js";
import type { Json } from "../validation.js";
import { STORAGE_ACCOUNT_TYPE } from "./catalog.js";
import { tierOf } from "./model.js";
import type { StorageAccountRow } from "./store.js";

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}` (not URL-encoded). */
export function storageAccountId(row: StorageAccountRow, groupName: string): string {
  return `/subscriptions/${row.subscription}/resourceGroups/${groupName}/providers/${STORAGE_ACCOUNT_TYPE}/${row.name}`;
}

/**
 * The endpoints the Gen2 data plane answers on, host style: `https://{account}.dfs.{suffix}/` and
 * `https://{account}.blob.{suffix}/`, under the same suffix as Gen1 accounts (`fsDnsSuffix`, by default
 * `localhost:PORT`). Only the services the emulator serves are listed (no file, queue, table or web).
 */
export function primaryEndpoints(ctx: RequestContext, name: string): { dfs: string; blob: string } {
  return {
    dfs: `https://${endpointOf(ctx, `${name}.dfs`)}/`,
    blob: `https://${endpointOf(ctx, `${name}.blob`)}/`,
  };
}

/**
 * The `StorageAccount` resource (create result, get, list, update). The service's own fields override the
 * stored client properties; endpoints appear once provisioning has succeeded. Keys never appear here.
 */
export function renderStorageAccount(ctx: RequestContext, row: StorageAccountRow, groupName: string): Json {
  const identity =
    row.identity && String(row.identity.type).startsWith("SystemAssigned")
      ? { ...row.identity, tenantId: row.tenant }
      : row.identity;
  return {
    ...row.extra,
    sku: { name: row.sku, tier: tierOf(row.sku) },
    kind: row.kind,
    ...(identity ? { identity } : {}),
    id: storageAccountId(row, groupName),
    name: row.name,
    type: STORAGE_ACCOUNT_TYPE,
    location: row.location,
    tags: row.tags,
    properties: {
      ...row.properties,
      keyCreationTime: { key1: row.keys.key1CreatedAt, key2: row.keys.key2CreatedAt },
      privateEndpointConnections: [],
      provisioningState: row.state,
      creationTime: row.createdAt,
      primaryLocation: row.location,
      statusOfPrimary: "available",
      ...(row.state === "Succeeded" ? { primaryEndpoints: primaryEndpoints(ctx, row.name) } : {}),
    },
  };
}
