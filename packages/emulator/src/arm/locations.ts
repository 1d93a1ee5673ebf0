import { nameTakenBy } from "./account-lifecycle.js";
import { badRequest, methodNotAllowed, operationNotFound } from "./arm-error.js";
import { retryAfter, type SubscriptionCall } from "./call.js";
import { MAX_ACCOUNTS_PER_LOCATION } from "./catalog.js";
import { operationStatusBody } from "./operations.js";
import { sendArmJson } from "./respond.js";
import { ACCOUNT_NAME, normalizeLocation, parseJsonObject } from "./validation.js";

/**
 * `/subscriptions/{s}/providers/Microsoft.DataLakeStore/locations/{location}/...`: name availability,
 * capability, usages, and the `Azure-AsyncOperation` status documents of account creations.
 */
export function handleLocation(
  call: SubscriptionCall,
  location: string,
  action: string,
  rest: string[],
): boolean {
  const { ctx } = call;
  switch (action.toLowerCase()) {
    case "checknameavailability":
      if (rest.length) return false;
      if (ctx.method !== "POST") throw methodNotAllowed(ctx.method, ["POST"]);
      checkNameAvailability(call);
      return true;
    case "capability":
      if (rest.length) return false;
      requireGet(call);
      ctx.entry.op = "arm:Locations_GetCapability";
      sendArmJson(ctx, 200, {
        subscriptionId: call.subscription.id,
        state: "Registered", // unregistered subscriptions were refused before reaching the provider
        maxAccountCount: MAX_ACCOUNTS_PER_LOCATION,
        accountCount: accountsIn(call, location),
        migrationState: false,
      });
      return true;
    case "usages":
      if (rest.length) return false;
      requireGet(call);
      ctx.entry.op = "arm:Locations_GetUsage";
      sendArmJson(ctx, 200, {
        value: [
          {
            unit: "Count",
            id: `/subscriptions/${call.subscription.id}/providers/Microsoft.DataLakeStore/locations/${location}/usages/DataLakeStoreAccounts`,
            currentValue: accountsIn(call, location),
            limit: MAX_ACCOUNTS_PER_LOCATION,
            name: { value: "DataLakeStoreAccounts", localizedValue: "Data Lake Store Accounts" },
          },
        ],
      });
      return true;
    case "operationresults": {
      if (rest.length !== 1) return false;
      requireGet(call);
      ctx.entry.op = "arm:OperationResults_Get";
      const op = call.arm.operations.byId(rest[0]!);
      if (!op || op.subscription !== call.subscription.id) throw operationNotFound(rest[0]!);
      // Always 200: the status document says how the operation is doing (azure-core reads 4xx as "cannot tell").
      // While it runs, Retry-After paces the next poll; without it azure-core waits 30 s between polls.
      const polled = call.arm.operations.poll(op);
      const pace: Record<string, string> =
        polled.status === "InProgress" ? { "Retry-After": retryAfter(call) } : {};
      sendArmJson(ctx, 200, operationStatusBody(polled), pace);
      return true;
    }
    default:
      return false;
  }
}

function requireGet(call: SubscriptionCall): void {
  if (call.ctx.method !== "GET") throw methodNotAllowed(call.ctx.method, ["GET"]);
}

function accountsIn(call: SubscriptionCall, location: string): number {
  const wanted = normalizeLocation(location);
  return call.arm.store.accounts(call.subscription.id).filter((a) => normalizeLocation(a.location) === wanted)
    .length;
}

/** `{"name","type"}` → availability across the whole emulator (names are DNS labels, hence global). */
function checkNameAvailability(call: SubscriptionCall): void {
  const { ctx, arm } = call;
  ctx.entry.op = "arm:Accounts_CheckNameAvailability";
  const body = parseJsonObject(call.bodyText);
  if (typeof body.name !== "string" || body.name === "")
    throw badRequest("InvalidRequestContent", "'name' is required and must be a string.", "name");
  if (typeof body.type !== "string" || body.type.toLowerCase() !== "microsoft.datalakestore/accounts") {
    throw badRequest(
      "InvalidRequestContent",
      "'type' is required and must be 'Microsoft.DataLakeStore/accounts'.",
      "type",
    );
  }
  const name = body.name;
  if (!ACCOUNT_NAME.test(name)) {
    sendArmJson(ctx, 200, {
      nameAvailable: false,
      reason: "InvalidName",
      message: `The account name '${name}' is invalid. It must be 3 to 24 characters long and contain only lower-case letters and digits.`,
    });
    return;
  }
  const taken = nameTakenBy(arm.store, arm.services, name);
  sendArmJson(
    ctx,
    200,
    taken === undefined
      ? { nameAvailable: true }
      : {
          nameAvailable: false,
          reason: "AlreadyExists",
          message: `An account named '${name}' already exists.`,
        },
  );
}
