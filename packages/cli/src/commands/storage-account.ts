import type {
  CreateStorageAccountParameters,
  StorageAccount,
  UpdateStorageAccountParameters,
} from "@adlkit/arm-client";
import type { Context } from "../context.js";
import { CliError, UsageError } from "../errors.js";
import { type Column, type Field, list as listResult, type Result } from "../result.js";
import { field, follow, groupOf, requireYes, resourceExists, tagsText } from "./arm-helpers.js";

/** `adl storage-account …`: Microsoft.Storage accounts, as `adl account` does Data Lake Store Gen1 ones. */

const FIELDS: Field[] = [
  field("name", "name"),
  { label: "resource group", get: (d) => groupOf(d.id) },
  field("location", "location"),
  field("state", "properties.provisioningState"),
  field("kind", "kind"),
  field("sku", "sku.name"),
  {
    label: "hierarchical namespace",
    get: (d) =>
      (d.properties as { isHnsEnabled?: boolean } | undefined)?.isHnsEnabled ? "yes (Gen2)" : "no",
  },
  field("dfs endpoint", "properties.primaryEndpoints.dfs"),
  field("blob endpoint", "properties.primaryEndpoints.blob"),
  field("access tier", "properties.accessTier"),
  field("minimum TLS", "properties.minimumTlsVersion"),
  field("shared key access", "properties.allowSharedKeyAccess"),
  field("public network access", "properties.publicNetworkAccess"),
  field("created", "properties.creationTime"),
  { label: "tags", get: (d) => tagsText(d.tags) },
  field("id", "id"),
];

const COLUMNS: Column<StorageAccount>[] = [
  { header: "NAME", get: (a) => a.name, style: () => "bold" },
  { header: "RESOURCE GROUP", get: (a) => groupOf(a.id) },
  { header: "LOCATION", get: (a) => a.location },
  { header: "STATE", get: (a) => a.properties?.provisioningState },
  { header: "KIND", get: (a) => a.kind },
  { header: "SKU", get: (a) => a.sku?.name },
  { header: "HNS", get: (a) => (a.properties?.isHnsEnabled ? "yes" : "no") },
];

interface CreateOptions {
  name: string;
  resourceGroup: string;
  location: string;
  sku: string;
  kind: string;
  accessTier?: string;
  hns: boolean;
  tag?: Record<string, string>;
  wait: boolean;
  force?: boolean;
}

export async function create(options: CreateOptions, ctx: Context): Promise<Result> {
  const arm = await ctx.arm();
  // Creating over an existing account replaces its settings and tags (a PUT): only with --force.
  if (
    !options.force &&
    (await resourceExists(() =>
      arm.storageAccounts.get(options.resourceGroup, options.name, { abortSignal: ctx.signal }),
    ))
  ) {
    throw new CliError(
      `storage account ${options.name} already exists in resource group ${options.resourceGroup}`,
      {
        code: "ACCOUNT_EXISTS",
        hint: `Change it with \`adl storage-account update ${options.name} -g ${options.resourceGroup}\`; --force replaces its settings and tags with the ones given here.`,
      },
    );
  }
  const parameters: CreateStorageAccountParameters = {
    location: options.location,
    kind: options.kind,
    sku: { name: options.sku },
    ...(options.tag ? { tags: options.tag } : {}),
    properties: {
      isHnsEnabled: options.hns,
      ...(options.accessTier ? { accessTier: options.accessTier } : {}),
    },
  };
  const poller = arm.storageAccounts.beginCreate(options.resourceGroup, options.name, parameters, {
    abortSignal: ctx.signal,
  });
  const outcome = await follow(poller, ctx, {
    wait: options.wait,
    label: `Creating storage account ${options.name}`,
  }).catch((err: unknown) => {
    throw options.hns ? err : flatRefused(err);
  });
  if (!outcome.done) {
    return {
      kind: "message",
      message: `Creation of storage account ${options.name} accepted (${outcome.status}); check with \`adl storage-account show ${options.name} -g ${options.resourceGroup}\`.`,
      data: { name: options.name, resourceGroup: options.resourceGroup, status: outcome.status },
    };
  }
  return {
    kind: "record",
    data: outcome.result as unknown as Record<string, unknown>,
    fields: FIELDS,
    message: `Storage account ${options.name} is ready${options.hns ? `: its filesystems are abfss://FILESYSTEM@${options.name}/ (create one with \`adl fs mkdir abfss://FILESYSTEM@${options.name}/\`)` : ""}.`,
  };
}

/**
 * The emulator (and a subscription policy, on Azure) can refuse an account without a hierarchical namespace:
 * the service's reason stays, and the hint names the flag that asked for one.
 */
function flatRefused(err: unknown): unknown {
  const { armMessage, code } = err as { armMessage?: unknown; code?: unknown };
  if (typeof armMessage !== "string" || !/isHnsEnabled|hierarchical namespace/i.test(armMessage)) return err;
  return new CliError(armMessage.replace(/\.$/, ""), {
    code: typeof code === "string" ? code : "HNS_REQUIRED",
    hint: "Leave out --no-hns: Data Lake Storage Gen2 accounts (the default) have a hierarchical namespace.",
  });
}

export async function show(options: { name: string; resourceGroup: string }, ctx: Context): Promise<Result> {
  const arm = await ctx.arm();
  const account = await arm.storageAccounts.get(options.resourceGroup, options.name, {
    abortSignal: ctx.signal,
  });
  return { kind: "record", data: account as unknown as Record<string, unknown>, fields: FIELDS };
}

export async function list(options: { resourceGroup?: string }, ctx: Context): Promise<Result> {
  const arm = await ctx.arm();
  const items = options.resourceGroup
    ? arm.storageAccounts.listByResourceGroup(options.resourceGroup, { abortSignal: ctx.signal })
    : arm.storageAccounts.list({ abortSignal: ctx.signal });
  return listResult(items, COLUMNS, { empty: "No storage accounts." });
}

interface UpdateOptions {
  name: string;
  resourceGroup: string;
  sku?: string;
  accessTier?: string;
  sharedKeyAccess?: "Enabled" | "Disabled";
  publicNetworkAccess?: "Enabled" | "Disabled";
  minTls?: string;
  tag?: Record<string, string>;
}

export async function update(options: UpdateOptions, ctx: Context): Promise<Result> {
  const properties: NonNullable<UpdateStorageAccountParameters["properties"]> = {};
  if (options.accessTier) properties.accessTier = options.accessTier;
  if (options.sharedKeyAccess) properties.allowSharedKeyAccess = options.sharedKeyAccess === "Enabled";
  if (options.publicNetworkAccess) properties.publicNetworkAccess = options.publicNetworkAccess;
  if (options.minTls) properties.minimumTlsVersion = options.minTls;
  const parameters: UpdateStorageAccountParameters = {
    ...(options.sku ? { sku: { name: options.sku } } : {}),
    ...(options.tag ? { tags: options.tag } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
  if (Object.keys(parameters).length === 0) {
    throw new UsageError(
      "nothing to change: pass --sku, --access-tier, --shared-key-access, --public-network-access, --min-tls or --tag",
    );
  }
  const arm = await ctx.arm();
  const account = await arm.storageAccounts.update(options.resourceGroup, options.name, parameters, {
    abortSignal: ctx.signal,
  });
  return {
    kind: "record",
    data: account as unknown as Record<string, unknown>,
    fields: FIELDS,
    message: `Updated storage account ${options.name}.`,
  };
}

export async function remove(
  options: { name: string; resourceGroup: string; yes?: boolean },
  ctx: Context,
): Promise<Result> {
  requireYes(options, `storage account ${options.name} and all its data`);
  const arm = await ctx.arm();
  // Deleting an account that does not exist succeeds on the service (204); say so instead of "deleted".
  await arm.storageAccounts.get(options.resourceGroup, options.name, { abortSignal: ctx.signal });
  await arm.storageAccounts.delete(options.resourceGroup, options.name, { abortSignal: ctx.signal });
  return {
    kind: "message",
    message: `Deleted storage account ${options.name}.`,
    data: { name: options.name, resourceGroup: options.resourceGroup, status: "deleted" },
  };
}

export async function checkName(options: { name: string }, ctx: Context): Promise<Result> {
  const arm = await ctx.arm();
  const answer = await arm.storageAccounts.checkNameAvailability(options.name, { abortSignal: ctx.signal });
  return {
    kind: "record",
    data: {
      name: options.name,
      nameAvailable: answer.nameAvailable,
      reason: answer.reason ?? null,
      message: answer.message ?? null,
    },
    fields: [
      { label: "name", get: (d) => d.name },
      { label: "available", get: (d) => (d.nameAvailable ? "yes" : "no") },
      { label: "reason", get: (d) => d.reason },
      { label: "message", get: (d) => d.message },
    ],
  };
}
