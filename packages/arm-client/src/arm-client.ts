import type {
  CreateOrUpdateFirewallRuleParameters,
  CreateOrUpdateTrustedIdProviderParameters,
  CreateOrUpdateVirtualNetworkRuleParameters,
  FirewallRule,
  TrustedIdProvider,
  UpdateFirewallRuleParameters,
  UpdateTrustedIdProviderParameters,
  UpdateVirtualNetworkRuleParameters,
  VirtualNetworkRule,
} from "./models/child-resources.js";
import { type AccountOperations, accountOperations } from "./operations/accounts.js";
import {
  type ChildResourceOperations,
  childResourceOperations,
  firewallRuleKind,
  trustedIdProviderKind,
  virtualNetworkRuleKind,
} from "./operations/child-resource-operations.js";
import { type LocationOperations, locationOperations } from "./operations/locations.js";
import { type ProviderOperations, providerOperations } from "./operations/provider-operations.js";
import { type ResourceGroupOperations, resourceGroupOperations } from "./operations/resource-groups.js";
import { type StorageAccountOperations, storageAccountOperations } from "./operations/storage-accounts.js";
import { type SubscriptionOperations, subscriptionOperations } from "./operations/subscriptions.js";
import { type ArmClientOptions, resolveOptions } from "./options.js";
import { createArmPipeline } from "./pipeline/arm-pipeline.js";

export type FirewallRuleOperations = ChildResourceOperations<
  FirewallRule,
  CreateOrUpdateFirewallRuleParameters,
  UpdateFirewallRuleParameters
>;
export type VirtualNetworkRuleOperations = ChildResourceOperations<
  VirtualNetworkRule,
  CreateOrUpdateVirtualNetworkRuleParameters,
  UpdateVirtualNetworkRuleParameters
>;
export type TrustedIdProviderOperations = ChildResourceOperations<
  TrustedIdProvider,
  CreateOrUpdateTrustedIdProviderParameters,
  UpdateTrustedIdProviderParameters
>;

/**
 * Resource Manager for one subscription: resource groups, Microsoft.DataLakeStore (2016-11-01) for Gen1 and
 * Microsoft.Storage (2023-01-01 unless chosen) for Gen2 storage accounts.
 */
export interface ArmClient {
  readonly subscriptionId: string;
  readonly subscriptions: SubscriptionOperations;
  readonly resourceGroups: ResourceGroupOperations;
  readonly accounts: AccountOperations;
  /** Microsoft.Storage storage accounts: Data Lake Storage Gen2 when created with `isHnsEnabled: true`. */
  readonly storageAccounts: StorageAccountOperations;
  readonly firewallRules: FirewallRuleOperations;
  readonly virtualNetworkRules: VirtualNetworkRuleOperations;
  readonly trustedIdProviders: TrustedIdProviderOperations;
  readonly locations: LocationOperations;
  readonly operations: ProviderOperations;
  /** Closes the connection pool. */
  close(): Promise<void>;
}

/**
 * Creates a client. Options are validated here, before any request: a missing credential, a subscription id
 * that is not a GUID or a non-https endpoint throw InvalidArgumentError at once.
 */
export function createArmClient(options: ArmClientOptions): ArmClient {
  const resolved = resolveOptions(options);
  const pipeline = createArmPipeline(resolved);
  return {
    subscriptionId: resolved.subscriptionId,
    subscriptions: subscriptionOperations(pipeline),
    resourceGroups: resourceGroupOperations(pipeline),
    accounts: accountOperations(pipeline),
    storageAccounts: storageAccountOperations(pipeline),
    firewallRules: childResourceOperations(pipeline, firewallRuleKind),
    virtualNetworkRules: childResourceOperations(pipeline, virtualNetworkRuleKind),
    trustedIdProviders: childResourceOperations(pipeline, trustedIdProviderKind),
    locations: locationOperations(pipeline),
    operations: providerOperations(pipeline),
    close: () => pipeline.close(),
  };
}
