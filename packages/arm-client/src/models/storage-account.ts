/**
 * Microsoft.Storage storage accounts as Resource Manager sends them (api-version 2023-01-01; later versions add
 * optional fields, which arrive as sent). A Data Lake Storage Gen2 account is one with `isHnsEnabled: true`.
 * Enumerations list the values known at 2023-01-01 and accept others: the service adds skus and tiers over
 * time, and it, not the client, decides which are valid.
 */

/** The known `sku.name` values (2023-01-01). */
export const STORAGE_SKU_NAMES = [
  "Standard_LRS",
  "Standard_GRS",
  "Standard_RAGRS",
  "Standard_ZRS",
  "Premium_LRS",
  "Premium_ZRS",
  "Standard_GZRS",
  "Standard_RAGZRS",
] as const;
export type StorageSkuName = (typeof STORAGE_SKU_NAMES)[number];

/** The known `kind` values; a hierarchical namespace needs StorageV2 (Standard) or BlockBlobStorage (Premium). */
export const STORAGE_KINDS = [
  "Storage",
  "StorageV2",
  "BlobStorage",
  "FileStorage",
  "BlockBlobStorage",
] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

export type StorageAccessTier = "Hot" | "Cool" | "Cold" | "Premium";
export type MinimumTlsVersion = "TLS1_0" | "TLS1_1" | "TLS1_2" | "TLS1_3";
export type StorageProvisioningState = "Creating" | "ResolvingDNS" | "Succeeded";

export interface StorageSku {
  name: StorageSkuName | (string & {});
  /** Set by the service from the name. */
  readonly tier?: "Standard" | "Premium";
}

/** The service URLs of an account, each ending in `/`; only the services the account offers. */
export interface StorageEndpoints {
  /** Data Lake Storage Gen2 (DFS API). */
  dfs?: string;
  blob?: string;
  file?: string;
  queue?: string;
  table?: string;
  web?: string;
}

export interface StorageNetworkRuleSet {
  defaultAction: "Allow" | "Deny";
  bypass?: string;
  ipRules?: Array<{ value: string; action?: "Allow" }>;
  virtualNetworkRules?: Array<{ id: string; action?: "Allow"; state?: string }>;
  resourceAccessRules?: Array<{ tenantId?: string; resourceId?: string }>;
}

export interface StorageIdentity {
  type: "None" | "SystemAssigned" | "UserAssigned" | "SystemAssigned,UserAssigned";
  userAssignedIdentities?: Record<string, { readonly principalId?: string; readonly clientId?: string }>;
  readonly principalId?: string;
  readonly tenantId?: string;
}

/** The settings a caller may give at create; most can be changed later with `update`. */
export interface StorageAccountSettings {
  accessTier?: StorageAccessTier | (string & {});
  minimumTlsVersion?: MinimumTlsVersion | (string & {});
  allowBlobPublicAccess?: boolean;
  /** False forces Entra ID on the data plane: listKeys still works, the keys no longer do. */
  allowSharedKeyAccess?: boolean;
  supportsHttpsTrafficOnly?: boolean;
  defaultToOAuthAuthentication?: boolean;
  publicNetworkAccess?: "Enabled" | "Disabled" | (string & {});
  networkAcls?: StorageNetworkRuleSet;
  isSftpEnabled?: boolean;
  isLocalUserEnabled?: boolean;
  /** Any other property of the api-version in use, sent as given. */
  [property: string]: unknown;
}

export interface StorageAccountProperties extends StorageAccountSettings {
  readonly provisioningState?: StorageProvisioningState | (string & {});
  /** Data Lake Storage Gen2: fixed at creation. */
  isHnsEnabled?: boolean;
  isNfsV3Enabled?: boolean;
  /** Present once provisioning has succeeded. */
  readonly primaryEndpoints?: StorageEndpoints;
  readonly primaryLocation?: string;
  readonly statusOfPrimary?: "available" | "unavailable";
  readonly secondaryEndpoints?: StorageEndpoints;
  readonly secondaryLocation?: string;
  readonly statusOfSecondary?: "available" | "unavailable";
  /** ISO-8601. */
  readonly creationTime?: string;
  /** When each key was last (re)generated, ISO-8601. */
  readonly keyCreationTime?: { key1?: string; key2?: string };
}

/** A storage account as create, get, list and update return it. It never contains a key. */
export interface StorageAccount {
  readonly id: string;
  readonly name: string;
  readonly type: "Microsoft.Storage/storageAccounts" | (string & {});
  location: string;
  kind: StorageKind | (string & {});
  sku: StorageSku;
  tags?: Record<string, string>;
  identity?: StorageIdentity;
  properties: StorageAccountProperties;
}

/** Body of `storageAccounts.beginCreate` (a PUT: creates, or updates an account that exists in this group). */
export interface CreateStorageAccountParameters {
  /** Region, e.g. `eastus2`. Required. */
  location: string;
  /** Required; `StorageV2` for Data Lake Storage Gen2 on a Standard sku. */
  kind: StorageKind | (string & {});
  /** Required, e.g. `{ name: "Standard_LRS" }`. */
  sku: { name: StorageSkuName | (string & {}) };
  tags?: Record<string, string>;
  identity?: StorageIdentity;
  properties?: StorageAccountSettings & {
    /** True for Data Lake Storage Gen2 (a hierarchical namespace); cannot change later. */
    isHnsEnabled?: boolean;
    isNfsV3Enabled?: boolean;
  };
}

/** Body of `storageAccounts.update` (a PATCH): what it names changes; `tags` replace the whole map. */
export interface UpdateStorageAccountParameters {
  tags?: Record<string, string>;
  /** The same tier only (Standard ↔ Premium is refused by the service). */
  sku?: { name: StorageSkuName | (string & {}) };
  /** Only `Storage` or `BlobStorage` to `StorageV2` (an upgrade); refused otherwise by the service. */
  kind?: StorageKind | (string & {});
  identity?: StorageIdentity;
  properties?: StorageAccountSettings;
}

export interface StorageListKeysOptions {
  /** `kerb` also lists the Kerberos keys of Azure Files AD authentication (`kerb1`, `kerb2`) where enabled. */
  expand?: "kerb";
  abortSignal?: AbortSignal;
}

/** `key1`, `key2`, or for Azure Files AD authentication `kerb1`, `kerb2`. */
export type StorageAccountKeyName = "key1" | "key2" | "kerb1" | "kerb2";

export interface StorageNameAvailability {
  nameAvailable: boolean;
  reason?: "AccountNameInvalid" | "AlreadyExists" | (string & {});
  message?: string;
}
