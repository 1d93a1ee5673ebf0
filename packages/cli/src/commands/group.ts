import type { ResourceGroup } from "@adlkit/arm-client";
import type { Context } from "../context.js";
import { CliError } from "../errors.js";
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

/**
 * Creates a resource group. An existing one is left as it is when nothing would change (so scripts can run this
 * again); replacing its tags takes --force, and its location cannot change at all.
 */
export async function create(
  options: { name: string; location: string; tag?: Record<string, string>; force?: boolean },
  ctx: Context,
): Promise<Result> {
  const arm = await ctx.arm();
  const current = await tryGet(arm, options.name, ctx.signal);
  if (current) {
    if (region(current.location) !== region(options.location)) {
      throw new CliError(`resource group ${options.name} already exists in ${current.location}`, {
        code: "RESOURCE_GROUP_EXISTS",
        hint: `A resource group cannot move: use -l ${current.location}, or another name.`,
      });
    }
    const changesTags = options.tag !== undefined && !sameTags(current.tags, options.tag);
    if (!changesTags) {
      return {
        kind: "record",
        data: current as unknown as Record<string, unknown>,
        fields: FIELDS,
        message: `Resource group ${current.name} already exists; nothing changed.`,
      };
    }
    if (!options.force) {
      throw new CliError(
        `resource group ${options.name} already exists with other tags (${current.tags && Object.keys(current.tags).length ? tagsText(current.tags) : "none"})`,
        { code: "RESOURCE_GROUP_EXISTS", hint: "Pass --force to replace its tags with the ones given." },
      );
    }
  }
  const group = await arm.resourceGroups.createOrUpdate(
    options.name,
    { location: options.location, ...(options.tag ? { tags: options.tag } : {}) },
    { abortSignal: ctx.signal },
  );
  return {
    kind: "record",
    data: group as unknown as Record<string, unknown>,
    fields: FIELDS,
    message: current
      ? `Replaced the tags of resource group ${group.name}.`
      : `Resource group ${group.name} is ready.`,
  };
}

async function tryGet(
  arm: Awaited<ReturnType<Context["arm"]>>,
  name: string,
  signal: AbortSignal,
): Promise<ResourceGroup | undefined> {
  try {
    return await arm.resourceGroups.get(name, { abortSignal: signal });
  } catch (err) {
    if ((err as { code?: unknown }).code === "ResourceGroupNotFound") return undefined;
    throw err;
  }
}

/** ARM compares regions without case or spaces: `East US 2` is `eastus2`. */
function region(location: string | undefined): string {
  return (location ?? "").replace(/\s+/g, "").toLowerCase();
}

function sameTags(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const left = Object.entries(a ?? {});
  return left.length === Object.keys(b).length && left.every(([k, v]) => b[k] === v);
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
