/** Programmatic entry: run an `adl` command line in this process (tests, embedding). */

export type { CommandSpec } from "./command-spec.js";
export { COMMANDS } from "./commands.js";
export { run } from "./main.js";
export { type Parsed, parseArgs } from "./parse-args.js";
export type { Result } from "./result.js";
