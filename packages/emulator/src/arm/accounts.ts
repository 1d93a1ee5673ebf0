import { randomUUID } from "node:crypto";
import { accountLocationKey, deleteAccounts, nameTakenBy, retireFilesystems } from "./account-lifecycle.js";
import { applySettingsUpdate, renderAccount, renderBasic, settingsFromCreate } from "./account-model.js";
import {
  accountNameTaken,
  accountNotFound,
  badRequest,
  methodNotAllowed,
  operationInProgress,
  quotaExceeded,
  resourceLocationConflict,
} from "./arm-error.js";
import { absoluteUrl, armTimestamp, retryAfter, type SubscriptionCall } from "./call.js";
import { MAX_ACCOUNTS_PER_LOCATION } from "./catalog.js";
import { rulesForCreate, rulesForUpdate } from "./child-rules.js";
import type { AccountIdentity, AccountRow, GroupRow } from "./models.js";
import { pageOf } from "./paging.js";
import { sendArmEmpty, sendArmJson } from "./respond.js";
import { RULE_KINDS } from "./rule-kinds.js";
import {
  checkAccountName,
  enumValue,
  isObject,
  type Json,
  normalizeLocation,
  parseJsonObject,
  parseTags,
  requireLocation,
} from "./validation.js";

const enc = encodeURIComponent;

/** `GET .../accounts` of a subscription or of one resource group: Basic accounts, paged. */
export function listAccounts(call: SubscriptionCall, group?: GroupRow): void {
  const { ctx, arm } = call;
  ctx.entry.op = group ? "arm:Accounts_ListByResourceGroup" : "arm:Accounts_List";
  for (const name of ["$filter", "$select", "$orderby"]) {
    if ([...ctx.url.searchParams.keys()].some((k) => k.toLowerCase() === name)) {
      throw badRequest(
        "InvalidQueryParameterValue",
        `adl-emulator does not evaluate '${name}' on account lists; list without it and filter locally.`,
        name,
      );
    }
  }
  const rows = arm.store.accounts(call.subscription.id, group?.key);
  const groupNames = new Map(arm.store.groups(call.subscription.id).map((g) => [g.key, g.name]));
  const page = pageOf(
    ctx,
    rows,
    (r) => r.key,
    (r) => renderBasic(ctx, r, groupNames.get(r.groupKey) ?? r.groupKey),
  );
  const wantsCount = [...ctx.url.searchParams].some(
    ([k, v]) => k.toLowerCase() === "$count" && v.toLowerCase() === "true",
  );
  sendArmJson(ctx, 200, wantsCount ? { ...page, count: rows.length } : page);
}

/** `/accounts/{name}`: PUT (create is an LRO, replace is synchronous), GET, PATCH, DELETE. */
export function handleAccount(call: SubscriptionCall, group: GroupRow, name: string): void {
  const { ctx, arm } = call;
  const found = arm.store.account(name);
  const mine =
    found && found.subscription === call.subscription.id && found.groupKey === group.key ? found : undefined;
  switch (ctx.method) {
    case "PUT":
      ctx.entry.op = "arm:Accounts_Create";
      createOrReplace(call, group, name, mine);
      return;
    case "GET": {
      ctx.entry.op = "arm:Accounts_Get";
      if (!mine) throw accountNotFound(name, group.name);
      sendArmJson(ctx, 200, renderAccount(ctx, arm.store, pollCreation(call, mine), group.name));
      return;
    }
    case "PATCH": {
      ctx.entry.op = "arm:Accounts_Update";
      const body = parseJsonObject(call.bodyText);
      if (!mine) throw accountNotFound(name, group.name);
      update(call, group, mine, body);
      return;
    }
    case "DELETE": {
      ctx.entry.op = "arm:Accounts_Delete";
      if (!mine) {
        sendArmEmpty(ctx, 204);
        return;
      }
      deleteAccounts(arm.store, [mine], (op) =>
        arm.operations.cancel(op, `The account '${mine.name}' was deleted before its creation completed.`),
      );
      const failures = retireFilesystems(arm.services, [mine.name]);
      if (failures.length) ctx.entry.fault = failures.join("; ");
      sendArmEmpty(ctx, 200);
      return;
    }
    default:
      throw methodNotAllowed(ctx.method, ["GET", "PUT", "PATCH", "DELETE"]);
  }
}

/** A GET while the account is being created counts as a poll of its creation (body-polling clients rely on it). */
function pollCreation(call: SubscriptionCall, row: AccountRow): AccountRow {
  if (row.state !== "Creating") return row;
  const op = call.arm.operations.byId(`${row.accountId}_0`);
  if (op) call.arm.operations.poll(op);
  return call.arm.store.account(row.key) ?? row;
}

function createOrReplace(
  call: SubscriptionCall,
  group: GroupRow,
  name: string,
  mine: AccountRow | undefined,
): void {
  const { ctx, arm, subscription } = call;
  const body = parseJsonObject(call.bodyText);
  if (!mine) checkAccountName(name);
  const location = requireLocation(body);
  const tags = parseTags(body.tags);
  const properties = body.properties === undefined || body.properties === null ? {} : body.properties;
  if (!isObject(properties))
    throw badRequest("InvalidRequestContent", "'properties' must be an object.", "properties");
  const identityRequested = parseIdentity(body.identity);

  if (mine) {
    if (mine.state === "Creating") throw operationInProgress(mine.name, "still being created");
    if (mine.state === "Failed")
      throw operationInProgress(mine.name, "in a failed state; delete it before creating it again");
    if (normalizeLocation(location) !== normalizeLocation(mine.location)) {
      throw resourceLocationConflict(mine.name, group.name, mine.location, location);
    }
    const identity = mine.identity ?? (identityRequested ? newIdentity(subscription.tenantId) : null);
    const settings = settingsFromCreate(properties, identity !== null, mine.settings);
    const ruleSets = rulesForCreate(properties, RULE_KINDS, mine.key);
    const row: AccountRow = { ...mine, tags, identity, settings, modifiedAt: armTimestamp() };
    arm.store.transaction(() => {
      arm.store.putAccount(row);
      for (const [kind, rules] of ruleSets) {
        arm.store.deleteRules(mine.key, kind.kind);
        for (const rule of rules) arm.store.putRule(rule);
      }
    });
    sendArmJson(ctx, 200, renderAccount(ctx, arm.store, row, group.name));
    return;
  }

  const taken = nameTakenBy(arm.store, arm.services, name);
  if (taken !== undefined) throw accountNameTaken(name, taken);
  const sameLocation = arm.store
    .accounts(subscription.id)
    .filter((a) => normalizeLocation(a.location) === normalizeLocation(location));
  if (sameLocation.length >= MAX_ACCOUNTS_PER_LOCATION)
    throw quotaExceeded(location, MAX_ACCOUNTS_PER_LOCATION);
  const identity = identityRequested ? newIdentity(subscription.tenantId) : null;
  const settings = settingsFromCreate(properties, identity !== null);
  const key = name.toLowerCase();
  const ruleSets = rulesForCreate(properties, RULE_KINDS, key);
  const row: AccountRow = {
    key,
    name,
    subscription: subscription.id,
    groupKey: group.key,
    location,
    tags,
    identity,
    settings,
    state: "Creating",
    accountId: randomUUID(),
    creator: call.token.objectId,
    createdAt: null,
    modifiedAt: null,
  };
  const operationId = `${row.accountId}_0`;
  arm.store.transaction(() => {
    arm.store.putAccount(row);
    for (const rules of ruleSets.values()) for (const rule of rules) arm.store.putRule(rule);
    arm.operations.start(
      {
        id: operationId,
        subscription: subscription.id,
        kind: "accountCreate",
        locationKey: accountLocationKey(subscription.id, group.key, key, "0"),
        target: { accountKey: key, accountId: row.accountId },
      },
      ctx.failOperation,
    );
  });
  const dls = `/subscriptions/${subscription.id}/providers/Microsoft.DataLakeStore`;
  sendArmJson(ctx, 201, renderAccount(ctx, arm.store, row, group.name), {
    "Azure-AsyncOperation": absoluteUrl(
      ctx,
      `${dls}/locations/${enc(normalizeLocation(location))}/operationResults/${operationId}`,
      call.apiVersion,
    ),
    Location: absoluteUrl(ctx, accountOperationPath(subscription.id, group.name, name, "0"), call.apiVersion),
    "Retry-After": retryAfter(call),
  });
}

export function accountOperationPath(
  subscription: string,
  groupName: string,
  name: string,
  n: string,
): string {
  return `/subscriptions/${subscription}/resourcegroups/${enc(groupName)}/providers/Microsoft.DataLakeStore/accounts/${enc(name)}/operationresults/${n}`;
}

function update(call: SubscriptionCall, group: GroupRow, row: AccountRow, body: Json): void {
  const { ctx, arm } = call;
  if (row.state !== "Succeeded")
    throw operationInProgress(
      row.name,
      row.state === "Creating" ? "still being created" : "in a failed state",
    );
  if (
    body.location !== undefined &&
    (typeof body.location !== "string" ||
      normalizeLocation(body.location) !== normalizeLocation(row.location))
  ) {
    throw badRequest("InvalidRequestContent", "The location of an account cannot be changed.", "location");
  }
  const properties = body.properties === undefined || body.properties === null ? {} : body.properties;
  if (!isObject(properties))
    throw badRequest("InvalidRequestContent", "'properties' must be an object.", "properties");
  const next: AccountRow = {
    ...row,
    tags: body.tags === undefined ? row.tags : parseTags(body.tags),
    settings: applySettingsUpdate(row.settings, properties),
    modifiedAt: armTimestamp(),
  };
  const rules = rulesForUpdate(arm.store, properties, RULE_KINDS, row.key);
  arm.store.transaction(() => {
    arm.store.putAccount(next);
    for (const rule of rules) arm.store.putRule(rule);
  });
  sendArmJson(ctx, 200, renderAccount(ctx, arm.store, next, group.name));
}

/** `POST .../enableKeyVault`: lets user-managed encryption reach its Key Vault key. */
export function enableKeyVault(call: SubscriptionCall, group: GroupRow, name: string): void {
  const { ctx, arm } = call;
  ctx.entry.op = "arm:Accounts_EnableKeyVault";
  if (ctx.method !== "POST") throw methodNotAllowed(ctx.method, ["POST"]);
  const row = arm.store.account(name);
  if (!row || row.subscription !== call.subscription.id || row.groupKey !== group.key)
    throw accountNotFound(name, group.name);
  if (row.state !== "Succeeded") throw operationInProgress(row.name, "still being created");
  if (row.settings.encryptionProvisioningState === "Creating") {
    arm.store.putAccount({
      ...row,
      settings: { ...row.settings, encryptionProvisioningState: "Succeeded" },
      modifiedAt: armTimestamp(),
    });
  }
  sendArmEmpty(ctx, 200);
}

function parseIdentity(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (!isObject(value))
    throw badRequest(
      "InvalidRequestContent",
      '\'identity\' must be an object such as {"type":"SystemAssigned"}.',
      "identity",
    );
  enumValue(value.type, ["SystemAssigned"] as const, "identity.type");
  return true;
}

function newIdentity(tenantId: string): AccountIdentity {
  return { type: "SystemAssigned", principalId: randomUUID(), tenantId };
}
