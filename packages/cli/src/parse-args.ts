import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { CommandSpec, OptionSpec } from "./command-spec.js";
import { COMMANDS, GROUPS } from "./commands.js";
import type { GlobalOptions } from "./config/settings.js";
import { UsageError } from "./errors.js";
import { GLOBAL_OPTIONS } from "./global-options.js";
import { formatHelp, GLOBAL_HEADING, setHelpExtras } from "./help.js";

export type Parsed =
  | { kind: "run"; spec: CommandSpec; options: Record<string, unknown>; globals: GlobalOptions }
  /** Help was asked for (exit 0, stdout) or a group was given without a command (exit 2, stderr). */
  | { kind: "help"; text: string; exitCode: 0 | 2 }
  | { kind: "version"; text: string };

const NOTES = `
Credentials come from flags, else AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET (or
AZURE_CLIENT_CERTIFICATE_PATH, or ADL_MANAGED_IDENTITY) and AZURE_SUBSCRIPTION_ID, else the current profile
(adl profile use).

Paths on the account are absolute: /data/x.csv, not data/x.csv. Any fs command also takes locations in full:
adl://ACCOUNT/path (Gen1) and abfss://FILESYSTEM@ACCOUNT/path (Gen2).

Exit codes: 0 ok, 1 failed, 2 usage error, 3 not found, 130 interrupted.
`;

const EXAMPLES = [
  "adl emulator start --data ./.adl-emulator &",
  "adl profile add local --from-emulator ./.adl-emulator --account testacct --use",
  "adl fs put ./data.csv /data/data.csv",
  "adl fs ls /data --json",
  "adl help fs put",
];

function toOption(spec: OptionSpec): Option {
  const description =
    spec.defaultText === undefined ? spec.description : `${spec.description} (default: ${spec.defaultText})`;
  const option = new Option(spec.flags, description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.parse) {
    const parse = spec.parse;
    option.argParser((value: string, previous: unknown) => {
      try {
        return parse(value, previous as never);
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message);
      }
    });
  }
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.required) option.makeOptionMandatory();
  return option;
}

function argName(arg: string): string {
  return arg.replace(/[<>[\].]/g, "").replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

interface Chosen {
  spec?: CommandSpec;
  cmd?: Command;
  args?: unknown[];
  /** `adl help fs put` or `adl fs help put`: the words to show the help of. */
  help?: string[];
}

/** Builds the commander program for a table; actions only record what was chosen. */
function buildProgram(
  table: CommandSpec[],
  version: string,
  out: { text: string; err: string },
  chosen: Chosen,
): Command {
  const output = {
    writeOut: (s: string) => {
      out.text += s;
    },
    writeErr: (s: string) => {
      out.err += s;
    },
    outputError: () => {},
    getOutHelpWidth: () => 100,
    getErrHelpWidth: () => 100,
  };
  const program = new Command("adl")
    .description("adl: Azure Data Lake accounts and filesystems, Gen1 and Gen2, from the command line.")
    .version(version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .configureOutput(output)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, formatHelp })
    // Commander's own help command takes one word (`adl help fs` only); ours below takes the whole path.
    .helpCommand(false)
    .exitOverride()
    .allowExcessArguments(false)
    .showSuggestionAfterError(true);
  setHelpExtras(program, { examples: EXAMPLES, notes: NOTES });
  for (const option of GLOBAL_OPTIONS) program.addOption(toOption(option).helpGroup(GLOBAL_HEADING));
  const addHelpCommand = (parent: Command, prefix: string[]) =>
    parent
      .command("help")
      .argument("[command...]")
      .description("show the help of a command")
      .configureOutput(output)
      .exitOverride()
      .action((words: string[]) => {
        chosen.help = [...prefix, ...words];
      });

  const nodes = new Map<string, Command>([["", program]]);
  const node = (path: string[]): Command => {
    const key = path.join(" ");
    const existing = nodes.get(key);
    if (existing) return existing;
    const parent = node(path.slice(0, -1));
    const group = GROUPS.find((g) => g.name === key);
    const cmd = parent
      .command(path[path.length - 1]!)
      .description(group?.summary ?? "")
      .configureOutput(output)
      .exitOverride()
      .allowExcessArguments(false)
      .showSuggestionAfterError(true);
    nodes.set(key, cmd);
    return cmd;
  };

  for (const spec of table) {
    const words = spec.name.split(" ");
    const parent = node(words.slice(0, -1));
    const cmd = parent
      .command(words[words.length - 1]!)
      .description(spec.summary)
      .configureOutput(output)
      .exitOverride()
      .allowExcessArguments(false)
      .showSuggestionAfterError(true);
    for (const arg of spec.args ?? []) cmd.argument(arg);
    for (const option of spec.options ?? []) cmd.addOption(toOption(option));
    setHelpExtras(cmd, { examples: spec.examples });
    cmd.action((...args: unknown[]) => {
      chosen.spec = spec;
      chosen.cmd = cmd;
      chosen.args = args.slice(0, (spec.args ?? []).length);
    });
  }
  // Last, so that it is listed after the commands of each group.
  for (const group of ["", ...GROUPS.map((g) => g.name)]) {
    const path = group ? group.split(" ") : [];
    if (table.some((c) => c.name.startsWith(`${group} `.trimStart()))) addHelpCommand(node(path), path);
  }
  return program;
}

/**
 * Parses a command line (without `node adl`) against the command table. Pure: nothing is printed, read or
 * run; help and version come back as text, mistakes as a UsageError.
 */
export function parseArgs(
  argv: readonly string[],
  options: { version?: string; table?: CommandSpec[] } = {},
): Parsed {
  // A command line that starts with a command's words is parsed against that command alone: building the whole
  // program (every command and option) costs more than the parse itself. Anything but a command to run (its
  // help, a mistake) is parsed again against the whole table, so texts and errors stay exactly what they were.
  const spec = options.table ? undefined : leadingCommand(argv);
  if (spec) {
    try {
      const parsed = parseWith(argv, { ...options, table: [spec] });
      if (parsed.kind === "run") return parsed;
    } catch {
      // Said again below, against the whole table.
    }
  }
  return parseWith(argv, options);
}

/** The command whose words begin `argv` (the longest such name), if any. */
function leadingCommand(argv: readonly string[]): CommandSpec | undefined {
  const words = commandWords(argv, new Set(COMMANDS.map((c) => c.name)));
  return words ? COMMANDS.find((c) => c.name === words) : undefined;
}

function parseWith(argv: readonly string[], options: { version?: string; table?: CommandSpec[] }): Parsed {
  const out = { text: "", err: "" };
  const chosen: Chosen = {};
  const program = buildProgram(options.table ?? COMMANDS, options.version ?? "0.0.0", out, chosen);
  try {
    program.parse([...argv], { from: "user" });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === "commander.version") return { kind: "version", text: out.text.trim() };
    if (err.code === "commander.helpDisplayed") return { kind: "help", text: out.text, exitCode: 0 };
    if (err.code === "commander.help" || err.code === "commander.executeSubCommandAsync") {
      return { kind: "help", text: out.err || out.text, exitCode: 2 };
    }
    const words = commandWords(argv);
    throw new UsageError(
      err.message.replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " "),
      `Run \`adl ${words ? `${words} ` : ""}--help\` for usage.`,
    );
  }
  if (chosen.help) {
    // Commander would show the nearest group's help for a mistyped word; say what is wrong instead.
    const table = options.table ?? COMMANDS;
    const known = new Set([...table.map((c) => c.name), ...GROUPS.map((g) => g.name), ""]);
    const words = chosen.help.join(" ");
    if (!known.has(words)) {
      const prefix = commandWords(chosen.help, known);
      throw new UsageError(
        `unknown command '${words}'`,
        `Run \`adl ${prefix ? `${prefix} ` : ""}--help\` for the commands.`,
      );
    }
    return parseArgs([...chosen.help, "--help"], options);
  }
  if (!chosen.spec || !chosen.cmd) {
    // A group without a command: commander printed its help through writeErr.
    return { kind: "help", text: out.err || program.helpInformation(), exitCode: 2 };
  }
  const all = chosen.cmd.optsWithGlobals() as Record<string, unknown>;
  const globals: GlobalOptions = {
    json: all.json === true,
    quiet: all.quiet === true,
    verbose: all.verbose === true,
    debug: all.debug === true,
    color: all.color !== false,
    ...(all.tokenCache === false ? { tokenCache: false } : {}),
    profile: all.profile as string | undefined,
    cloud: all.cloud as string | undefined,
    emulator: all.emulator as string | undefined,
    tenant: all.tenant as string | undefined,
    clientId: all.clientId as string | undefined,
    clientSecret: all.clientSecret as string | undefined,
    certificate: all.certificate as string | undefined,
    ...(all.managedIdentity === true ? { managedIdentity: true } : {}),
    ...(typeof all.managedIdentityClientId === "string"
      ? { managedIdentityClientId: all.managedIdentityClientId }
      : {}),
    subscription: all.subscription as string | undefined,
    account: all.account as string | undefined,
  };
  const own = chosen.cmd.opts() as Record<string, unknown>;
  const commandOptions: Record<string, unknown> = { ...own };
  (chosen.spec.args ?? []).forEach((arg, i) => {
    commandOptions[argName(arg)] = chosen.args?.[i];
  });
  if (chosen.spec.name.startsWith("fs ")) {
    for (const [i, arg] of (chosen.spec.args ?? []).entries()) {
      if (!REMOTE_ARGS.has(argName(arg))) continue;
      const value = chosen.args?.[i];
      for (const path of Array.isArray(value) ? value : [value])
        if (typeof path === "string") checkRemotePath(path);
    }
  }
  if (globals.json && chosen.spec.rawStdout) {
    throw new UsageError(
      `--json does not apply to \`adl ${chosen.spec.name}\`: it writes the file's bytes to stdout`,
      "Use `adl fs stat --json` for metadata.",
    );
  }
  return { kind: "run", spec: chosen.spec, options: commandOptions, globals };
}

/**
 * The arguments of `fs` commands that name a path on the account. The other ones (`local`, `mode`, `owner`,
 * `spec`, and `fs cp`'s `src` and `dst`: a local path or an adl:// or abfss:// location) are not paths there;
 * a test holds every `fs` argument to one of the two lists.
 */
export const REMOTE_ARGS = new Set(["path", "paths", "remote", "source", "destination", "sources"]);
export const OTHER_FS_ARGS = new Set(["local", "mode", "owner", "spec", "src", "dst"]);

/**
 * An account has no working directory, so a relative path has no meaning of its own: refused with the absolute
 * path the user probably meant, rather than read from the root behind their back.
 */
function checkRemotePath(path: string): void {
  if (path.startsWith("/")) return;
  // A location URI is read (and refused with its reason) where the cloud, which gives its host suffix, is known.
  if (/^(?:adl|abfss?):\/\//i.test(path)) return;
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? URL.parse(path) : null;
  if (url) {
    throw new UsageError(
      `'${path}' is not a location adl reads: write adl://ACCOUNT/path (Gen1), abfss://FILESYSTEM@ACCOUNT/path (Gen2), or /path with -a ACCOUNT`,
      "Remote paths start with /, e.g. /data/x.csv, or are adl:// or abfss:// URIs.",
    );
  }
  if (path === "") throw new UsageError("a remote path is empty", "Use / for the root of the account.");
  const absolute = `/${path.replace(/^(\.\/)+/, "").replace(/^\.$/, "")}`;
  throw new UsageError(
    `remote path '${path}' is relative: an account has no working directory`,
    `Use ${absolute}.`,
  );
}

/** The command words of an argv (up to the first option), for "run adl … --help" hints. */
function commandWords(
  argv: readonly string[],
  known = new Set([...COMMANDS.map((c) => c.name), ...GROUPS.map((g) => g.name)]),
): string {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith("-")) break;
    words.push(a);
    if (words.length === 3) break;
  }
  while (words.length > 0 && !known.has(words.join(" "))) words.pop();
  return words.join(" ");
}
