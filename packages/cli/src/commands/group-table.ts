import type { CommandTable } from "../command-spec.js";
import { NO_WAIT, TAG, YES } from "./shared-options.js";

const group = () => import("./group.js");

export const GROUP_TABLE: CommandTable = {
  groups: [{ name: "group", summary: "Resource groups" }],
  commands: [
    {
      name: "group create",
      summary:
        "Create a resource group (an existing one is left as it is, or its tags replaced with --force)",
      args: ["<name>"],
      options: [
        { flags: "-l, --location <region>", description: "region, e.g. eastus2", required: true },
        TAG,
        { flags: "--force", description: "replace the tags of an existing resource group" },
      ],
      examples: ["adl group create rg1 -l eastus2", "adl group create rg1 -l eastus2 --tag env=dev --json"],
      load: () => group().then((m) => m.create),
    },
    {
      name: "group show",
      summary: "Show a resource group",
      args: ["<name>"],
      examples: ["adl group show rg1"],
      load: () => group().then((m) => m.show),
    },
    {
      name: "group list",
      summary: "List resource groups",
      examples: ["adl group list", "adl group list --json"],
      load: () => group().then((m) => m.list),
    },
    {
      name: "group delete",
      summary: "Delete a resource group and everything in it",
      args: ["<name>"],
      options: [YES, NO_WAIT],
      examples: ["adl group delete rg1 --yes", "adl group delete rg1 --yes --no-wait"],
      load: () => group().then((m) => m.remove),
    },
  ],
};
