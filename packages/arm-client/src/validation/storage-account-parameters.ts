import { STORAGE_KINDS, STORAGE_SKU_NAMES } from "../models/storage-account.js";
import * as v from "./validate.js";

/**
 * Checks of storage account bodies before anything is sent: shapes and types, and what can never be sent
 * (a location or hierarchical namespace change in an update). Enumeration values are left to the service, which
 * adds skus and tiers over time; the client's messages name the known ones.
 */

const IDENTITY_TYPES = ["None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"];
const BOOLEAN_SETTINGS = [
  "allowBlobPublicAccess",
  "allowSharedKeyAccess",
  "supportsHttpsTrafficOnly",
  "defaultToOAuthAuthentication",
  "isSftpEnabled",
  "isLocalUserEnabled",
];
const STRING_SETTINGS = ["accessTier", "minimumTlsVersion", "publicNetworkAccess"];

export function validateStorageCreate(parameters: unknown): void {
  const p = v.object(parameters, "parameters");
  v.location(p.location);
  kind(p.kind, true);
  sku(p.sku, true);
  v.tags(p.tags, "parameters.tags");
  identity(p.identity);
  const props = settings(p.properties);
  if (props) {
    v.optionalBoolean(props.isHnsEnabled, "parameters.properties.isHnsEnabled");
    v.optionalBoolean(props.isNfsV3Enabled, "parameters.properties.isNfsV3Enabled");
  }
}

export function validateStorageUpdate(parameters: unknown): void {
  const p = v.object(parameters, "parameters");
  if (p.location !== undefined)
    v.fail("parameters.location", "cannot change: a storage account stays in the region it was created in.");
  kind(p.kind, false);
  sku(p.sku, false);
  v.tags(p.tags, "parameters.tags");
  identity(p.identity);
  const props = settings(p.properties);
  for (const fixed of ["isHnsEnabled", "isNfsV3Enabled"]) {
    if (props?.[fixed] !== undefined)
      v.fail(
        `parameters.properties.${fixed}`,
        "is fixed at creation; an update does not take it (turning a namespace on is a separate migration).",
      );
  }
}

function kind(value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== "string" || !value.trim())
    v.fail(
      "parameters.kind",
      `is required: one of ${STORAGE_KINDS.join(", ")} (StorageV2 for Data Lake Storage Gen2).`,
    );
}

function sku(value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  const name = (value as { name?: unknown } | null | undefined)?.name;
  if (typeof value !== "object" || value === null || typeof name !== "string" || !name.trim())
    v.fail(
      "parameters.sku",
      `needs a name, e.g. { name: "Standard_LRS" }; known: ${STORAGE_SKU_NAMES.join(", ")}.`,
    );
}

function identity(value: unknown): void {
  const id = v.optionalObject(value, "parameters.identity");
  if (id && !IDENTITY_TYPES.includes(id.type as string))
    v.fail("parameters.identity.type", `must be one of ${IDENTITY_TYPES.join(", ")}.`);
}

function settings(value: unknown): Record<string, unknown> | undefined {
  const props = v.optionalObject(value, "parameters.properties");
  if (!props) return undefined;
  for (const key of BOOLEAN_SETTINGS) v.optionalBoolean(props[key], `parameters.properties.${key}`);
  for (const key of STRING_SETTINGS) v.optionalString(props[key], `parameters.properties.${key}`);
  const acls = v.optionalObject(props.networkAcls, "parameters.properties.networkAcls");
  if (acls) v.oneOf(acls.defaultAction, ["Allow", "Deny"], "parameters.properties.networkAcls.defaultAction");
  return props;
}
