/** Programmatic entry: run an `adl` command line in this process (tests, embedding). */
export { run } from "./main.js";
export { parseArgs, type Parsed } from "./parse-args.js";
export { COMMANDS, type CommandSpec } from "./commands.js";
export type { Result } from "./result.js";
