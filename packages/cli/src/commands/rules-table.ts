import type { CommandSpec, CommandTable, OptionSpec } from "../command-spec.js";
import { RG } from "./shared-options.js";

/** The account's child resources: the same five verbs for each kind, run by one implementation (rules.ts). */

const rules = () => import("./rules.js");

function ruleCommands(
  name: "firewall" | "vnet-rule" | "trusted-idp",
  noun: string,
  props: OptionSpec[],
  example: string,
): CommandSpec[] {
  const base = [RG];
  const kind = { firewall: "firewall", "vnet-rule": "vnetRule", "trusted-idp": "trustedIdp" }[name];
  const load = (verb: string) => () => rules().then((m) => m.commandFor(kind as never, verb as never));
  return [
    {
      name: `${name} create`,
      summary: `Create (or replace) a ${noun}`,
      args: ["<name>"],
      options: [...base, ...props.map((p) => ({ ...p, required: true }))],
      examples: [`adl ${name} create rule1 -g rg1 -a lake1 ${example}`],
      load: load("create"),
    },
    {
      name: `${name} show`,
      summary: `Show a ${noun}`,
      args: ["<name>"],
      options: base,
      examples: [`adl ${name} show rule1 -g rg1 -a lake1`],
      load: load("show"),
    },
    {
      name: `${name} list`,
      summary: `List the ${noun}s of an account`,
      options: base,
      examples: [`adl ${name} list -g rg1 -a lake1`, `adl ${name} list -g rg1 -a lake1 --json`],
      load: load("list"),
    },
    {
      name: `${name} update`,
      summary: `Change a ${noun}`,
      args: ["<name>"],
      options: [...base, ...props],
      examples: [`adl ${name} update rule1 -g rg1 -a lake1 ${example}`],
      load: load("update"),
    },
    {
      name: `${name} delete`,
      summary: `Delete a ${noun}`,
      args: ["<name>"],
      options: base,
      examples: [`adl ${name} delete rule1 -g rg1 -a lake1`],
      load: load("delete"),
    },
  ];
}

export const RULES_TABLE: CommandTable = {
  groups: [
    { name: "firewall", summary: "Firewall rules of an account" },
    { name: "vnet-rule", summary: "Virtual network rules of an account" },
    { name: "trusted-idp", summary: "Trusted identity providers of an account" },
  ],
  commands: [
    ...ruleCommands(
      "firewall",
      "firewall rule",
      [
        { flags: "--start-ip <address>", description: "first address of the range" },
        { flags: "--end-ip <address>", description: "last address of the range" },
      ],
      "--start-ip 10.0.0.1 --end-ip 10.0.0.255",
    ),
    ...ruleCommands(
      "vnet-rule",
      "virtual network rule",
      [{ flags: "--subnet-id <id>", description: "resource id of the subnet" }],
      "--subnet-id /subscriptions/…/virtualNetworks/vnet1/subnets/default",
    ),
    ...ruleCommands(
      "trusted-idp",
      "trusted identity provider",
      [{ flags: "--id-provider <url>", description: "issuer, e.g. https://sts.windows.net/TENANT/" }],
      "--id-provider https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
    ),
  ],
};
