import type {
  CreateDataLakeStoreAccountParameters,
  DataLakeStoreAccountBasic,
  EnabledState,
  TierType,
  UpdateDataLakeStoreAccountParameters,
} from "@adlkit/arm-client";
import type { Context } from "../context.js";
import { CliError, UsageError } from "../errors.js";
import { type Column, type Field, list as listResult, type Result } from "../result.js";
import { field, follow, groupOf, requireYes, resourceExists, tagsText } from "./arm-helpers.js";

const FIELDS: Field[] = [
  field("name", "name"),
  { label: "resource group", get: (d) => groupOf(d.id) },
  field("location", "location"),
  field("state", "properties.provisioningState"),
  field("endpoint", "properties.endpoint"),
  field("tier", "properties.currentTier"),
  field("encryption", "properties.encryptionState"),
  field("firewall", "properties.firewallState"),
  field("trusted IdPs", "properties.trustedIdProviderState"),
  field("default group", "properties.defaultGroup"),
  field("created", "properties.creationTime"),
  { label: "tags", get: (d) => tagsText(d.tags) },
  field("id", "id"),
];

const COLUMNS: Column<DataLakeStoreAccountBasic>[] = [
  { header: "NAME", get: (a) => a.name, style: () => "bold" },
  { header: "RESOURCE GROUP", get: (a) => groupOf(a.id) },
  { header: "LOCATION", get: (a) => a.location },
  { header: "STATE", get: (a) => a.properties?.provisioningState },
  { header: "ENDPOINT", get: (a) => a.properties?.endpoint },
];

interface CreateOptions {
  name: string;
  resourceGroup: string;
  location: string;
  tier?: TierType;
  defaultGroup?: string;
  encryption?: EnabledState;
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
      arm.accounts.get(options.resourceGroup, options.name, { abortSignal: ctx.signal }),
    ))
  ) {
    throw new CliError(`account ${options.name} already exists in resource group ${options.resourceGroup}`, {
      code: "ACCOUNT_EXISTS",
      hint: `Change it with \`adl account update ${options.name} -g ${options.resourceGroup}\`; --force replaces its settings and tags with the ones given here.`,
    });
  }
  const properties: NonNullable<CreateDataLakeStoreAccountParameters["properties"]> = {};
  if (options.tier) properties.newTier = options.tier;
  if (options.defaultGroup) properties.defaultGroup = options.defaultGroup;
  if (options.encryption) properties.encryptionState = options.encryption;
  const parameters: CreateDataLakeStoreAccountParameters = {
    location: options.location,
    ...(options.tag ? { tags: options.tag } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
  const poller = arm.accounts.beginCreate(options.resourceGroup, options.name, parameters, {
    abortSignal: ctx.signal,
  });
  const outcome = await follow(poller, ctx, {
    wait: options.wait,
    label: `Creating account ${options.name}`,
  });
  if (!outcome.done) {
    return {
      kind: "message",
      message: `Creation of account ${options.name} accepted (${outcome.status}); check with \`adl account show ${options.name} -g ${options.resourceGroup}\`.`,
      data: { name: options.name, resourceGroup: options.resourceGroup, status: outcome.status },
    };
  }
  return {
    kind: "record",
    data: outcome.result as unknown as Record<string, unknown>,
    fields: FIELDS,
    message: `Account ${options.name} is ready.`,
  };
}

export async function show(options: { name: string; resourceGroup: string }, ctx: Context): Promise<Result> {
  const arm = await ctx.arm();
  const account = await arm.accounts.get(options.resourceGroup, options.name, { abortSignal: ctx.signal });
  return { kind: "record", data: account as unknown as Record<string, unknown>, fields: FIELDS };
}

export async function list(options: { resourceGroup?: string }, ctx: Context): Promise<Result> {
  const arm = await ctx.arm();
  const items = options.resourceGroup
    ? arm.accounts.listByResourceGroup(options.resourceGroup, { abortSignal: ctx.signal })
    : arm.accounts.list({ abortSignal: ctx.signal });
  return listResult(items, COLUMNS);
}

interface UpdateOptions {
  name: string;
  resourceGroup: string;
  tier?: TierType;
  defaultGroup?: string;
  firewallState?: EnabledState;
  allowAzureIps?: EnabledState;
  trustedIdpState?: EnabledState;
  tag?: Record<string, string>;
}

export async function update(options: UpdateOptions, ctx: Context): Promise<Result> {
  const properties: NonNullable<UpdateDataLakeStoreAccountParameters["properties"]> = {};
  if (options.tier) properties.newTier = options.tier;
  if (options.defaultGroup) properties.defaultGroup = options.defaultGroup;
  if (options.firewallState) properties.firewallState = options.firewallState;
  if (options.allowAzureIps) properties.firewallAllowAzureIps = options.allowAzureIps;
  if (options.trustedIdpState) properties.trustedIdProviderState = options.trustedIdpState;
  if (Object.keys(properties).length === 0 && !options.tag) {
    throw new UsageError(
      "nothing to change: pass --tier, --default-group, --firewall-state, --allow-azure-ips, --trusted-idp-state or --tag",
    );
  }
  const arm = await ctx.arm();
  const account = await arm.accounts.update(
    options.resourceGroup,
    options.name,
    {
      ...(options.tag ? { tags: options.tag } : {}),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    },
    { abortSignal: ctx.signal },
  );
  return {
    kind: "record",
    data: account as unknown as Record<string, unknown>,
    fields: FIELDS,
    message: `Updated account ${options.name}.`,
  };
}

export async function remove(
  options: { name: string; resourceGroup: string; yes?: boolean; wait: boolean },
  ctx: Context,
): Promise<Result> {
  requireYes(options, `account ${options.name} and all its data`);
  const arm = await ctx.arm();
  // Deleting an account that does not exist succeeds on the service (204); say so instead of "deleted".
  await arm.accounts.get(options.resourceGroup, options.name, { abortSignal: ctx.signal });
  const outcome = await follow(
    arm.accounts.beginDelete(options.resourceGroup, options.name, { abortSignal: ctx.signal }),
    ctx,
    {
      wait: options.wait,
      label: `Deleting account ${options.name}`,
    },
  );
  return outcome.done
    ? {
        kind: "message",
        message: `Deleted account ${options.name}.`,
        data: { name: options.name, resourceGroup: options.resourceGroup, status: "deleted" },
      }
    : {
        kind: "message",
        message: `Deletion of account ${options.name} accepted (${outcome.status}).`,
        data: { name: options.name, resourceGroup: options.resourceGroup, status: outcome.status },
      };
}

export async function checkName(options: { name: string; location: string }, ctx: Context): Promise<Result> {
  const arm = await ctx.arm();
  const answer = await arm.accounts.checkNameAvailability(options.location, options.name, {
    abortSignal: ctx.signal,
  });
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
