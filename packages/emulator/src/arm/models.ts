/** The rows Resource Manager keeps in DIR/arm.db (store.ts reads and writes them). */

/** A resource group. `key` is the lower-cased name (ARM compares names case-insensitively). */
export interface GroupRow {
  subscription: string;
  key: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  managedBy: string | null;
  state: "Succeeded" | "Deleting";
}

export interface AccountIdentity {
  type: "SystemAssigned";
  principalId: string;
  tenantId: string;
}

/** The account settings a client can set (create, replace, update); rules live in their own table. */
export interface AccountSettings {
  defaultGroup?: string;
  encryptionState: "Enabled" | "Disabled";
  encryptionConfig?: {
    type: "UserManaged" | "ServiceManaged";
    keyVaultMetaInfo?: {
      keyVaultResourceId: string;
      encryptionKeyName: string;
      encryptionKeyVersion: string;
    };
  };
  /** Only for user-managed keys: `Creating` until Key Vault access is enabled, then `Succeeded`. */
  encryptionProvisioningState?: "Creating" | "Succeeded";
  firewallState: "Enabled" | "Disabled";
  firewallAllowAzureIps: "Enabled" | "Disabled";
  trustedIdProviderState: "Enabled" | "Disabled";
  newTier: string;
  currentTier: string;
}

export interface AccountRow {
  /** Lower-case name: the global key (account names are DNS labels, unique across subscriptions). */
  key: string;
  name: string;
  subscription: string;
  groupKey: string;
  location: string;
  tags: Record<string, string>;
  identity: AccountIdentity | null;
  settings: AccountSettings;
  state: "Creating" | "Succeeded" | "Failed";
  accountId: string;
  /** Object id of the principal that created the account: it owns the filesystem root. */
  creator: string;
  createdAt: string | null;
  modifiedAt: string | null;
}

export type RuleKind = "firewallRules" | "virtualNetworkRules" | "trustedIdProviders";

export interface RuleRow {
  accountKey: string;
  kind: RuleKind;
  key: string;
  name: string;
  properties: Record<string, string>;
}

export interface OperationRow {
  id: string;
  subscription: string;
  kind: "accountCreate" | "groupDelete" | "storageAccountCreate";
  /** Identifies the operation behind a `Location` URL (which does not carry the operation id). */
  locationKey: string;
  target: Record<string, string>;
  status: "InProgress" | "Succeeded" | "Failed" | "Canceled";
  pollsRemaining: number;
  /** Epoch ms after which the operation completes even if nobody polls it. */
  deadline: number;
  error: { code: string; message: string } | null;
  /** A failure injected when the operation started (`fail-operation` fault): how it will end. */
  failWith: { code: string; message: string } | null;
  startedAt: string;
  endedAt: string | null;
}
