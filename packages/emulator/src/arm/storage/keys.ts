import { randomBytes } from "node:crypto";
import { invalidQuery, methodNotAllowed } from "../arm-error.js";
import { armTimestamp, type SubscriptionCall } from "../call.js";
import type { GroupRow } from "../models.js";
import { queryParam } from "../paging.js";
import { sendArmJson } from "../respond.js";
import { isObject, parseJsonObject } from "../validation.js";
import { invalidKeyName, notProvisioned, storageAccountNotFound } from "./errors.js";
import { accountIn } from "./lifecycle.js";
import type { AccountKeys, StorageAccountRow } from "./store.js";

/**
 * The account keys: `listKeys` and `regenerateKey`. A key is 64 random bytes, base64 (88 characters), as the
 * service's. Keys are only ever written to arm.db and into these two answers; the journal records neither
 * bodies nor queries, and no error message repeats what a caller sent as a key name.
 */

export function newKey(): string {
  return randomBytes(64).toString("base64");
}

export function newKeys(now: string): AccountKeys {
  return { key1: newKey(), key2: newKey(), key1CreatedAt: now, key2CreatedAt: now };
}

function keysBody(keys: AccountKeys): { keys: Array<Record<string, string>> } {
  return {
    keys: [
      { keyName: "key1", value: keys.key1, permissions: "FULL", creationTime: keys.key1CreatedAt },
      { keyName: "key2", value: keys.key2, permissions: "FULL", creationTime: keys.key2CreatedAt },
    ],
  };
}

function provisioned(call: SubscriptionCall, group: GroupRow, name: string): StorageAccountRow {
  if (call.ctx.method !== "POST") throw methodNotAllowed(call.ctx.method, ["POST"]);
  const row = accountIn(call, group, name);
  if (!row) throw storageAccountNotFound(name, group.name);
  if (row.state !== "Succeeded") throw notProvisioned(row.name, row.state);
  return row;
}

/** `POST .../listKeys[?$expand=kerb]` with an empty body (az and the SDKs send `$expand=kerb`). */
export function listKeys(call: SubscriptionCall, group: GroupRow, name: string): void {
  call.ctx.entry.op = "arm:StorageAccounts_ListKeys";
  const expand = queryParam(call.ctx.url, "$expand");
  if (expand !== undefined && expand.toLowerCase() !== "kerb")
    throw invalidQuery("$expand", "the only expansion of listKeys is 'kerb'.");
  const row = provisioned(call, group, name);
  // Kerberos keys exist only with Active Directory authentication for Azure Files, which is not served:
  // `$expand=kerb` then lists the two account keys, as the service does for such accounts.
  sendArmJson(call.ctx, 200, keysBody(row.keys));
}

/** `POST .../regenerateKey` `{"keyName":"key1"|"key2"}`: a new value for that key; the other one stays. */
export function regenerateKey(call: SubscriptionCall, group: GroupRow, name: string): void {
  call.ctx.entry.op = "arm:StorageAccounts_RegenerateKey";
  const body = parseJsonObject(call.bodyText);
  const row = provisioned(call, group, name);
  const keyName = isObject(body) && typeof body.keyName === "string" ? body.keyName.toLowerCase() : undefined;
  if (keyName !== "key1" && keyName !== "key2") throw invalidKeyName();
  const now = armTimestamp();
  const keys: AccountKeys =
    keyName === "key1"
      ? { ...row.keys, key1: newKey(), key1CreatedAt: now }
      : { ...row.keys, key2: newKey(), key2CreatedAt: now };
  call.arm.storage.store.put({ ...row, keys });
  sendArmJson(call.ctx, 200, keysBody(keys));
}
