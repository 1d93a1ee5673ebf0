/**
 * Fixed facts of the emulated Microsoft.Storage provider: its api-versions, resource types, operations list
 * and account quota. Only storage accounts are served (Data Lake Storage Gen2: hierarchical namespace on).
 */

export const STORAGE_NAMESPACE = "Microsoft.Storage";
export const STORAGE_ACCOUNT_TYPE = "Microsoft.Storage/storageAccounts";

/**
 * The oldest api-version served. Every version from it up to today is answered with the 2023-01-01 shapes:
 * later versions only add optional fields, and the properties a client sends that we do not model are stored
 * and echoed. Older versions differ (no `isHnsEnabled` before 2018, other defaults) and are refused.
 */
export const OLDEST_STORAGE_API_VERSION = "2021-01-01";

/**
 * The versions the official SDKs send and our tests exercise, newest first, as the provider resource lists
 * them: `@azure/arm-storage` 21 (2026-09-01), `azure-mgmt-storage` 21 and az 2.45 (2022-09-01), the
 * reference's 2023-01-01 and the released Python SDK's newer default 2024-01-01.
 */
export const TESTED_STORAGE_API_VERSIONS = ["2026-09-01", "2024-01-01", "2023-01-01", "2022-09-01"] as const;

/** Storage accounts a subscription may have per location (Azure's default limit), enforced on create. */
export const MAX_STORAGE_ACCOUNTS_PER_LOCATION = 250;

/** Resource types the provider registers (`GET .../providers/Microsoft.Storage`). */
export const STORAGE_RESOURCE_TYPES = [
  "storageAccounts",
  "operations",
  "checkNameAvailability",
  "locations",
  "locations/asyncoperations",
] as const;

type Entry = [name: string, resource: string, operation: string, description: string];

const ENTRIES: Entry[] = [
  [
    "operations/read",
    "Available Operations",
    "List Operations",
    "Lists the operations the Storage resource provider supports.",
  ],
  [
    "register/action",
    "Storage Resource Provider",
    "Registers the Storage Resource Provider",
    "Registers the subscription for the storage resource provider and enables the creation of storage accounts.",
  ],
  [
    "checknameavailability/read",
    "Name Availability",
    "Check Name Availability",
    "Checks that account name is valid and is not in use.",
  ],
  [
    "locations/asyncoperations/read",
    "Location",
    "Get Async Operation Status",
    "Gets the status of an asynchronous operation.",
  ],
  [
    "storageAccounts/read",
    "Storage Accounts",
    "List/Get Storage Account(s)",
    "Returns the list of storage accounts or gets the properties for the specified storage account.",
  ],
  [
    "storageAccounts/write",
    "Storage Accounts",
    "Create/Update Storage Account",
    "Creates a storage account with the specified parameters or update the properties or tags or adds custom domain for the specified storage account.",
  ],
  [
    "storageAccounts/delete",
    "Storage Accounts",
    "Delete Storage Account",
    "Deletes an existing storage account.",
  ],
  [
    "storageAccounts/listkeys/action",
    "Storage Accounts",
    "List Storage Account Keys",
    "Returns the access keys for the specified storage account.",
  ],
  [
    "storageAccounts/regeneratekey/action",
    "Storage Accounts",
    "Regenerate Storage Account Keys",
    "Regenerates the access keys for the specified storage account.",
  ],
];

/** The `OperationListResult` body of `GET /providers/Microsoft.Storage/operations`. */
export function storageOperationsList(): { value: Array<Record<string, unknown>> } {
  return {
    value: ENTRIES.map(([name, resource, operation, description]) => ({
      name: `${STORAGE_NAMESPACE}/${name}`,
      display: { provider: "Microsoft Storage", resource, operation, description },
    })),
  };
}
