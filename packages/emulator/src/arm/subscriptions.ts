import type { Subscription } from "../identity/identity-store.js";
import { methodNotAllowed, missingRegistration, providerNotFound, unregisterBlocked } from "./arm-error.js";
import type { ArmCall, SubscriptionCall } from "./call.js";
import {
  apiVersionsOf,
  DATALAKE_NAMESPACE,
  RESOURCE_TYPES,
  SERVED_NAMESPACES,
  servedNamespace,
} from "./catalog.js";
import { pageOf } from "./paging.js";
import { sendArmJson } from "./respond.js";
import { STORAGE_NAMESPACE, STORAGE_RESOURCE_TYPES, TESTED_STORAGE_API_VERSIONS } from "./storage/catalog.js";

/** Locations the provider advertised when ADLS Gen1 was open; the emulator accepts any location. */
const ADVERTISED_LOCATIONS = ["East US 2", "Central US", "North Europe", "West Europe"];

/** A few of the many regions Microsoft.Storage is in; the emulator accepts any location. */
const STORAGE_LOCATIONS = [
  "East US",
  "East US 2",
  "West US 2",
  "West Europe",
  "North Europe",
  "Southeast Asia",
];

function renderSubscription(s: Subscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.id}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.id,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

/** `GET /subscriptions`: the subscriptions of the caller's tenant (ARM lists what the token's tenant owns). */
export function listSubscriptions(call: ArmCall): void {
  const { ctx } = call;
  ctx.entry.op = "arm:Subscriptions_List";
  if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
  const mine = ctx.services.identity
    .subscriptions()
    .filter((s) => s.tenantId.toLowerCase() === call.token.tenantId.toLowerCase())
    .sort((a, b) => a.id.localeCompare(b.id));
  sendArmJson(
    ctx,
    200,
    pageOf(ctx, mine, (s) => s.id, renderSubscription),
  );
}

export function getSubscription(call: SubscriptionCall): void {
  call.ctx.entry.op = "arm:Subscriptions_Get";
  if (call.ctx.method !== "GET") throw methodNotAllowed(call.ctx.method, ["GET"]);
  sendArmJson(call.ctx, 200, renderSubscription(call.subscription));
}

/** `GET /tenants`: the caller's own tenant (a service principal belongs to one). */
export function listTenants(call: ArmCall): void {
  const { ctx } = call;
  ctx.entry.op = "arm:Tenants_List";
  if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
  const tenants = ctx.services.identity
    .tenants()
    .filter((t) => t.id.toLowerCase() === call.token.tenantId.toLowerCase());
  sendArmJson(
    ctx,
    200,
    pageOf(
      ctx,
      tenants,
      (t) => t.id,
      (t) => ({
        id: `/tenants/${t.id}`,
        tenantId: t.id,
        tenantCategory: "Home",
        displayName: t.displayName,
        defaultDomain: t.domains[0] ?? t.id,
        domains: t.domains,
        tenantType: "AAD",
      }),
    ),
  );
}

/** Registration state of a served namespace: the default subscription starts registered, others do not. */
export function registrationState(call: SubscriptionCall, namespace = DATALAKE_NAMESPACE): string {
  const stored = call.arm.store.providerState(call.subscription.id, namespace);
  if (stored) return stored;
  return call.subscription.id === call.ctx.services.identity.defaultSubscription.id
    ? "Registered"
    : "NotRegistered";
}

/** Refuses provider calls on a subscription that has not registered the namespace (azure-mgmt-core then registers). */
export function requireRegistered(call: SubscriptionCall, namespace = DATALAKE_NAMESPACE): void {
  if (registrationState(call, namespace) !== "Registered") throw missingRegistration(namespace);
}

function renderProvider(call: SubscriptionCall, namespace = DATALAKE_NAMESPACE): Record<string, unknown> {
  if (namespace === STORAGE_NAMESPACE) {
    return {
      id: `/subscriptions/${call.subscription.id}/providers/${STORAGE_NAMESPACE}`,
      namespace: STORAGE_NAMESPACE,
      registrationState: registrationState(call, STORAGE_NAMESPACE),
      registrationPolicy: "RegistrationRequired",
      resourceTypes: STORAGE_RESOURCE_TYPES.map((resourceType) => ({
        resourceType,
        locations:
          resourceType === "operations" || resourceType === "checkNameAvailability" ? [] : STORAGE_LOCATIONS,
        apiVersions: [...TESTED_STORAGE_API_VERSIONS],
      })),
    };
  }
  return {
    id: `/subscriptions/${call.subscription.id}/providers/${DATALAKE_NAMESPACE}`,
    namespace: DATALAKE_NAMESPACE,
    registrationState: registrationState(call),
    registrationPolicy: "RegistrationRequired",
    resourceTypes: RESOURCE_TYPES.map((resourceType) => ({
      resourceType,
      locations: resourceType === "operations" ? [] : ADVERTISED_LOCATIONS,
      apiVersions: apiVersionsOf(resourceType),
    })),
  };
}

/** `GET .../providers`, `GET .../providers/{ns}`, `POST .../providers/{ns}/register|unregister`. */
export function handleProvider(
  call: SubscriptionCall,
  namespace: string | undefined,
  action: string | undefined,
): void {
  const { ctx, arm } = call;
  if (namespace === undefined) {
    ctx.entry.op = "arm:Providers_List";
    if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
    sendArmJson(ctx, 200, { value: SERVED_NAMESPACES.map((ns) => renderProvider(call, ns)) });
    return;
  }
  const served = servedNamespace(namespace);
  if (!served) throw providerNotFound(namespace);
  if (action === undefined) {
    ctx.entry.op = "arm:Providers_Get";
    if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
    sendArmJson(ctx, 200, renderProvider(call, served));
    return;
  }
  if (ctx.method !== "POST") throw methodNotAllowed(ctx.method, ["POST"]);
  if (action.toLowerCase() === "register") {
    ctx.entry.op = "arm:Providers_Register";
    arm.store.setProviderState(call.subscription.id, served, "Registered");
  } else {
    ctx.entry.op = "arm:Providers_Unregister";
    const count =
      served === STORAGE_NAMESPACE
        ? arm.storage.store.accounts(call.subscription.id).length
        : arm.store.accounts(call.subscription.id).length;
    if (count > 0) throw unregisterBlocked(served, count);
    arm.store.setProviderState(call.subscription.id, served, "NotRegistered");
  }
  sendArmJson(ctx, 200, renderProvider(call, served));
}
