import type { ResourceGroup } from "@adlkit/arm-client";
import type { Context } from "../context.js";
import { type Column, type Field, list as listResult, type Result } from "../result.js";
import { field, follow, requireYes, tagsText } from "./arm-helpers.js";

const FIELDS: Field[] = [
  field("name", "name"),
  field("location", "location"),
  field("state", "properties.provisioningState"),
  { label: "tags", get: (d) => tagsText(d.tags) },
  field("id", "id"),
];

const COLUMNS: Column<ResourceGroup>[] = [
  { header: "NAME", get: (g) => g.name, style: () => "bold" },
  { header: "LOCATION", get: (g) => g.location },
  { header: "STATE", get: (g) => g.properties?.provisioningState },
  { header: "TAGS", get: (g) => tagsText(g.tags) },
];

export async function create(
  options: { name: string; location: string; tag?: Record<string, string> },
  ctx: Context,
): Promise<Result> {
  const arm = await ctx.arm();
  const group = await arm.resourceGroups.createOrUpdate(
    options.name,
    { location: options.location, ...(options.tag ? { tags: options.tag } : {}) },
    { abortSignal: ctx.signal },
  );
  return {
    kind: "record",
    data: group as unknown as Record<string, unknown>,
    fields: FIELDS,
    message: `Resource group ${group.name} is ready.`,
  };
}

export async function show(options: { name: string }, ctx: Context): Promise<Result> {
  const arm = await ctx.arm();
  const group = await arm.resourceGroups.get(options.name, { abortSignal: ctx.signal });
  return { kind: "record", data: group as unknown as Record<string, unknown>, fields: FIELDS };
}

export async function list(_options: Record<string, never>, ctx: Context): Promise<Result> {
  const arm = await ctx.arm();
  return listResult(arm.resourceGroups.list({ abortSignal: ctx.signal }), COLUMNS);
}

export async function remove(
  options: { name: string; yes?: boolean; wait: boolean },
  ctx: Context,
): Promise<Result> {
  requireYes(options, `resource group ${options.name} and everything in it`);
  const arm = await ctx.arm();
  const outcome = await follow(
    arm.resourceGroups.beginDelete(options.name, { abortSignal: ctx.signal }),
    ctx,
    {
      wait: options.wait,
      label: `Deleting resource group ${options.name}`,
    },
  );
  return outcome.done
    ? {
        kind: "message",
        message: `Deleted resource group ${options.name}.`,
        data: { name: options.name, status: "deleted" },
      }
    : {
        kind: "message",
        message: `Deletion of resource group ${options.name} accepted (${outcome.status}); check with \`adl group show ${options.name}\`.`,
        data: { name: options.name, status: outcome.status },
      };
}
