import { randomBytes } from "node:crypto";
import type { EmulatorServices } from "../http/context.js";
import { deleteAccounts, retireFilesystems } from "./account-lifecycle.js";
import {
  badRequest,
  methodNotAllowed,
  operationNotFound,
  resourceGroupBeingDeleted,
  resourceGroupLocationConflict,
  resourceGroupNotFound,
} from "./arm-error.js";
import { absoluteUrl, retryAfter, type SubscriptionCall } from "./call.js";
import type { GroupRow, OperationRow } from "./models.js";
import { answeredUnfinished } from "./operation-results.js";
import type { Completer, Failer } from "./operations.js";
import { pageOf, queryParam } from "./paging.js";
import { sendArmEmpty, sendArmJson } from "./respond.js";
import type { ArmStore } from "./store.js";
import {
  checkResourceGroupName,
  isObject,
  normalizeLocation,
  parseJsonObject,
  parseTags,
  requireLocation,
} from "./validation.js";

function render(g: GroupRow): Record<string, unknown> {
  return {
    id: `/subscriptions/${g.subscription}/resourceGroups/${g.name}`,
    name: g.name,
    type: "Microsoft.Resources/resourceGroups",
    location: g.location,
    ...(g.managedBy ? { managedBy: g.managedBy } : {}),
    tags: g.tags,
    properties: { provisioningState: g.state },
  };
}

/** `GET /subscriptions/{s}/resourcegroups[?$filter=tagName eq 'n' [and tagValue eq 'v']&$top=n]`. */
export function listGroups(call: SubscriptionCall): void {
  const { ctx, arm } = call;
  ctx.entry.op = "arm:ResourceGroups_List";
  if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
  const filter = parseTagFilter(queryParam(ctx.url, "$filter"));
  const groups = arm.store.groups(call.subscription.id).filter((g) => {
    if (!filter) return true;
    const entry = Object.entries(g.tags).find(([name]) => name.toLowerCase() === filter.name.toLowerCase());
    return entry !== undefined && (filter.value === undefined || entry[1] === filter.value);
  });
  sendArmJson(
    ctx,
    200,
    pageOf(ctx, groups, (g) => g.key, render),
  );
}

/** The one `$filter` form ARM documents for resource groups: by tag name, optionally with its value. */
function parseTagFilter(filter: string | undefined): { name: string; value?: string } | undefined {
  if (filter === undefined || filter.trim() === "") return undefined;
  const match = /^\s*tagName\s+eq\s+'((?:[^']|'')*)'(?:\s+and\s+tagValue\s+eq\s+'((?:[^']|'')*)')?\s*$/i.exec(
    filter,
  );
  if (!match) {
    throw badRequest(
      "InvalidFilterInQueryString",
      `The $filter '${filter}' is not supported. Use "tagName eq 'name'" or "tagName eq 'name' and tagValue eq 'value'".`,
      "$filter",
    );
  }
  const unquote = (s: string) => s.replace(/''/g, "'");
  return match[2] === undefined
    ? { name: unquote(match[1]!) }
    : { name: unquote(match[1]!), value: unquote(match[2]) };
}

/** `/subscriptions/{s}/resourcegroups/{name}`: PUT, GET, HEAD, PATCH, DELETE (an LRO). */
export function handleGroup(call: SubscriptionCall, name: string): void {
  const { ctx, arm } = call;
  const sub = call.subscription.id;
  const existing = arm.store.group(sub, name);
  switch (ctx.method) {
    case "PUT": {
      ctx.entry.op = "arm:ResourceGroups_CreateOrUpdate";
      const body = parseJsonObject(call.bodyText);
      if (!existing) checkResourceGroupName(name);
      const location = normalizeLocation(requireLocation(body));
      const tags = parseTags(body.tags);
      const managedBy =
        body.managedBy === undefined || body.managedBy === null ? null : String(body.managedBy);
      if (existing?.state === "Deleting") throw resourceGroupBeingDeleted(existing.name);
      if (existing && existing.location !== location)
        throw resourceGroupLocationConflict(existing.name, existing.location, location);
      const row: GroupRow = {
        subscription: sub,
        key: name.toLowerCase(),
        name: existing?.name ?? name,
        location,
        tags,
        managedBy,
        state: "Succeeded",
      };
      arm.store.putGroup(row);
      sendArmJson(ctx, existing ? 200 : 201, render(row));
      return;
    }
    case "GET":
    case "HEAD": {
      ctx.entry.op = ctx.method === "GET" ? "arm:ResourceGroups_Get" : "arm:ResourceGroups_CheckExistence";
      const current = existing ? pollDeletion(call, existing) : undefined;
      if (!current) throw resourceGroupNotFound(name);
      if (ctx.method === "HEAD") {
        sendArmEmpty(ctx, 204);
        return;
      }
      sendArmJson(ctx, 200, render(current));
      return;
    }
    case "PATCH": {
      ctx.entry.op = "arm:ResourceGroups_Update";
      const body = parseJsonObject(call.bodyText);
      if (!existing) throw resourceGroupNotFound(name);
      if (existing.state === "Deleting") throw resourceGroupBeingDeleted(existing.name);
      if (
        body.location !== undefined &&
        (typeof body.location !== "string" || normalizeLocation(body.location) !== existing.location)
      ) {
        throw resourceGroupLocationConflict(existing.name, existing.location, String(body.location));
      }
      if (body.properties !== undefined && !isObject(body.properties))
        throw badRequest("InvalidRequestContent", "'properties' must be an object.", "properties");
      const row: GroupRow = {
        ...existing,
        tags: body.tags === undefined ? existing.tags : parseTags(body.tags),
        managedBy:
          body.managedBy === undefined
            ? existing.managedBy
            : body.managedBy === null
              ? null
              : String(body.managedBy),
      };
      arm.store.putGroup(row);
      sendArmJson(ctx, 200, render(row));
      return;
    }
    case "DELETE": {
      ctx.entry.op = "arm:ResourceGroups_Delete";
      if (!existing) throw resourceGroupNotFound(name);
      const op = existing.state === "Deleting" ? runningDeletion(call, existing) : undefined;
      const started = op ?? startDeletion(call, existing);
      sendArmEmpty(ctx, 202, {
        Location: absoluteUrl(ctx, `/subscriptions/${sub}/operationresults/${started.id}`, call.apiVersion),
        "Retry-After": retryAfter(call),
      });
      return;
    }
    default:
      throw methodNotAllowed(ctx.method, ["GET", "HEAD", "PUT", "PATCH", "DELETE"]);
  }
}

function startDeletion(call: SubscriptionCall, group: GroupRow): OperationRow {
  const { arm } = call;
  // Opaque like the real one: base64url of the deletion job; the nonce keeps repeated deletions apart.
  const job = {
    jobId: `RESOURCEGROUPDELETIONJOB-${group.name.toUpperCase().slice(0, 40)}-${group.location.toUpperCase()}`,
    jobLocation: group.location,
    nonce: randomBytes(6).toString("hex"),
  };
  const id = Buffer.from(JSON.stringify(job)).toString("base64url");
  return arm.store.transaction(() => {
    arm.store.putGroup({ ...group, state: "Deleting" });
    return arm.operations.start(
      {
        id,
        subscription: group.subscription,
        kind: "groupDelete",
        locationKey: `group:${id}`,
        target: { groupKey: group.key },
      },
      call.ctx.failOperation,
    );
  });
}

function runningDeletion(call: SubscriptionCall, group: GroupRow): OperationRow | undefined {
  return call.arm.operations
    .running("groupDelete")
    .find((op) => op.subscription === group.subscription && op.target.groupKey === group.key);
}

/** A GET of a group being deleted counts as a poll of the deletion; answers the group, or undefined once gone. */
function pollDeletion(call: SubscriptionCall, group: GroupRow): GroupRow | undefined {
  if (group.state !== "Deleting") return group;
  const op = runningDeletion(call, group);
  if (op) call.arm.operations.poll(op);
  return call.arm.store.group(group.subscription, group.key);
}

/** `GET /subscriptions/{s}/operationresults/{id}`: 202 while the deletion runs, then 200 with no body. */
export function groupOperationResult(call: SubscriptionCall, id: string): void {
  const { ctx, arm } = call;
  ctx.entry.op = "arm:ResourceGroups_DeleteOperationResult";
  if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
  const op = arm.operations.byId(id);
  if (op?.kind !== "groupDelete" || op.subscription !== call.subscription.id) throw operationNotFound(id);
  const polled = arm.operations.poll(op);
  if (answeredUnfinished(call, polled, "The resource group deletion did not complete.")) return;
  sendArmEmpty(ctx, 200);
}

/** Completes a deletion: the accounts inside go (filesystems included), then the group itself. */
export function groupDeleteCompleter(
  store: ArmStore,
  services: EmulatorServices,
  cancel: (op: OperationRow) => void,
): Completer {
  return (op) => {
    const groupKey = op.target.groupKey ?? "";
    const accounts = store.accounts(op.subscription, groupKey);
    deleteAccounts(store, accounts, cancel);
    store.deleteGroup(op.subscription, groupKey);
    // Ignoring failures is safe here: see retireFilesystems.
    const names = accounts.map((a) => a.name);
    return { status: "Succeeded", afterCommit: () => void retireFilesystems(services, names) };
  };
}

/** A group deletion that fails: the group and everything in it stay, usable again. */
export function groupDeleteFailer(store: ArmStore): Failer {
  return (op) => {
    const group = store.group(op.subscription, op.target.groupKey ?? "");
    if (group?.state === "Deleting") store.putGroup({ ...group, state: "Succeeded" });
  };
}
