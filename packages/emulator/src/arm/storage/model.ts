import { randomUUID } from "node:crypto";
import { badRequest } from "../arm-error.js";
import {
  enumValue,
  isObject,
  type Json,
  normalizeLocation,
  parseTags,
  requireLocation,
} from "../validation.js";
import { flatNamespaceRefused, propertyNotAllowed } from "./errors.js";

/**
 * What a client may say about a storage account (create, re-PUT, PATCH), checked before anything is stored.
 * Properties we model are type-checked; the many we do not (`encryption`, `networkAcls`, `sasPolicy`, ... and
 * whatever later api-versions add) are stored and echoed as sent. The ones the service computes
 * (`provisioningState`, endpoints, times) are never taken from a client.
 */

export const SKUS = [
  "Standard_LRS",
  "Standard_GRS",
  "Standard_RAGRS",
  "Standard_ZRS",
  "Premium_LRS",
  "Premium_ZRS",
  "Standard_GZRS",
  "Standard_RAGZRS",
] as const;
export type SkuName = (typeof SKUS)[number];

export const KINDS = ["Storage", "StorageV2", "BlobStorage", "FileStorage", "BlockBlobStorage"] as const;
export type Kind = (typeof KINDS)[number];

const IDENTITY_TYPES = ["None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"] as const;

const BOOLEANS = [
  "isHnsEnabled",
  "supportsHttpsTrafficOnly",
  "allowBlobPublicAccess",
  "allowSharedKeyAccess",
  "allowCrossTenantReplication",
  "defaultToOAuthAuthentication",
  "isSftpEnabled",
  "isLocalUserEnabled",
  "isNfsV3Enabled",
] as const;

const ENUMS: Record<string, readonly string[]> = {
  accessTier: ["Hot", "Cool", "Cold", "Premium"],
  minimumTlsVersion: ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"],
  publicNetworkAccess: ["Enabled", "Disabled", "SecuredByPerimeter"],
  largeFileSharesState: ["Disabled", "Enabled"],
  allowedCopyScope: ["PrivateLink", "AAD"],
  dnsEndpointType: ["Standard", "AzureDnsZone"],
};

/** Set by the service; what a client sends for them is ignored, as the service does. */
const COMPUTED = new Set([
  "provisioningState",
  "creationTime",
  "primaryEndpoints",
  "primaryLocation",
  "statusOfPrimary",
  "secondaryEndpoints",
  "secondaryLocation",
  "statusOfSecondary",
  "keyCreationTime",
  "lastGeoFailoverTime",
  "geoReplicationStats",
  "blobRestoreStatus",
  "failoverInProgress",
  "privateEndpointConnections",
  "storageAccountSkuConversionStatus",
  "accountMigrationInProgress",
  "isSkuConversionBlocked",
]);

/** Top-level fields with a meaning of their own here, or that only the service sets. */
const TOP_LEVEL = new Set([
  "location",
  "kind",
  "sku",
  "tags",
  "identity",
  "properties",
  "id",
  "name",
  "type",
]);

/** Bound on the stored (echoed) properties and extra fields of one account: a client cannot make the ARM database grow without limit. */
const MAX_PROPERTIES_BYTES = 64 * 1024;

export interface AccountSettings {
  location: string;
  kind: Kind;
  sku: SkuName;
  tags: Record<string, string>;
  /** As sent, with `principalId`/`tenantId` added for a system-assigned identity; null when none. */
  identity: Json | null;
  /** Client-settable properties (defaults filled in at creation), always with `isHnsEnabled: true`. */
  properties: Json;
  /** Other top-level fields a client sent (`zones`, `extendedLocation`, `placement`, ...), echoed as sent. */
  extra: Json;
}

export function tierOf(sku: SkuName): "Standard" | "Premium" {
  return sku.startsWith("Premium") ? "Premium" : "Standard";
}

/** The body of a create (no `current`) or of a PUT over an existing account (`current`): the whole new state. */
export function settingsFromPut(body: Json, current?: AccountSettings): AccountSettings {
  const location = normalizeLocation(requireLocation(body));
  if (!isObject(body.sku) || body.sku.name === undefined)
    throw badRequest(
      "InvalidRequestContent",
      "The request content is missing the required 'sku.name'.",
      "sku",
    );
  const sku = enumValue(body.sku.name, SKUS, "sku.name");
  if (body.kind === undefined || body.kind === null)
    throw badRequest("InvalidRequestContent", "The request content is missing the required 'kind'.", "kind");
  const kind = enumValue(body.kind, KINDS, "kind");
  const given = checkProperties(body.properties);
  if (!current && given.isHnsEnabled !== true) throw flatNamespaceRefused(given.isHnsEnabled);
  if (current && given.isHnsEnabled === false) throw immutableHns();
  const properties = current ? { ...current.properties, ...given } : { ...defaultsFor(kind), ...given };
  const next: AccountSettings = {
    location,
    kind,
    sku,
    tags: body.tags === undefined ? (current?.tags ?? {}) : parseTags(body.tags),
    identity:
      body.identity === undefined ? (current?.identity ?? null) : parseIdentity(body.identity, current),
    properties: { ...properties, isHnsEnabled: true },
    extra: { ...current?.extra, ...extraFields(body) },
  };
  bounded(next);
  checkCombination(next, current);
  return next;
}

/** A PATCH: what it names changes (objects such as `networkAcls` as a whole), the rest stays. */
export function settingsFromPatch(body: Json, current: AccountSettings): AccountSettings {
  if (
    body.location !== undefined &&
    (typeof body.location !== "string" || normalizeLocation(body.location) !== current.location)
  )
    throw badRequest(
      "InvalidRequestContent",
      "The location of a storage account cannot be changed.",
      "location",
    );
  const given = checkProperties(body.properties);
  if (given.isHnsEnabled === false) throw immutableHns();
  const sku =
    body.sku === undefined || body.sku === null
      ? current.sku
      : enumValue(isObject(body.sku) ? body.sku.name : undefined, SKUS, "sku.name");
  const kind =
    body.kind === undefined || body.kind === null ? current.kind : enumValue(body.kind, KINDS, "kind");
  const next: AccountSettings = {
    location: current.location,
    kind,
    sku,
    tags: body.tags === undefined ? current.tags : parseTags(body.tags),
    identity: body.identity === undefined ? current.identity : parseIdentity(body.identity, current),
    properties: { ...current.properties, ...given, isHnsEnabled: true },
    extra: { ...current.extra, ...extraFields(body) },
  };
  bounded(next);
  checkCombination(next, current);
  return next;
}

/** The service's defaults for what a create leaves out (api-version 2023-01-01 and later). */
function defaultsFor(kind: Kind): Json {
  const now = new Date().toISOString();
  const service = { enabled: true, keyType: "Account", lastEnabledTime: now };
  return {
    ...(kind === "StorageV2" ? { accessTier: "Hot" } : {}),
    minimumTlsVersion: "TLS1_2",
    allowBlobPublicAccess: false,
    supportsHttpsTrafficOnly: true,
    networkAcls: { bypass: "AzureServices", virtualNetworkRules: [], ipRules: [], defaultAction: "Allow" },
    encryption: {
      services: { file: service, blob: service },
      keySource: "Microsoft.Storage",
      requireInfrastructureEncryption: false,
    },
  };
}

function checkProperties(value: unknown): Json {
  if (value === undefined || value === null) return {};
  if (!isObject(value))
    throw badRequest("InvalidRequestContent", "'properties' must be an object.", "properties");
  const out: Json = {};
  for (const [name, v] of Object.entries(value)) {
    if (COMPUTED.has(name) || v === null || v === undefined) continue;
    const target = `properties.${name}`;
    if ((BOOLEANS as readonly string[]).includes(name) && typeof v !== "boolean")
      throw badRequest("InvalidRequestContent", `'${target}' must be true or false.`, target);
    const allowed = ENUMS[name];
    out[name] = allowed ? enumValue(v, allowed, target) : v;
  }
  return out;
}

function checkCombination(next: AccountSettings, current: AccountSettings | undefined): void {
  const tier = tierOf(next.sku);
  if (current && tierOf(current.sku) !== tier)
    throw propertyNotAllowed("sku.name", next.sku, `A ${tierOf(current.sku)} account cannot become ${tier}.`);
  if (current && current.kind !== next.kind)
    throw propertyNotAllowed(
      "kind",
      next.kind,
      `The kind of this account is ${current.kind}; it cannot change.`,
    );
  // Data Lake Storage Gen2 exists on general-purpose v2 (standard) and on premium block blob accounts only.
  const hnsCapable =
    (next.kind === "StorageV2" && tier === "Standard") ||
    (next.kind === "BlockBlobStorage" && tier === "Premium");
  if (!hnsCapable)
    throw propertyNotAllowed(
      "isHnsEnabled",
      true,
      `A hierarchical namespace needs kind StorageV2 with a Standard sku, or kind BlockBlobStorage with a Premium sku; got kind ${next.kind} with sku ${next.sku}.`,
    );
  if (next.properties.accessTier === "Premium" && tier !== "Premium")
    throw propertyNotAllowed("accessTier", "Premium", "The Premium access tier needs a Premium sku.");
}

function immutableHns() {
  return propertyNotAllowed(
    "isHnsEnabled",
    false,
    "The hierarchical namespace of an account is fixed at creation and cannot be turned off.",
  );
}

function parseIdentity(value: unknown, current: AccountSettings | undefined): Json | null {
  if (value === null) return null;
  if (!isObject(value))
    throw badRequest(
      "InvalidRequestContent",
      '\'identity\' must be an object such as {"type":"SystemAssigned"}.',
      "identity",
    );
  const type = enumValue(value.type, IDENTITY_TYPES, "identity.type");
  if (type === "None") return null;
  const identity: Json = { ...value, type };
  if (type.startsWith("SystemAssigned")) {
    // A system-assigned identity keeps its principal for the life of the account.
    const before = current?.identity;
    identity.principalId =
      isObject(before) && typeof before.principalId === "string" ? before.principalId : randomUUID();
  }
  return identity;
}

function extraFields(body: Json): Json {
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => !TOP_LEVEL.has(k) && v !== null));
}

function bounded(settings: AccountSettings): void {
  if (Buffer.byteLength(JSON.stringify([settings.properties, settings.extra])) > MAX_PROPERTIES_BYTES)
    throw badRequest(
      "InvalidRequestContent",
      `The account's properties exceed ${MAX_PROPERTIES_BYTES / 1024} KiB once stored; send fewer or smaller ones.`,
      "properties",
    );
}
