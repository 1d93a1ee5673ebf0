import type { EmulatorServices, RequestContext } from "../http/context.js";
import { tryDecodeSegments } from "../http/decode.js";
import { accountCreateCompleter, accountCreateFailer } from "./account-lifecycle.js";
import { enableKeyVault, handleAccount, listAccounts } from "./accounts.js";
import { requireDataLakeApiVersion, requireResourcesApiVersion } from "./api-version.js";
import {
  ArmError,
  accountNotFound,
  badRequest,
  methodNotAllowed,
  pathNotFound,
  providerNotFound,
  resourceGroupBeingDeleted,
  resourceGroupNotFound,
  resourceTypeNotFound,
  subscriptionNotFound,
  throttled,
} from "./arm-error.js";
import { authenticate, requireTenant } from "./authenticate.js";
import type { ArmCall, ArmState, SubscriptionCall } from "./call.js";
import { DATALAKE_NAMESPACE, operationsList } from "./catalog.js";
import { handleRule } from "./child-rules.js";
import { handleLocation } from "./locations.js";
import { accountOperationResult } from "./operation-results.js";
import { Operations } from "./operations.js";
import { bucketFor, RateLimiter } from "./rate-limits.js";
import {
  groupDeleteCompleter,
  groupDeleteFailer,
  groupOperationResult,
  handleGroup,
  listGroups,
} from "./resource-groups.js";
import { sendArmError, sendArmJson, setArmResponseHeaders } from "./respond.js";
import { ruleKindOf } from "./rule-kinds.js";
import { ArmStore } from "./store.js";
import {
  getSubscription,
  handleProvider,
  listSubscriptions,
  listTenants,
  requireRegistered,
} from "./subscriptions.js";
import { readBodyText } from "./validation.js";

const DLS = DATALAKE_NAMESPACE.toLowerCase();

/**
 * Resource Manager: subscriptions, tenants, provider registration, resource groups and the
 * Microsoft.DataLakeStore provider (2016-11-01). The chain, top to bottom: ARM response headers, bearer
 * token, request budget, api-version, subscription (404) and its tenant (401), provider registration,
 * resource group, then the resource handlers. State lives in DIR/arm.db.
 */
export function createArmHandler(services: EmulatorServices): {
  handle(ctx: RequestContext): Promise<boolean>;
  close(): void;
} {
  const store = new ArmStore(services.dataDir);
  const limiter = new RateLimiter();
  const operations: Operations = new Operations(
    store,
    services,
    {
      accountCreate: accountCreateCompleter(store, services),
      groupDelete: groupDeleteCompleter(store, services, (op) =>
        operations.cancel(
          op,
          "The account's resource group was deleted before the account's creation completed.",
        ),
      ),
    },
    { accountCreate: accountCreateFailer(store), groupDelete: groupDeleteFailer(store) },
  );
  const arm: ArmState = { services, store, operations };
  // Accounts whose creation finished before a crash reached the filesystem directory: put them back (and give
  // records written before subscriptions were kept their subscription).
  for (const row of store.allAccounts()) {
    if (row.state === "Succeeded" && services.accounts.get(row.name)?.subscription == null)
      services.accounts.add(row.name, "arm", row.creator, row.subscription);
  }
  // Operations nobody polls still finish (a `--no-wait` create must eventually give a live filesystem).
  const timer = setInterval(() => {
    try {
      operations.settleDue();
    } catch {
      // Settling is retried on the next tick and before every ARM request, where a failure is reported.
    }
  }, 1000);
  timer.unref();

  return {
    async handle(ctx) {
      const first = ctx.url.pathname.split("/")[1]?.toLowerCase();
      if (first !== "subscriptions" && first !== "tenants" && first !== "providers") return false;
      setArmResponseHeaders(ctx);
      if (ctx.method === "GET" || ctx.method === "HEAD" || ctx.method === "DELETE") ctx.req.resume();
      try {
        await route(ctx, arm, limiter);
      } catch (err) {
        if (!(err instanceof ArmError)) throw err;
        ctx.req.resume();
        sendArmError(ctx, err);
      }
      return true;
    },
    close() {
      clearInterval(timer);
      store.close();
    },
  };
}

function segmentsOf(pathname: string): string[] {
  const segments = tryDecodeSegments(pathname.split("/").filter((s) => s !== ""));
  if (!segments)
    throw badRequest("InvalidRequestUri", `The request path '${pathname}' is not correctly percent-encoded.`);
  return segments;
}

/** Data Lake Store calls use its api-versions; everything else (incl. provider registration) Microsoft.Resources'. */
function isDataLakeCall(lower: string[]): boolean {
  const at = lower.indexOf("providers");
  if (at < 0 || lower[at + 1] !== DLS || lower.length <= at + 2) return false;
  const subscriptionLevelAction =
    at === 2 && lower.length === 5 && (lower[4] === "register" || lower[4] === "unregister");
  return !subscriptionLevelAction;
}

/**
 * The resource type a Data Lake Store path addresses, as ARM names it for api-version checks: the types after
 * the namespace, without the names between them (`accounts/{a}/firewallRules/{r}` is `accounts/firewallRules`,
 * `locations/{l}/operationresults/{id}` is `locations/operationresults`).
 */
function dataLakeType(seg: string[]): string {
  const after = seg.slice(seg.findIndex((s) => s.toLowerCase() === "providers") + 2);
  return after.filter((_, i) => i % 2 === 0).join("/");
}

async function route(ctx: RequestContext, arm: ArmState, limiter: RateLimiter): Promise<void> {
  const seg = segmentsOf(ctx.url.pathname);
  const lower = seg.map((s) => s.toLowerCase());
  const { identity } = ctx.services;
  const subscription = lower[0] === "subscriptions" && seg[1] ? identity.findSubscription(seg[1]) : undefined;
  const token = await authenticate(ctx, subscription?.tenantId ?? identity.defaultTenant.id);
  ctx.entry.principal = token.objectId;

  const subscriptionScoped = lower[0] === "subscriptions" && seg[1] !== undefined;
  const bucket = bucketFor(ctx.method, subscriptionScoped ? "subscription" : "tenant");
  const budget = limiter.take(
    bucket,
    `${subscriptionScoped ? seg[1]!.toLowerCase() : token.tenantId}|${token.objectId}`,
  );
  if (!budget.ok)
    throw throttled(
      bucket.slice(bucket.lastIndexOf("-") + 1).replace(/s$/, ""),
      subscriptionScoped ? `subscription '${seg[1]}'` : `tenant '${token.tenantId}'`,
      budget.retryAfterSeconds,
    );
  ctx.res.setHeader(`x-ms-ratelimit-remaining-${bucket}`, String(budget.remaining));

  const dataLake = isDataLakeCall(lower);
  const apiVersion = dataLake
    ? requireDataLakeApiVersion(ctx.url, dataLakeType(seg))
    : requireResourcesApiVersion(ctx.url);
  // Read the body before looking at any state: from here on nothing awaits, so no other request can
  // change what a handler checked before it writes.
  const bodyText =
    ctx.method === "PUT" || ctx.method === "PATCH" || ctx.method === "POST" ? await readBodyText(ctx) : "";
  arm.operations.settleDue();
  const call: ArmCall = { ctx, arm, token, apiVersion, bodyText };

  if (lower[0] === "tenants") {
    if (seg.length !== 1) throw pathNotFound(ctx.url.pathname);
    listTenants(call);
  } else if (lower[0] === "providers") {
    if (seg[1] && lower[1] !== DLS) throw providerNotFound(seg[1]);
    if (seg.length !== 3 || lower[2] !== "operations") throw pathNotFound(ctx.url.pathname);
    ctx.entry.op = "arm:Operations_List";
    if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
    sendArmJson(ctx, 200, operationsList());
  } else if (seg.length === 1) {
    listSubscriptions(call);
  } else {
    if (!subscription) throw subscriptionNotFound(seg[1]!);
    requireTenant(ctx, token, subscription.tenantId);
    routeSubscription({ ...call, subscription }, seg.slice(2), lower.slice(2));
  }
}

/** Everything under `/subscriptions/{s}` (seg starts after the subscription id). */
function routeSubscription(call: SubscriptionCall, seg: string[], lower: string[]): void {
  const { ctx } = call;
  const n = seg.length;
  if (n === 0) getSubscription(call);
  else if (lower[0] === "operationresults" && n === 2) groupOperationResult(call, seg[1]!);
  else if (lower[0] === "resourcegroups" && n === 1) listGroups(call);
  else if (lower[0] === "resourcegroups" && n === 2) handleGroup(call, seg[1]!);
  else if (lower[0] === "resourcegroups" && lower[2] === "providers" && n >= 5) {
    routeGroupProvider(call, seg[1]!, seg.slice(3), lower.slice(3));
  } else if (lower[0] !== "providers") throw pathNotFound(ctx.url.pathname);
  else if (n === 1) handleProvider(call, undefined, undefined);
  else if (lower[1] !== DLS) throw providerNotFound(seg[1]!);
  else if (n === 2) handleProvider(call, seg[1], undefined);
  else if (n === 3 && (lower[2] === "register" || lower[2] === "unregister"))
    handleProvider(call, seg[1], seg[2]);
  else {
    requireRegistered(call);
    if (n === 3 && lower[2] === "accounts") {
      if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
      listAccounts(call);
    } else if (
      !(lower[2] === "locations" && n >= 5 && handleLocation(call, seg[3]!, seg[4]!, seg.slice(5)))
    ) {
      throw resourceTypeNotFound(seg.slice(2).join("/"), call.apiVersion);
    }
  }
}

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/{namespace}/...` (seg starts at the namespace). */
function routeGroupProvider(call: SubscriptionCall, groupName: string, seg: string[], lower: string[]): void {
  const { ctx, arm } = call;
  if (lower[0] !== DLS) throw providerNotFound(seg[0]!);
  requireRegistered(call);
  // ARM's front door checks the group before the provider sees the request.
  const group = arm.store.group(call.subscription.id, groupName);
  if (!group) throw resourceGroupNotFound(groupName);
  if (lower[1] !== "accounts") throw resourceTypeNotFound(seg[1]!, call.apiVersion);
  if (group.state === "Deleting" && ctx.method !== "GET" && ctx.method !== "HEAD")
    throw resourceGroupBeingDeleted(group.name);
  const n = seg.length;
  const name = seg[2]!;
  if (n === 2) {
    if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
    listAccounts(call, group);
  } else if (n === 3) handleAccount(call, group, name);
  else if (n === 5 && lower[3] === "operationresults") accountOperationResult(call, group, name, seg[4]!);
  else if (n === 4 && lower[3] === "enablekeyvault") enableKeyVault(call, group, name);
  else {
    const kind = ruleKindOf(seg[3]!);
    if (!kind || n > 5) throw resourceTypeNotFound(`accounts/${seg.slice(3).join("/")}`, call.apiVersion);
    const account = arm.store.account(name);
    const mine =
      account?.subscription === call.subscription.id && account.groupKey === group.key ? account : undefined;
    if (!mine) throw accountNotFound(name, group.name);
    handleRule(call, group, mine, kind, seg[4]);
  }
}
