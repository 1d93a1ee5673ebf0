import type { Command, Help, Option } from "commander";

/**
 * The layout of every `--help`: usage, description, commands, the command's own options, its examples, and
 * the global options last (gh's "inherited flags"), so what is particular to the command comes first.
 */

/** The heading of the options every command accepts (defined once, on the program). */
export const GLOBAL_HEADING = "Global options:";

interface Extras {
  examples?: readonly string[];
  /** Free text after everything else (the program's notes on credentials and exit codes). */
  notes?: string;
}

const EXTRAS = new WeakMap<Command, Extras>();

/** Attaches examples (shown as `$ adl …` lines) and notes to a command's help. */
export function setHelpExtras(cmd: Command, extras: Extras): void {
  EXTRAS.set(cmd, extras);
}

export function formatHelp(cmd: Command, helper: Help): string {
  const termWidth = helper.padWidth(cmd, helper);
  const items = <T>(list: readonly T[], term: (t: T) => string, description: (t: T) => string) =>
    list.map((t) => helper.formatItem(term(t), termWidth, description(t), helper));
  const section = (heading: string, lines: string[]) =>
    lines.length > 0 ? [helper.styleTitle(heading), ...lines, ""] : [];
  const options = (list: readonly Option[]) =>
    items(
      list,
      (o) => helper.styleOptionTerm(helper.optionTerm(o)),
      (o) => helper.styleOptionDescription(helper.optionDescription(o)),
    );

  const own = helper.visibleOptions(cmd);
  // On the program the global options are its own; below it, they are inherited.
  const isGlobal = (o: Option) => o.helpGroupHeading === GLOBAL_HEADING;
  const global = [...own.filter(isGlobal), ...helper.visibleGlobalOptions(cmd)];
  const extras = EXTRAS.get(cmd) ?? {};
  const description = helper.commandDescription(cmd);

  const out: string[] = [`${helper.styleTitle("Usage:")} ${helper.styleUsage(helper.commandUsage(cmd))}`, ""];
  if (description)
    out.push(helper.boxWrap(helper.styleCommandDescription(description), helper.helpWidth ?? 80), "");
  const args = items(
    helper.visibleArguments(cmd),
    (a) => helper.styleArgumentTerm(helper.argumentTerm(a)),
    (a) => helper.styleArgumentDescription(helper.argumentDescription(a)),
  );
  const commands = items(
    helper.visibleCommands(cmd),
    (c) => helper.styleSubcommandTerm(helper.subcommandTerm(c)),
    (c) => helper.styleSubcommandDescription(helper.subcommandDescription(c)),
  );
  out.push(
    ...section("Arguments:", args),
    ...section("Commands:", commands),
    ...section("Options:", options(own.filter((o) => !isGlobal(o)))),
    ...section(
      "Examples:",
      (extras.examples ?? []).map((e) => `  $ ${e}`),
    ),
    ...section(GLOBAL_HEADING, options(global)),
  );
  if (extras.notes) out.push(extras.notes.trim(), "");
  return out.join("\n");
}
