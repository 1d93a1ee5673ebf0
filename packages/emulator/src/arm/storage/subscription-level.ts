import { badRequest, methodNotAllowed, operationNotFound } from "../arm-error.js";
import { absoluteUrl, retryAfter, type SubscriptionCall } from "../call.js";
import { queryParam } from "../paging.js";
import { sendArmEmpty, sendArmJson } from "../respond.js";
import { ACCOUNT_NAME, parseJsonObject } from "../validation.js";
import { STORAGE_ACCOUNT_TYPE } from "./catalog.js";
import { invalidNameMessage, takenMessage } from "./errors.js";
import { renderStorageAccount } from "./render.js";

/**
 * `POST /subscriptions/{s}/providers/Microsoft.Storage/checkNameAvailability` `{"name","type"}`: names are
 * global across every subscription of the emulator. Gen1 (Microsoft.DataLakeStore) names are another
 * namespace, as in Azure, so a Gen2 account may take the name of the Gen1 account it replaces.
 */
export function checkNameAvailability(call: SubscriptionCall): void {
  const { ctx, arm } = call;
  ctx.entry.op = "arm:StorageAccounts_CheckNameAvailability";
  if (ctx.method !== "POST") throw methodNotAllowed(ctx.method, ["POST"]);
  const body = parseJsonObject(call.bodyText);
  if (typeof body.name !== "string")
    throw badRequest("InvalidRequestContent", "'name' is required and must be a string.", "name");
  if (typeof body.type !== "string" || body.type.toLowerCase() !== STORAGE_ACCOUNT_TYPE.toLowerCase())
    throw badRequest(
      "InvalidRequestContent",
      `'type' is required and must be '${STORAGE_ACCOUNT_TYPE}'.`,
      "type",
    );
  const name = body.name;
  if (!ACCOUNT_NAME.test(name)) {
    sendArmJson(ctx, 200, {
      nameAvailable: false,
      reason: "AccountNameInvalid",
      message: invalidNameMessage(name),
    });
    return;
  }
  const taken = arm.storage.store.account(name) !== undefined;
  sendArmJson(
    ctx,
    200,
    taken
      ? { nameAvailable: false, reason: "AlreadyExists", message: takenMessage(name) }
      : { nameAvailable: true },
  );
}

/**
 * `GET /subscriptions/{s}/providers/Microsoft.Storage/locations/{loc}/asyncoperations/{id}`: a creation's
 * status document, always 200 (`InProgress` with `Retry-After`, then `Succeeded`, or `Failed`/`Canceled` with
 * `error`). With `monitor=true` (the `Location` URL): 202 while it runs, then what the synchronous call would
 * have answered — 200 with the account; 204 if it has been deleted since; a failure as an error.
 */
export function storageOperation(call: SubscriptionCall, id: string): void {
  const { ctx, arm } = call;
  const monitor = queryParam(ctx.url, "monitor")?.toLowerCase() === "true";
  ctx.entry.op = monitor ? "arm:StorageOperationResults_Monitor" : "arm:StorageOperationResults_Get";
  if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
  const op = arm.operations.byId(id);
  if (op?.kind !== "storageAccountCreate" || op.subscription !== call.subscription.id)
    throw operationNotFound(id);
  const polled = arm.operations.poll(op);
  const running = polled.status === "InProgress";
  if (!monitor) {
    sendArmJson(
      ctx,
      200,
      {
        id: ctx.url.pathname,
        name: polled.id,
        status: polled.status,
        startTime: polled.startedAt,
        ...(polled.endedAt ? { endTime: polled.endedAt } : {}),
        ...(polled.error ? { error: polled.error } : {}),
      },
      running ? { "Retry-After": retryAfter(call) } : {},
    );
    return;
  }
  if (running) {
    const self = new URL(absoluteUrl(ctx, ctx.url.pathname, call.apiVersion));
    self.searchParams.set("monitor", "true");
    sendArmEmpty(ctx, 202, { Location: self.toString(), "Retry-After": retryAfter(call) });
    return;
  }
  if (polled.status !== "Succeeded") {
    sendArmJson(ctx, 409, {
      error: polled.error ?? {
        code: "OperationFailed",
        message: "The storage account creation did not complete.",
      },
    });
    return;
  }
  const row = arm.storage.store.account(polled.target.accountKey ?? "");
  if (!row || row.operationId !== polled.id) {
    sendArmEmpty(ctx, 204);
    return;
  }
  const groupName = arm.store.group(row.subscription, row.groupKey)?.name ?? row.groupKey;
  sendArmJson(ctx, 200, renderStorageAccount(ctx, row, groupName));
}
