import type { OptionSpec } from "../command-spec.js";
import { parseTag } from "../parse-values.js";

/** Options that mean the same in several groups' commands, declared once so that their help reads the same. */

export const RG: OptionSpec = {
  flags: "-g, --resource-group <name>",
  description: "resource group",
  required: true,
};
export const TAG: OptionSpec = {
  flags: "--tag <key=value>",
  description: "a tag (repeatable)",
  parse: parseTag as OptionSpec["parse"],
};
export const NO_WAIT: OptionSpec = {
  flags: "--no-wait",
  description: "return once the service accepted the operation",
};
export const YES: OptionSpec = { flags: "-y, --yes", description: "confirm the deletion (required)" };
