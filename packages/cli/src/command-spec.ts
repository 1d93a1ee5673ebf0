import type { Context } from "./context.js";
import type { Result } from "./result.js";

/**
 * The shapes of the command table (src/commands.ts and the src/commands/*-table.ts it joins). Kept apart from the
 * table so that a command's implementation can name `CommandFn` without importing the table that lazily imports it.
 */

// biome-ignore lint/suspicious/noExplicitAny: each command declares its own options type
export type CommandFn = (options: any, ctx: Context) => Promise<Result>;

export interface OptionSpec {
  /** Commander syntax: `-g, --resource-group <name>`, `--no-wait`, `-R, --recursive`. */
  flags: string;
  description: string;
  required?: boolean;
  default?: unknown;
  /** Shown in the help as "(default: …)" when the default is the library's, not passed from here. */
  defaultText?: string;
  choices?: readonly string[];
  /** Turns the text into the value; throws with a short reason (a usage error). */
  parse?: (value: string, previous: never) => unknown;
}

export interface CommandSpec {
  /** Words after `adl`: `fs acl get`. */
  name: string;
  summary: string;
  /** Commander syntax: `<path>`, `[paths...]`. */
  args?: string[];
  options?: OptionSpec[];
  examples: string[];
  /** Writes raw bytes to stdout, so --json does not apply. */
  rawStdout?: boolean;
  load: () => Promise<CommandFn>;
}

export interface GroupSpec {
  name: string;
  summary: string;
}

/** One group's part of the table: its help headings and its commands, in the order `adl --help` shows them. */
export interface CommandTable {
  groups: GroupSpec[];
  commands: CommandSpec[];
}
