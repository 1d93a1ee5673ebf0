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
import { DATALAKE_NAMESPACE, operationsListOf, servedNamespace } from "./catalog.js";
import { handleRule } from "./child-rules.js";
import { handleLocation } from "./locations.js";
import type { OperationRow } from "./models.js";
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
import { STORAGE_NAMESPACE } from "./storage/catalog.js";
import {
  createStorageProvider,
  requireStorageApiVersion,
  routeStorageGroup,
  routeStorageSubscription,
  type StorageAccountRegistry,
} from "./storage/index.js";
import {
  cascadeToStorageAccounts,
  storageCreateCompleter,
  storageCreateFailer,
} from "./storage/lifecycle.js";
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
const STORAGE = STORAGE_NAMESPACE.toLowerCase();

/**
 * Resource Manager: subscriptions, tenants, provider registration, resource groups, the
 * Microsoft.DataLakeStore provider (2016-11-01) and Microsoft.Storage storage accounts (storage/). The chain,
 * top to bottom: ARM response headers, bearer token, request budget, api-version, subscription (404) and its
 * tenant (401), provider registration, resource group, then the resource handlers. State lives in DIR/arm.db.
 * `storageAccounts` is what the Gen2 data plane reads of the storage accounts.
 */
export function createArmHandler(services: EmulatorServices): {
  handle(ctx: RequestContext): Promise<boolean>;
  readonly storageAccounts: StorageAccountRegistry;
  close(): void;
} {
  const store = new ArmStore(services.dataDir);
  const storage = createStorageProvider(store);
  const limiter = new RateLimiter();
  const cancelForGroup = (op: OperationRow) =>
    operations.cancel(
      op,
      "The account's resource group was deleted before the account's creation completed.",
    );
  const operations: Operations = new Operations(
    store,
    services,
    {
      accountCreate: accountCreateCompleter(store, services),
      groupDelete: cascadeToStorageAccounts(
        groupDeleteCompleter(store, services, cancelForGroup),
        storage,
        cancelForGroup,
        (id) => operations.byId(id),
      ),
      storageAccountCreate: storageCreateCompleter(storage),
    },
    {
      accountCreate: accountCreateFailer(store),
      groupDelete: groupDeleteFailer(store),
      storageAccountCreate: storageCreateFailer(storage),
    },
  );
  const arm: ArmState = { services, store, operations, storage };
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
    storageAccounts: storage.registry,
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

/**
 * The provider namespace (lower case) whose api-versions a call uses: a call to a resource provider's own
 * paths. Everything else, provider registration included, uses Microsoft.Resources' versions.
 */
function providerOfCall(lower: string[]): string | undefined {
  const at = lower.indexOf("providers");
  if (at < 0 || lower.length <= at + 2) return undefined;
  const subscriptionLevelAction =
    at === 2 && lower.length === 5 && (lower[4] === "register" || lower[4] === "unregister");
  return subscriptionLevelAction ? undefined : lower[at + 1];
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

  const provider = providerOfCall(lower);
  const apiVersion =
    provider === DLS
      ? requireDataLakeApiVersion(ctx.url, dataLakeType(seg))
      : provider === STORAGE
        ? requireStorageApiVersion(ctx.url)
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
    const namespace = seg[1] ? servedNamespace(seg[1]) : undefined;
    if (seg[1] && !namespace) throw providerNotFound(seg[1]);
    if (!namespace || seg.length !== 3 || lower[2] !== "operations") throw pathNotFound(ctx.url.pathname);
    ctx.entry.op = "arm:Operations_List";
    if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
    sendArmJson(ctx, 200, operationsListOf(namespace));
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
  else if (!servedNamespace(seg[1]!)) throw providerNotFound(seg[1]!);
  else if (n === 2) handleProvider(call, seg[1], undefined);
  else if (n === 3 && (lower[2] === "register" || lower[2] === "unregister"))
    handleProvider(call, seg[1], seg[2]);
  else if (lower[1] === STORAGE) {
    requireRegistered(call, STORAGE_NAMESPACE);
    routeStorageSubscription(call, seg.slice(2), lower.slice(2));
  } else {
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
  const namespace = servedNamespace(seg[0]!);
  if (!namespace) throw providerNotFound(seg[0]!);
  requireRegistered(call, namespace);
  // ARM's front door checks the group before the provider sees the request.
  const group = arm.store.group(call.subscription.id, groupName);
  if (!group) throw resourceGroupNotFound(groupName);
  const writing = ctx.method !== "GET" && ctx.method !== "HEAD";
  if (namespace === STORAGE_NAMESPACE) {
    if (group.state === "Deleting" && writing) throw resourceGroupBeingDeleted(group.name);
    routeStorageGroup(call, group, seg.slice(1), lower.slice(1));
    return;
  }
  if (lower[1] !== "accounts") throw resourceTypeNotFound(seg[1]!, call.apiVersion);
  if (group.state === "Deleting" && writing) throw resourceGroupBeingDeleted(group.name);
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
