import type { CommandSpec, GroupSpec } from "./command-spec.js";
import { ACCOUNT_TABLE } from "./commands/account-table.js";
import { EMULATOR_TABLE } from "./commands/emulator-table.js";
import { FS_TABLE } from "./commands/fs-table.js";
import { GROUP_TABLE } from "./commands/group-table.js";
import { PROFILE_TABLE } from "./commands/profile-table.js";
import { RULES_TABLE } from "./commands/rules-table.js";
import { STORAGE_ACCOUNT_TABLE } from "./commands/storage-account-table.js";

/**
 * The command table: names, arguments, options and examples of every command, with a lazy `import()` of
 * its implementation, so starting `adl` loads only what the one command run needs. Each group's part is in
 * src/commands/<group>-table.ts; this is their order in `adl --help`.
 */
const TABLES = [
  PROFILE_TABLE,
  EMULATOR_TABLE,
  GROUP_TABLE,
  ACCOUNT_TABLE,
  STORAGE_ACCOUNT_TABLE,
  RULES_TABLE,
  FS_TABLE,
];

export const GROUPS: GroupSpec[] = TABLES.flatMap((table) => table.groups);
export const COMMANDS: CommandSpec[] = TABLES.flatMap((table) => table.commands);
