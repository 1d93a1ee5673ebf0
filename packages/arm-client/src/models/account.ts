import type { FirewallRule, NamedRule, TrustedIdProvider, VirtualNetworkRule } from "./child-resources.js";

export type DataLakeStoreAccountState = "Active" | "Suspended";
export type DataLakeStoreAccountStatus =
  | "Failed"
  | "Creating"
  | "Running"
  | "Succeeded"
  | "Patching"
  | "Suspending"
  | "Resuming"
  | "Deleting"
  | "Deleted"
  | "Undeleting"
  | "Canceled";
export type EnabledState = "Enabled" | "Disabled";
/** The pricing tiers of api-version 2016-11-01 (validated by the client, offered as choices by the CLI). */
export const TIER_TYPES = [
  "Consumption",
  "Commitment_1TB",
  "Commitment_10TB",
  "Commitment_100TB",
  "Commitment_500TB",
  "Commitment_1PB",
  "Commitment_5PB",
] as const;
export type TierType = (typeof TIER_TYPES)[number];

export interface EncryptionIdentity {
  type: "SystemAssigned";
  readonly principalId?: string;
  readonly tenantId?: string;
}

export interface KeyVaultMetaInfo {
  keyVaultResourceId: string;
  encryptionKeyName: string;
  encryptionKeyVersion: string;
}

export interface EncryptionConfig {
  type: "UserManaged" | "ServiceManaged";
  /** Required for UserManaged. */
  keyVaultMetaInfo?: KeyVaultMetaInfo;
}

/** A Data Lake Store Gen1 account as GET, PUT and PATCH return it (api-version 2016-11-01). */
export interface DataLakeStoreAccount {
  id: string;
  name: string;
  type: "Microsoft.DataLakeStore/accounts" | (string & {});
  location: string;
  tags?: Record<string, string>;
  identity?: EncryptionIdentity;
  properties: DataLakeStoreAccountProperties;
}

export interface DataLakeStoreAccountProperties extends DataLakeStoreAccountBasicProperties {
  defaultGroup?: string;
  encryptionConfig?: EncryptionConfig;
  encryptionState?: EnabledState;
  encryptionProvisioningState?: "Creating" | "Succeeded";
  firewallRules?: FirewallRule[];
  virtualNetworkRules?: VirtualNetworkRule[];
  firewallState?: EnabledState;
  firewallAllowAzureIps?: EnabledState;
  firewallAllowDataLakeAnalytics?: string;
  trustedIdProviders?: TrustedIdProvider[];
  trustedIdProviderState?: EnabledState;
  newTier?: TierType;
  currentTier?: TierType;
  dataLakePerformanceTierState?: string;
}

/** What list calls return per account: no identity, rules or settings. */
export interface DataLakeStoreAccountBasic {
  id: string;
  name: string;
  type: "Microsoft.DataLakeStore/accounts" | (string & {});
  location: string;
  tags?: Record<string, string>;
  properties: DataLakeStoreAccountBasicProperties;
}

export interface DataLakeStoreAccountBasicProperties {
  accountId?: string;
  provisioningState?: DataLakeStoreAccountStatus | (string & {});
  state?: DataLakeStoreAccountState | null;
  creationTime?: string | null;
  lastModifiedTime?: string | null;
  /** `{name}.azuredatalakestore.net`, without a scheme; null while creating. */
  endpoint?: string | null;
}

/** Body of `accounts.beginCreate` (a PUT: creates, or replaces an account in the same resource group). */
export interface CreateDataLakeStoreAccountParameters {
  /** Region, e.g. `eastus2`. Required. */
  location: string;
  tags?: Record<string, string>;
  /** Only at create: a system-assigned identity for Key Vault encryption. */
  identity?: { type: "SystemAssigned" };
  properties?: {
    defaultGroup?: string;
    encryptionConfig?: EncryptionConfig;
    encryptionState?: EnabledState;
    firewallRules?: Array<NamedRule<{ startIpAddress: string; endIpAddress: string }>>;
    virtualNetworkRules?: Array<NamedRule<{ subnetId: string }>>;
    firewallState?: EnabledState;
    firewallAllowAzureIps?: EnabledState;
    trustedIdProviders?: Array<NamedRule<{ idProvider: string }>>;
    trustedIdProviderState?: EnabledState;
    newTier?: TierType;
  };
}

/** Body of `accounts.update` (a PATCH): `tags` replace the tag map; rules are matched by name. */
export interface UpdateDataLakeStoreAccountParameters {
  tags?: Record<string, string>;
  properties?: {
    defaultGroup?: string;
    /** Key rotation only. */
    encryptionConfig?: { keyVaultMetaInfo?: { encryptionKeyVersion?: string } };
    firewallRules?: Array<NamedRule<{ startIpAddress?: string; endIpAddress?: string }>>;
    virtualNetworkRules?: Array<NamedRule<{ subnetId?: string }>>;
    firewallState?: EnabledState;
    firewallAllowAzureIps?: EnabledState;
    trustedIdProviders?: Array<NamedRule<{ idProvider?: string }>>;
    trustedIdProviderState?: EnabledState;
    newTier?: TierType;
  };
}

/** OData options of the account lists. */
export interface AccountListOptions {
  filter?: string;
  /** Items per page (`$top`, >= 1); the iterator still returns every item. */
  top?: number;
  /** Items to skip (`$skip`, >= 1). */
  skip?: number;
  select?: string;
  orderby?: string;
  count?: boolean;
  abortSignal?: AbortSignal;
}

export interface NameAvailabilityInformation {
  nameAvailable: boolean;
  reason?: string;
  message?: string;
}
