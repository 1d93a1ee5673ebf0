import { randomUUID } from "node:crypto";
import {
  invalidQuery,
  methodNotAllowed,
  operationInProgress,
  resourceLocationConflict,
} from "../arm-error.js";
import { absoluteUrl, armTimestamp, retryAfter, type SubscriptionCall } from "../call.js";
import type { GroupRow } from "../models.js";
import { pageOf, queryParam } from "../paging.js";
import { sendArmEmpty, sendArmJson } from "../respond.js";
import { ACCOUNT_NAME, parseJsonObject } from "../validation.js";
import { MAX_STORAGE_ACCOUNTS_PER_LOCATION, STORAGE_NAMESPACE } from "./catalog.js";
import {
  accountExistsElsewhere,
  accountNameInvalid,
  accountNameTaken,
  notProvisioned,
  storageAccountNotFound,
  storageQuotaExceeded,
} from "./errors.js";
import { newKeys } from "./keys.js";
import { accountIn, deleteStorageAccounts, storageLocationKey } from "./lifecycle.js";
import { settingsFromPatch, settingsFromPut } from "./model.js";
import { renderStorageAccount } from "./render.js";
import type { StorageAccountRow } from "./store.js";

/** `GET .../storageAccounts` of a subscription or of one resource group: full accounts, paged like Gen1's. */
export function listStorageAccounts(call: SubscriptionCall, group?: GroupRow): void {
  const { ctx, arm } = call;
  ctx.entry.op = group ? "arm:StorageAccounts_ListByResourceGroup" : "arm:StorageAccounts_List";
  if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
  const rows = arm.storage.store.accounts(call.subscription.id, group?.key);
  const groupNames = new Map(arm.store.groups(call.subscription.id).map((g) => [g.key, g.name]));
  sendArmJson(
    ctx,
    200,
    pageOf(
      ctx,
      rows,
      (r) => r.key,
      (r) => renderStorageAccount(ctx, r, groupNames.get(r.groupKey) ?? r.groupKey),
    ),
  );
}

/** `/storageAccounts/{name}`: PUT (a create is a long-running operation), GET, PATCH, DELETE. */
export function handleStorageAccount(call: SubscriptionCall, group: GroupRow, name: string): void {
  const { ctx, arm } = call;
  const mine = accountIn(call, group, name);
  switch (ctx.method) {
    case "PUT":
      ctx.entry.op = "arm:StorageAccounts_Create";
      if (mine) replace(call, group, mine);
      else create(call, group, name);
      return;
    case "GET": {
      ctx.entry.op = "arm:StorageAccounts_GetProperties";
      const expand = queryParam(ctx.url, "$expand");
      if (expand !== undefined && !/^(geoReplicationStats|blobRestoreStatus)$/i.test(expand))
        throw invalidQuery("$expand", "it must be 'geoReplicationStats' or 'blobRestoreStatus'.");
      if (!mine) throw storageAccountNotFound(name, group.name);
      sendArmJson(ctx, 200, renderStorageAccount(ctx, pollCreation(call, mine), group.name));
      return;
    }
    case "PATCH": {
      ctx.entry.op = "arm:StorageAccounts_Update";
      const body = parseJsonObject(call.bodyText);
      if (!mine) throw storageAccountNotFound(name, group.name);
      if (mine.state !== "Succeeded") throw notProvisioned(mine.name, mine.state);
      const next: StorageAccountRow = { ...mine, ...settingsFromPatch(body, mine) };
      arm.storage.store.put(next);
      sendArmJson(ctx, 200, renderStorageAccount(ctx, next, group.name));
      return;
    }
    case "DELETE": {
      ctx.entry.op = "arm:StorageAccounts_Delete";
      if (!mine) {
        sendArmEmpty(ctx, 204);
        return;
      }
      deleteStorageAccounts(
        arm.storage,
        [mine],
        (op) =>
          arm.operations.cancel(
            op,
            `The storage account '${mine.name}' was deleted before its creation completed.`,
          ),
        (id) => arm.operations.byId(id),
      );
      const failures = arm.storage.registry.deleted([mine.name]);
      if (failures.length) ctx.entry.fault = failures.join("; ");
      sendArmEmpty(ctx, 200);
      return;
    }
    default:
      throw methodNotAllowed(ctx.method, ["GET", "PUT", "PATCH", "DELETE"]);
  }
}

/** A GET while the account is being created counts as a poll of its creation (body-polling clients rely on it). */
function pollCreation(call: SubscriptionCall, row: StorageAccountRow): StorageAccountRow {
  if (row.state !== "Creating") return row;
  const op = call.arm.operations.byId(row.operationId);
  if (op) call.arm.operations.poll(op);
  return call.arm.storage.store.account(row.key) ?? row;
}

function create(call: SubscriptionCall, group: GroupRow, name: string): void {
  const { ctx, arm, subscription } = call;
  if (!ACCOUNT_NAME.test(name)) throw accountNameInvalid(name);
  const taken = arm.storage.store.account(name);
  if (taken) {
    if (taken.subscription !== subscription.id) throw accountNameTaken(name);
    throw accountExistsElsewhere(
      taken.name,
      arm.store.group(subscription.id, taken.groupKey)?.name ?? taken.groupKey,
    );
  }
  const settings = settingsFromPut(parseJsonObject(call.bodyText));
  const sameLocation = arm.storage.store
    .accounts(subscription.id)
    .filter((a) => a.location === settings.location);
  if (sameLocation.length >= MAX_STORAGE_ACCOUNTS_PER_LOCATION)
    throw storageQuotaExceeded(settings.location, MAX_STORAGE_ACCOUNTS_PER_LOCATION);
  const now = armTimestamp();
  const row: StorageAccountRow = {
    ...settings,
    key: name.toLowerCase(),
    name,
    subscription: subscription.id,
    groupKey: group.key,
    state: "Creating",
    tenant: subscription.tenantId,
    creator: call.token.objectId,
    keys: newKeys(now),
    operationId: randomUUID(),
    createdAt: now,
  };
  arm.store.transaction(() => {
    arm.storage.store.put(row);
    arm.operations.start(
      {
        id: row.operationId,
        subscription: subscription.id,
        kind: "storageAccountCreate",
        locationKey: storageLocationKey(row.operationId),
        target: { accountKey: row.key },
      },
      ctx.failOperation,
    );
  });
  sendCreationAccepted(call, row);
}

/**
 * The 202 of a creation: `Azure-AsyncOperation` (status documents) and `Location` (the same operation with
 * `monitor=true`: 202 until done, then the account), both absolute, and `Retry-After`.
 */
function sendCreationAccepted(call: SubscriptionCall, row: StorageAccountRow): void {
  const { ctx } = call;
  const path = `/subscriptions/${row.subscription}/providers/${STORAGE_NAMESPACE}/locations/${encodeURIComponent(row.location)}/asyncoperations/${row.operationId}`;
  const status = absoluteUrl(ctx, path, call.apiVersion);
  const monitor = new URL(status);
  monitor.searchParams.set("monitor", "true");
  sendArmEmpty(ctx, 202, {
    "Azure-AsyncOperation": status,
    Location: monitor.toString(),
    "Retry-After": retryAfter(call),
  });
}

/** A PUT over an existing account: its new state, answered synchronously; an identical PUT changes nothing. */
function replace(call: SubscriptionCall, group: GroupRow, mine: StorageAccountRow): void {
  const { ctx, arm } = call;
  const settings = settingsFromPut(parseJsonObject(call.bodyText), mine);
  if (settings.location !== mine.location)
    throw resourceLocationConflict(mine.name, group.name, mine.location, settings.location);
  if (mine.state === "Failed")
    throw operationInProgress(mine.name, "in a failed state; delete it before creating it again");
  if (mine.state === "Creating") {
    // A client retrying its create (its first answer lost) gets the same operation back.
    if (!sameSettings(settings, mine)) throw operationInProgress(mine.name, "still being created");
    sendCreationAccepted(call, mine);
    return;
  }
  const next: StorageAccountRow = sameSettings(settings, mine) ? mine : { ...mine, ...settings };
  if (next !== mine) arm.storage.store.put(next);
  sendArmJson(ctx, 200, renderStorageAccount(ctx, next, group.name));
}

function sameSettings(settings: ReturnType<typeof settingsFromPut>, row: StorageAccountRow): boolean {
  const pick = (s: typeof settings) =>
    JSON.stringify([s.location, s.kind, s.sku, s.tags, s.identity, s.properties, s.extra]);
  return pick(settings) === pick(row);
}
