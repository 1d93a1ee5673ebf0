import type { CommandTable } from "../command-spec.js";
import { parseEnabled, TIERS } from "../parse-values.js";
import { NO_WAIT, RG, TAG, YES } from "./shared-options.js";

const account = () => import("./account.js");

export const ACCOUNT_TABLE: CommandTable = {
  groups: [{ name: "account", summary: "Data Lake Store Gen1 accounts" }],
  commands: [
    {
      name: "account create",
      summary: "Create a Data Lake Store account (waits until it is ready)",
      args: ["<name>"],
      options: [
        RG,
        { flags: "-l, --location <region>", description: "region, e.g. eastus2", required: true },
        { flags: "--tier <tier>", description: "pricing tier", choices: TIERS },
        { flags: "--default-group <id>", description: "owning group of new files and folders" },
        { flags: "--encryption <state>", description: "Enabled or Disabled", parse: parseEnabled },
        TAG,
        NO_WAIT,
        {
          flags: "--force",
          description: "replace an existing account's settings and tags (those not given are reset)",
        },
      ],
      examples: [
        "adl account create lake1 -g rg1 -l eastus2",
        "adl account create lake1 -g rg1 -l eastus2 --tier Commitment_1TB --no-wait --json",
      ],
      load: () => account().then((m) => m.create),
    },
    {
      name: "account show",
      summary: "Show an account",
      args: ["<name>"],
      options: [RG],
      examples: ["adl account show lake1 -g rg1", "adl account show lake1 -g rg1 --json"],
      load: () => account().then((m) => m.show),
    },
    {
      name: "account list",
      summary: "List accounts of the subscription or of one resource group",
      options: [{ flags: "-g, --resource-group <name>", description: "only this resource group" }],
      examples: ["adl account list", "adl account list -g rg1 --json"],
      load: () => account().then((m) => m.list),
    },
    {
      name: "account update",
      summary: "Change an account's tier, tags, firewall or trusted-IdP settings",
      args: ["<name>"],
      options: [
        RG,
        { flags: "--tier <tier>", description: "pricing tier from next month", choices: TIERS },
        { flags: "--default-group <id>", description: "owning group of new files and folders" },
        { flags: "--firewall-state <state>", description: "Enabled or Disabled", parse: parseEnabled },
        { flags: "--allow-azure-ips <state>", description: "Enabled or Disabled", parse: parseEnabled },
        { flags: "--trusted-idp-state <state>", description: "Enabled or Disabled", parse: parseEnabled },
        { ...TAG, description: "a tag (repeatable; replaces all tags)" },
      ],
      examples: [
        "adl account update lake1 -g rg1 --tier Commitment_1TB",
        "adl account update lake1 -g rg1 --firewall-state Enabled --allow-azure-ips Enabled",
      ],
      load: () => account().then((m) => m.update),
    },
    {
      name: "account delete",
      summary: "Delete an account and its data",
      args: ["<name>"],
      options: [RG, YES, NO_WAIT],
      examples: ["adl account delete lake1 -g rg1 --yes"],
      load: () => account().then((m) => m.remove),
    },
    {
      name: "account check-name",
      summary: "Whether an account name is free",
      args: ["<name>"],
      options: [{ flags: "-l, --location <region>", description: "region, e.g. eastus2", required: true }],
      examples: ["adl account check-name lake1 -l eastus2", "adl account check-name lake1 -l eastus2 --json"],
      load: () => account().then((m) => m.checkName),
    },
  ],
};
