import { STORAGE_NAMESPACE, storageOperationsList } from "./storage/catalog.js";

/**
 * Fixed facts of the emulated Microsoft.DataLakeStore provider: its operations list (as recorded from the
 * real RP, `GET /providers/Microsoft.DataLakeStore/operations`), its resource types and its account quota;
 * and which provider namespaces the emulator serves (Microsoft.Storage's facts are in storage/catalog.ts).
 */

/** Accounts one subscription may have per location; reported by `capability` and `usages`, enforced on create. */
export const MAX_ACCOUNTS_PER_LOCATION = 250;

export const DATALAKE_NAMESPACE = "Microsoft.DataLakeStore";

/** Resource types the provider registers (the `resourceTypes` of `GET .../providers/Microsoft.DataLakeStore`). */
export const RESOURCE_TYPES = [
  "accounts",
  "accounts/firewallRules",
  "accounts/virtualNetworkRules",
  "accounts/trustedIdProviders",
  "operations",
  "locations",
  "locations/operationresults",
  "locations/checkNameAvailability",
  "locations/capability",
  "locations/usages",
] as const;

/** The api-version our models are (and every resource type is served in). */
export const CURRENT_API_VERSION = "2016-11-01";
/**
 * The first version, which older SDKs still send (azure-arm-datalake-store 0.4.x for Node was the last built on
 * it). Same shapes as 2016-11-01 where they agree; it had accounts and firewall rules, but not yet trusted
 * identity providers, virtual network rules, the location queries or the operations list.
 */
export const PREVIEW_API_VERSION = "2015-10-01-preview";
const NOT_IN_PREVIEW = new Set([
  "accounts/trustedidproviders",
  "accounts/virtualnetworkrules",
  "locations/checknameavailability",
  "locations/capability",
  "locations/usages",
  "operations",
]);

/**
 * The api-versions a resource type (`accounts`, `accounts/firewallRules`, `locations/operationresults`, ...) is
 * served in, newest first, as the provider lists them.
 */
export function apiVersionsOf(type: string): string[] {
  return NOT_IN_PREVIEW.has(type.toLowerCase())
    ? [CURRENT_API_VERSION]
    : [CURRENT_API_VERSION, PREVIEW_API_VERSION];
}

const PROVIDER = "Microsoft DataLakeStore";

type Entry = [name: string, resource: string, operation: string, description: string];

const ENTRIES: Entry[] = [
  [
    "operations/read",
    "Available Operations",
    "Get Available Operations",
    "Get available operations of DataLakeStore.",
  ],
  ["register/action", "Registration", "Register to DataLakeStore", "Register subscription to DataLakeStore."],
  [
    "accounts/read",
    "Data Lake Store account",
    "Get Data Lake Store Account",
    "Get information about an existing DataLakeStore account.",
  ],
  [
    "accounts/write",
    "Data Lake Store account",
    "Create or Update Data Lake Store Account",
    "Create a new DataLakeStore account, or Update an existing DataLakeStore account.",
  ],
  [
    "accounts/delete",
    "Data Lake Store account",
    "Delete Data Lake Store Account",
    "Delete an existing DataLakeStore account.",
  ],
  [
    "accounts/enableKeyVault/action",
    "Data Lake Store account",
    "Enable Key Vault for Data Lake Store Account",
    "Enable KeyVault for a DataLakeStore account.",
  ],
  [
    "accounts/Superuser/action",
    "Data Lake Store account",
    "Grant Superuser on Data Lake Store Account",
    "Grant Superuser on Data Lake Store when granted with Microsoft.Authorization/roleAssignments/write.",
  ],
  [
    "accounts/operationResults/read",
    "Operation Result",
    "Get Data Lake Store Account OperationResult",
    "Get result of a DataLakeStore account operation.",
  ],
  [
    "accounts/firewallRules/read",
    "Firewall Rule",
    "Get Firewall Rule",
    "Get information about a firewall rule.",
  ],
  [
    "accounts/firewallRules/write",
    "Firewall Rule",
    "Create or Update Firewall Rule",
    "Create or update a firewall rule.",
  ],
  ["accounts/firewallRules/delete", "Firewall Rule", "Delete Firewall Rule", "Delete a firewall rule."],
  [
    "accounts/virtualNetworkRules/read",
    "Virtual Network Rules",
    "Get Virtual Network Rule",
    "Get information about a virtual network rule.",
  ],
  [
    "accounts/virtualNetworkRules/write",
    "Virtual Network Rules",
    "Create or Update Virtual Network Rule",
    "Create or update a virtual network rule.",
  ],
  [
    "accounts/virtualNetworkRules/delete",
    "Virtual Network Rules",
    "Delete Virtual Network Rule",
    "Delete a virtual network rule.",
  ],
  [
    "accounts/trustedIdProviders/read",
    "Trusted IdProvider",
    "Get Trusted Identity Provider",
    "Get information about a trusted identity provider.",
  ],
  [
    "accounts/trustedIdProviders/write",
    "Trusted IdProvider",
    "Create or Update Trusted Identity Provider",
    "Create or update a trusted identity provider.",
  ],
  [
    "accounts/trustedIdProviders/delete",
    "Trusted IdProvider",
    "Delete Trusted Identity Provider",
    "Delete a trusted identity provider.",
  ],
  [
    "accounts/shares/read",
    "Data Lake Store Share",
    "Get Data Lake Store Shares",
    "Get information about a share.",
  ],
  [
    "accounts/shares/write",
    "Data Lake Store Share",
    "Create or Update Data Lake Store Share",
    "Create or update a share.",
  ],
  ["accounts/shares/delete", "Data Lake Store Share", "Delete Data Lake Store Share", "Delete a share."],
  ["accounts/eventGridFilters/read", "EventGrid Filter", "Get EventGrid Filter", "Get an EventGrid Filter."],
  [
    "accounts/eventGridFilters/write",
    "EventGrid Filter",
    "Create or Update EventGrid Filter",
    "Create or update an EventGrid Filter.",
  ],
  [
    "accounts/eventGridFilters/delete",
    "EventGrid Filter",
    "Delete EventGrid Filter",
    "Delete an EventGrid Filter.",
  ],
  [
    "locations/capability/read",
    "Subscription Capability",
    "Get Data Lake Store Subscription Capability",
    "Get capability information of a subscription regarding using DataLakeStore.",
  ],
  [
    "locations/usages/read",
    "Usage",
    "Get Quota Usage",
    "Get resource usage information of a subscription regarding using DataLakeStore.",
  ],
  [
    "locations/checkNameAvailability/action",
    "Name Availability",
    "Check Data Lake Store Account Name Availability",
    "Check availability of a DataLakeStore account name.",
  ],
  [
    "locations/operationResults/read",
    "Operation Result",
    "Get Data Lake Store Account OperationResult",
    "Get result of a DataLakeStore account operation.",
  ],
  [
    "locations/deleteVirtualNetworkOrSubnets/action",
    "Virtual Network Or Subnets",
    "Delete Virtual Network Or Subnets",
    "Delete Virtual Network or Subnets across DataLakeStore Accounts.",
  ],
];

const SYSTEM_ENTRIES: Entry[] = [
  [
    "accounts/providers/Microsoft.Insights/metricDefinitions/read",
    "Data Lake Store account",
    "Get Data Lake Store Account metric definitions",
    "Get the available metrics for the DataLakeStore account.",
  ],
  [
    "accounts/providers/Microsoft.Insights/logDefinitions/read",
    "Data Lake Store account",
    "Get Data Lake Store Account log definitions",
    "Get the available logs for the DataLakeStore account.",
  ],
  [
    "accounts/providers/Microsoft.Insights/diagnosticSettings/read",
    "Data Lake Store account",
    "Get Diagnostic Setting",
    "Get the diagnostic settings for the DataLakeStore account.",
  ],
  [
    "accounts/providers/Microsoft.Insights/diagnosticSettings/write",
    "Data Lake Store account",
    "Set Diagnostic Setting",
    "Create or update the diagnostic settings for the DataLakeStore account.",
  ],
];

/** The `OperationListResult` body. */
export function operationsList(): { value: Array<Record<string, unknown>> } {
  const render = ([name, resource, operation, description]: Entry, origin?: string) => ({
    name: `${DATALAKE_NAMESPACE}/${name}`,
    display: { provider: PROVIDER, resource, operation, description },
    ...(origin ? { origin } : {}),
  });
  return { value: [...ENTRIES.map((e) => render(e)), ...SYSTEM_ENTRIES.map((e) => render(e, "system"))] };
}

/** The provider namespaces the emulator serves, in their canonical spelling. */
export const SERVED_NAMESPACES = [DATALAKE_NAMESPACE, STORAGE_NAMESPACE] as const;

/** The canonical spelling of a served namespace, or undefined (namespaces match case-insensitively). */
export function servedNamespace(namespace: string): (typeof SERVED_NAMESPACES)[number] | undefined {
  return SERVED_NAMESPACES.find((n) => n.toLowerCase() === namespace.toLowerCase());
}

/** `GET /providers/{namespace}/operations` of a served namespace. */
export function operationsListOf(namespace: (typeof SERVED_NAMESPACES)[number]): {
  value: Array<Record<string, unknown>>;
} {
  return namespace === STORAGE_NAMESPACE ? storageOperationsList() : operationsList();
}
