import { accountLocationKey } from "./account-lifecycle.js";
import { renderAccount } from "./account-model.js";
import { methodNotAllowed, operationNotFound } from "./arm-error.js";
import { absoluteUrl, retryAfter, type SubscriptionCall } from "./call.js";
import type { GroupRow, OperationRow } from "./models.js";
import { sendArmEmpty, sendArmJson } from "./respond.js";

/**
 * `GET .../accounts/{name}/operationresults/{n}`, the `Location` URL of an account creation: 202 (empty,
 * with `Location` and `Retry-After`) while it runs, then what the synchronous call would have answered:
 * 200 with the account. If the account has been deleted since, 204; a failed or canceled creation
 * answers its error with 409.
 */
export function accountOperationResult(
  call: SubscriptionCall,
  group: GroupRow,
  name: string,
  n: string,
): void {
  const { ctx, arm } = call;
  ctx.entry.op = "arm:Accounts_OperationResult";
  if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
  const op = arm.operations.byLocation(
    accountLocationKey(call.subscription.id, group.key, name.toLowerCase(), n),
  );
  if (!op) throw operationNotFound(`${name}/operationresults/${n}`);
  const polled = arm.operations.poll(op);
  if (answeredUnfinished(call, polled, "The account creation did not complete.")) return;
  const account = arm.store.account(name);
  if (!account || account.accountId !== polled.target.accountId) {
    sendArmEmpty(ctx, 204);
    return;
  }
  sendArmJson(ctx, 200, renderAccount(ctx, arm.store, account, group.name));
}

/**
 * Answers a poll of an operation's `Location` URL that cannot report success yet: 202 (empty, with `Location`
 * and `Retry-After`) while it runs, 409 with its error once it failed or was canceled. Returns whether it
 * answered; if not, the operation succeeded and the caller answers with the result.
 */
export function answeredUnfinished(call: SubscriptionCall, polled: OperationRow, failure: string): boolean {
  const { ctx } = call;
  if (polled.status === "InProgress") {
    sendArmEmpty(ctx, 202, {
      Location: absoluteUrl(ctx, ctx.url.pathname, call.apiVersion),
      "Retry-After": retryAfter(call),
    });
    return true;
  }
  if (polled.status !== "Succeeded") {
    sendArmJson(ctx, 409, { error: polled.error ?? { code: "OperationFailed", message: failure } });
    return true;
  }
  return false;
}
