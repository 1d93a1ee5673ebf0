import type { RequestContext } from "../http/context.js";
import { badRequest } from "./arm-error.js";
import type { AccountRow, AccountSettings } from "./models.js";
import { RULE_KINDS } from "./rule-kinds.js";
import type { ArmStore } from "./store.js";
import { enumValue, isObject, type Json, requireString } from "./validation.js";

export const ACCOUNT_TYPE = "Microsoft.DataLakeStore/accounts";
const ON_OFF = ["Enabled", "Disabled"] as const;
export const TIERS = [
  "Consumption",
  "Commitment_1TB",
  "Commitment_10TB",
  "Commitment_100TB",
  "Commitment_500TB",
  "Commitment_1PB",
  "Commitment_5PB",
] as const;

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.DataLakeStore/accounts/{name}` (not URL-encoded). */
export function accountId(row: AccountRow, groupName: string): string {
  return `/subscriptions/${row.subscription}/resourceGroups/${groupName}/providers/${ACCOUNT_TYPE}/${row.name}`;
}

/** Where the account's filesystem answers: `{name}.{suffix}`, a host our clients can reach. */
export function endpointOf(ctx: RequestContext, name: string): string {
  const configured = ctx.services.config.fsDnsSuffix;
  if (configured) return `${name}.${configured}`;
  const port = new URL(ctx.baseUrl).port;
  return `${name}.localhost${port ? `:${port}` : ""}`;
}

/**
 * Settings of a create, or of a PUT over an existing account (`existing`): there, what the body leaves out
 * keeps its value (as rule arrays do), and the encryption chosen at creation cannot change.
 */
export function settingsFromCreate(
  properties: Json,
  hasIdentity: boolean,
  existing?: AccountSettings,
): AccountSettings {
  const encryptionState =
    properties.encryptionState === undefined
      ? (existing?.encryptionState ?? "Enabled")
      : enumValue(properties.encryptionState, ON_OFF, "properties.encryptionState");
  let encryptionConfig = parseEncryptionConfig(properties.encryptionConfig, hasIdentity);
  if (encryptionState === "Disabled" && encryptionConfig) {
    throw badRequest(
      "InvalidEncryptionConfig",
      "'properties.encryptionConfig' cannot be given when 'properties.encryptionState' is Disabled.",
      "properties.encryptionConfig",
    );
  }
  if (encryptionState === "Enabled")
    encryptionConfig ??= existing?.encryptionConfig ?? { type: "ServiceManaged" };
  if (
    existing &&
    (existing.encryptionState !== encryptionState ||
      existing.encryptionConfig?.type !== encryptionConfig?.type)
  ) {
    throw badRequest(
      "InvalidEncryptionConfig",
      "The encryption state and encryption type of an account are fixed at creation; only the key version of user-managed encryption can be rotated (with an update).",
      "properties.encryptionConfig",
    );
  }
  const newTier =
    properties.newTier === undefined
      ? (existing?.newTier ?? "Consumption")
      : enumValue(properties.newTier, TIERS, "properties.newTier");
  const settings: AccountSettings = {
    encryptionState,
    firewallState:
      optionalEnum(properties.firewallState, "properties.firewallState") ??
      existing?.firewallState ??
      "Disabled",
    firewallAllowAzureIps:
      optionalEnum(properties.firewallAllowAzureIps, "properties.firewallAllowAzureIps") ??
      existing?.firewallAllowAzureIps ??
      "Disabled",
    trustedIdProviderState:
      optionalEnum(properties.trustedIdProviderState, "properties.trustedIdProviderState") ??
      existing?.trustedIdProviderState ??
      "Disabled",
    newTier,
    // A commitment change takes effect at the next billing period, so the current tier only follows at creation.
    currentTier: existing?.currentTier ?? newTier,
  };
  if (encryptionConfig) settings.encryptionConfig = encryptionConfig;
  if (encryptionConfig?.type === "UserManaged") {
    // User-managed keys work only once Key Vault access is enabled (POST enableKeyVault).
    settings.encryptionProvisioningState = existing?.encryptionProvisioningState ?? "Creating";
  }
  if (properties.defaultGroup !== undefined)
    settings.defaultGroup = requireString(properties.defaultGroup, "properties.defaultGroup", 256);
  else if (existing?.defaultGroup) settings.defaultGroup = existing.defaultGroup;
  return settings;
}

/** Applies the settings of an update (PATCH); rule arrays are handled by the caller. */
export function applySettingsUpdate(settings: AccountSettings, properties: Json): AccountSettings {
  const next: AccountSettings = { ...settings };
  if (properties.defaultGroup !== undefined)
    next.defaultGroup = requireString(properties.defaultGroup, "properties.defaultGroup", 256);
  for (const field of ["firewallState", "firewallAllowAzureIps", "trustedIdProviderState"] as const) {
    const value = optionalEnum(properties[field], `properties.${field}`);
    if (value) next[field] = value;
  }
  if (properties.newTier !== undefined)
    next.newTier = enumValue(properties.newTier, TIERS, "properties.newTier");
  if (
    properties.encryptionState !== undefined &&
    enumValue(properties.encryptionState, ON_OFF, "properties.encryptionState") !== settings.encryptionState
  ) {
    throw badRequest(
      "InvalidEncryptionConfig",
      "The encryption state of an account cannot be changed after creation.",
      "properties.encryptionState",
    );
  }
  if (properties.encryptionConfig !== undefined) {
    const config = properties.encryptionConfig;
    const version =
      isObject(config) && isObject(config.keyVaultMetaInfo)
        ? config.keyVaultMetaInfo.encryptionKeyVersion
        : undefined;
    if (
      !isObject(config) ||
      (config.type !== undefined && config.type !== settings.encryptionConfig?.type) ||
      version === undefined
    ) {
      throw badRequest(
        "InvalidEncryptionConfig",
        "An update can only rotate the key: send properties.encryptionConfig.keyVaultMetaInfo.encryptionKeyVersion.",
        "properties.encryptionConfig",
      );
    }
    const current = settings.encryptionConfig;
    if (current?.type !== "UserManaged" || !current.keyVaultMetaInfo) {
      throw badRequest(
        "InvalidEncryptionConfig",
        "Only accounts with user-managed encryption have a key version to rotate.",
        "properties.encryptionConfig",
      );
    }
    const encryptionKeyVersion = requireString(
      version,
      "properties.encryptionConfig.keyVaultMetaInfo.encryptionKeyVersion",
      256,
    );
    next.encryptionConfig = {
      type: "UserManaged",
      keyVaultMetaInfo: { ...current.keyVaultMetaInfo, encryptionKeyVersion },
    };
  }
  return next;
}

function optionalEnum(value: unknown, target: string): "Enabled" | "Disabled" | undefined {
  return value === undefined || value === null ? undefined : enumValue(value, ON_OFF, target);
}

function parseEncryptionConfig(value: unknown, hasIdentity: boolean): AccountSettings["encryptionConfig"] {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    throw badRequest(
      "InvalidEncryptionConfig",
      "'properties.encryptionConfig' must be an object.",
      "properties.encryptionConfig",
    );
  const type = enumValue(
    value.type,
    ["UserManaged", "ServiceManaged"] as const,
    "properties.encryptionConfig.type",
  );
  if (type === "ServiceManaged") {
    if (value.keyVaultMetaInfo !== undefined && value.keyVaultMetaInfo !== null) {
      throw badRequest(
        "InvalidEncryptionConfig",
        "'keyVaultMetaInfo' is only valid with UserManaged encryption.",
        "properties.encryptionConfig.keyVaultMetaInfo",
      );
    }
    return { type };
  }
  if (!hasIdentity) {
    throw badRequest(
      "InvalidEncryptionConfig",
      'UserManaged encryption needs the account identity ({"identity":{"type":"SystemAssigned"}}) to reach the Key Vault.',
      "identity",
    );
  }
  const info = value.keyVaultMetaInfo;
  if (!isObject(info)) {
    throw badRequest(
      "InvalidEncryptionConfig",
      "UserManaged encryption requires 'keyVaultMetaInfo'.",
      "properties.encryptionConfig.keyVaultMetaInfo",
    );
  }
  const at = "properties.encryptionConfig.keyVaultMetaInfo";
  return {
    type,
    keyVaultMetaInfo: {
      keyVaultResourceId: requireString(info.keyVaultResourceId, `${at}.keyVaultResourceId`),
      encryptionKeyName: requireString(info.encryptionKeyName, `${at}.encryptionKeyName`, 256),
      encryptionKeyVersion: requireString(info.encryptionKeyVersion, `${at}.encryptionKeyVersion`, 256),
    },
  };
}

/** The full `DataLakeStoreAccount` (GET, PUT, PATCH answers). */
export function renderAccount(
  ctx: RequestContext,
  store: ArmStore,
  row: AccountRow,
  groupName: string,
): Json {
  const s = row.settings;
  const encryption = {
    encryptionState: s.encryptionState,
    ...(s.encryptionConfig ? { encryptionConfig: s.encryptionConfig } : {}),
  };
  let properties: Json;
  if (row.state !== "Succeeded") {
    // What the real RP shows until provisioning has finished: no state, no endpoint yet.
    properties = {
      ...encryption,
      provisioningState: row.state,
      state: null,
      endpoint: null,
      accountId: row.accountId,
    };
  } else {
    const embedded: Json = {};
    for (const kind of RULE_KINDS) {
      embedded[kind.kind] = store.rules(row.key, kind.kind).map((rule) => ({
        properties: kind.render(rule.properties, false),
        id: `${accountId(row, groupName)}/${kind.kind}/${rule.name}`,
        name: rule.name,
        type: kind.type,
      }));
    }
    properties = {
      firewallState: s.firewallState,
      firewallAllowAzureIps: s.firewallAllowAzureIps,
      firewallAllowDataLakeAnalytics: "Disabled",
      firewallRules: embedded.firewallRules,
      virtualNetworkRules: embedded.virtualNetworkRules,
      trustedIdProviderState: s.trustedIdProviderState,
      trustedIdProviders: embedded.trustedIdProviders,
      ...(s.defaultGroup ? { defaultGroup: s.defaultGroup } : {}),
      ...encryption,
      ...(s.encryptionProvisioningState
        ? { encryptionProvisioningState: s.encryptionProvisioningState }
        : {}),
      currentTier: s.currentTier,
      newTier: s.newTier,
      dataLakePerformanceTierState: "Disabled",
      provisioningState: "Succeeded",
      state: "Active",
      endpoint: endpointOf(ctx, row.name),
      accountId: row.accountId,
      creationTime: row.createdAt,
      lastModifiedTime: row.modifiedAt,
    };
  }
  return {
    properties,
    location: row.location,
    tags: row.tags,
    ...(row.identity ? { identity: row.identity } : {}),
    id: accountId(row, groupName),
    name: row.name,
    type: ACCOUNT_TYPE,
  };
}

/** `DataLakeStoreAccountBasic`, what lists return. */
export function renderBasic(ctx: RequestContext, row: AccountRow, groupName: string): Json {
  const done = row.state === "Succeeded";
  return {
    properties: {
      accountId: row.accountId,
      provisioningState: row.state,
      state: done ? "Active" : null,
      creationTime: row.createdAt,
      lastModifiedTime: row.modifiedAt,
      endpoint: done ? endpointOf(ctx, row.name) : null,
    },
    location: row.location,
    tags: row.tags,
    id: accountId(row, groupName),
    name: row.name,
    type: ACCOUNT_TYPE,
  };
}
