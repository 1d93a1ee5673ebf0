import { accountId } from "./account-model.js";
import { badRequest, methodNotAllowed, nestedResourceNotFound, operationInProgress } from "./arm-error.js";
import { armTimestamp, type SubscriptionCall } from "./call.js";
import type { AccountRow, GroupRow, RuleRow } from "./models.js";
import { pageOf } from "./paging.js";
import { sendArmEmpty, sendArmJson } from "./respond.js";
import type { RuleKindSpec } from "./rule-kinds.js";
import type { ArmStore } from "./store.js";
import { isObject, type Json, parseJsonObject } from "./validation.js";

/**
 * Firewall rules, virtual network rules and trusted identity providers: one implementation, the kind
 * (rule-kinds.ts) supplies what differs. PUT creates or replaces (always 200), PATCH merges, DELETE
 * answers 200 or 204, a missing rule is `NestedResourceNotFound`. Every change bumps the account's
 * `lastModifiedTime`, and the account GET embeds the rules.
 */
export function handleRule(
  call: SubscriptionCall,
  group: GroupRow,
  account: AccountRow,
  kind: RuleKindSpec,
  ruleName: string | undefined,
): void {
  const { ctx, arm } = call;
  const { store } = arm;
  const render = (rule: RuleRow, fresh = false) => ({
    properties: kind.render(rule.properties, fresh),
    id: `${accountId(account, group.name)}/${kind.kind}/${rule.name}`,
    name: rule.name,
    type: kind.type,
  });

  if (ruleName === undefined) {
    if (ctx.method !== "GET") throw methodNotAllowed(ctx.method, ["GET"]);
    ctx.entry.op = `arm:${kind.kind}_ListByAccount`;
    const rules = store.rules(account.key, kind.kind);
    sendArmJson(
      ctx,
      200,
      pageOf(
        ctx,
        rules,
        (r) => r.key,
        (r) => render(r),
      ),
    );
    return;
  }

  const existing = store.rule(account.key, kind.kind, ruleName);
  const mutating = ctx.method !== "GET";
  if (mutating && account.state !== "Succeeded")
    throw operationInProgress(
      account.name,
      account.state === "Creating" ? "still being created" : "in a failed state",
    );
  switch (ctx.method) {
    case "GET": {
      ctx.entry.op = `arm:${kind.kind}_Get`;
      if (!existing) throw nestedResourceNotFound();
      sendArmJson(ctx, 200, render(existing));
      return;
    }
    case "PUT": {
      ctx.entry.op = `arm:${kind.kind}_CreateOrUpdate`;
      kind.checkName(ruleName);
      const body = parseJsonObject(call.bodyText);
      const rule: RuleRow = {
        accountKey: account.key,
        kind: kind.kind,
        key: ruleName.toLowerCase(),
        // A replace keeps the casing the rule was created with, as ARM does for every name.
        name: existing?.name ?? ruleName,
        properties: kind.create(body.properties, "properties"),
      };
      saveRules(store, account, [rule]);
      sendArmJson(ctx, 200, render(rule, !existing));
      return;
    }
    case "PATCH": {
      ctx.entry.op = `arm:${kind.kind}_Update`;
      const body = parseJsonObject(call.bodyText, true);
      if (!existing) throw nestedResourceNotFound();
      const rule = {
        ...existing,
        properties: kind.update(existing.properties, body.properties, "properties"),
      };
      saveRules(store, account, [rule]);
      sendArmJson(ctx, 200, render(rule));
      return;
    }
    case "DELETE": {
      ctx.entry.op = `arm:${kind.kind}_Delete`;
      const deleted = store.transaction(() => {
        const gone = store.deleteRule(account.key, kind.kind, ruleName.toLowerCase());
        if (gone) store.putAccount({ ...account, modifiedAt: armTimestamp() });
        return gone;
      });
      sendArmEmpty(ctx, deleted ? 200 : 204);
      return;
    }
    default:
      throw methodNotAllowed(ctx.method, ["GET", "PUT", "PATCH", "DELETE"]);
  }
}

function saveRules(store: ArmStore, account: AccountRow, rules: RuleRow[]): void {
  store.transaction(() => {
    for (const rule of rules) store.putRule(rule);
    store.putAccount({ ...account, modifiedAt: armTimestamp() });
  });
}

/** The `properties.{kind}` array of an account create or update: `[{name, properties}]`, names unique. */
function ruleEntries(
  kind: RuleKindSpec,
  value: unknown,
): Array<{ name: string; properties: unknown; target: string }> {
  const at = `properties.${kind.kind}`;
  if (!Array.isArray(value))
    throw badRequest("InvalidRequestContent", `'${at}' must be an array of {name, properties}.`, at);
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const target = `${at}[${index}]`;
    if (!isObject(entry) || typeof entry.name !== "string") {
      throw badRequest("InvalidRequestContent", `'${target}' must be an object with a 'name'.`, target);
    }
    kind.checkName(entry.name);
    if (seen.has(entry.name.toLowerCase()))
      throw badRequest("InvalidRequestContent", `'${at}' names '${entry.name}' twice.`, target);
    seen.add(entry.name.toLowerCase());
    return { name: entry.name, properties: entry.properties, target: `${target}.properties` };
  });
}

/** Validates the rule arrays of a create or replacing PUT: each array given defines that rule set. */
export function rulesForCreate(
  properties: Json,
  kinds: readonly RuleKindSpec[],
  accountKey: string,
): Map<RuleKindSpec, RuleRow[]> {
  const sets = new Map<RuleKindSpec, RuleRow[]>();
  for (const kind of kinds) {
    const value = properties[kind.kind];
    if (value === undefined || value === null) continue;
    sets.set(
      kind,
      ruleEntries(kind, value).map((e) => ({
        accountKey,
        kind: kind.kind,
        key: e.name.toLowerCase(),
        name: e.name,
        properties: kind.create(e.properties, e.target),
      })),
    );
  }
  return sets;
}

/** Validates the rule arrays of an update: entries create rules or update them by name; others stay. */
export function rulesForUpdate(
  store: ArmStore,
  properties: Json,
  kinds: readonly RuleKindSpec[],
  accountKey: string,
): RuleRow[] {
  const rows: RuleRow[] = [];
  for (const kind of kinds) {
    const value = properties[kind.kind];
    if (value === undefined || value === null) continue;
    for (const e of ruleEntries(kind, value)) {
      const existing = store.rule(accountKey, kind.kind, e.name);
      rows.push(
        existing
          ? { ...existing, properties: kind.update(existing.properties, e.properties, e.target) }
          : {
              accountKey,
              kind: kind.kind,
              key: e.name.toLowerCase(),
              name: e.name,
              properties: kind.create(e.properties, e.target),
            },
      );
    }
  }
  return rows;
}
