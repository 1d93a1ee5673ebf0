import type { ArmClient } from "@adlkit/arm-client";
import type { CommandFn } from "../command-spec.js";
import { requireAccount } from "../config/settings.js";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { type Column, type Field, list as listResult, type Result } from "../result.js";
import { field } from "./arm-helpers.js";

type Kind = "firewall" | "vnetRule" | "trustedIdp";
type Verb = "create" | "show" | "list" | "update" | "delete";

interface Rule {
  name: string;
  id: string;
  properties: Record<string, unknown>;
}

interface KindInfo {
  noun: string;
  operations: (
    arm: ArmClient,
  ) => ArmClient["firewallRules"] | ArmClient["virtualNetworkRules"] | ArmClient["trustedIdProviders"];
  /** Option name → property name. */
  props: Record<string, string>;
  flags: string;
}

const KINDS: Record<Kind, KindInfo> = {
  firewall: {
    noun: "firewall rule",
    operations: (arm) => arm.firewallRules,
    props: { startIp: "startIpAddress", endIp: "endIpAddress" },
    flags: "--start-ip or --end-ip",
  },
  vnetRule: {
    noun: "virtual network rule",
    operations: (arm) => arm.virtualNetworkRules,
    props: { subnetId: "subnetId" },
    flags: "--subnet-id",
  },
  trustedIdp: {
    noun: "trusted identity provider",
    operations: (arm) => arm.trustedIdProviders,
    props: { idProvider: "idProvider" },
    flags: "--id-provider",
  },
};

interface Options {
  name?: string;
  resourceGroup: string;
  [option: string]: unknown;
}

function propertiesOf(info: KindInfo, options: Options): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [option, property] of Object.entries(info.props)) {
    if (typeof options[option] === "string") out[property] = options[option] as string;
  }
  return out;
}

/** The five commands of one kind of account child, on the arm-client's ChildResourceOperations. */
export function commandFor(kind: Kind, verb: Verb): CommandFn {
  const info = KINDS[kind];
  const fields: Field[] = [
    field("name", "name"),
    ...Object.values(info.props).map((p) => field(p, `properties.${p}`)),
    field("id", "id"),
  ];
  const columns: Column<Rule>[] = [
    { header: "NAME", get: (r) => r.name, style: () => "bold" },
    ...Object.values(info.props).map((p) => ({
      header: p.replace(/([A-Z])/g, " $1").toUpperCase(),
      get: (r: Rule) => r.properties?.[p],
    })),
  ];
  const written = (rule: object, message: string): Result => ({
    kind: "record",
    data: rule as Record<string, unknown>,
    fields,
    message,
  });
  return async (options: Options, ctx: Context): Promise<Result> => {
    const account = requireAccount(await ctx.settings());
    const ops = info.operations(await ctx.arm());
    const signal = { abortSignal: ctx.signal };
    const rg = options.resourceGroup;
    const name = options.name ?? "";
    switch (verb) {
      case "create": {
        const rule = await ops.createOrUpdate(
          rg,
          account,
          name,
          { properties: propertiesOf(info, options) } as never,
          signal,
        );
        return written(rule, `Created ${info.noun} ${rule.name} on ${account}.`);
      }
      case "show": {
        const rule = await ops.get(rg, account, name, signal);
        return { kind: "record", data: rule as unknown as Record<string, unknown>, fields };
      }
      case "list":
        return listResult(ops.listByAccount(rg, account, signal) as AsyncIterable<Rule>, columns);
      case "update": {
        const properties = propertiesOf(info, options);
        if (Object.keys(properties).length === 0)
          throw new UsageError(`nothing to change: pass ${info.flags}`);
        const rule = await ops.update(rg, account, name, { properties } as never, signal);
        return written(rule, `Updated ${info.noun} ${rule.name}.`);
      }
      case "delete":
        // The service answers 204 for a rule that is not there; look first so a typo is reported (exit 3).
        await ops.get(rg, account, name, signal);
        await ops.delete(rg, account, name, signal);
        return {
          kind: "message",
          message: `Deleted ${info.noun} ${name} from ${account}.`,
          data: { name, account, resourceGroup: rg, status: "deleted" },
        };
    }
  };
}
