import type { Context } from "./context.js";
import {
  parseDate,
  parseDuration,
  parseEnabled,
  parseInteger,
  parseMode,
  parseSize,
  parseTag,
  TIERS,
} from "./parse-values.js";
import type { Result } from "./result.js";

/**
 * The command table: names, arguments, options and examples of every command, with a lazy `import()` of
 * its implementation, so starting `adl` loads only what the one command run needs.
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

const RG: OptionSpec = {
  flags: "-g, --resource-group <name>",
  description: "resource group",
  required: true,
};
const TAG: OptionSpec = {
  flags: "--tag <key=value>",
  description: "a tag (repeatable)",
  parse: parseTag as OptionSpec["parse"],
};
const NO_WAIT: OptionSpec = {
  flags: "--no-wait",
  description: "return once the service accepted the operation",
};
const YES: OptionSpec = { flags: "-y, --yes", description: "confirm the deletion (required)" };
const RECURSIVE: OptionSpec = {
  flags: "-R, --recursive",
  description: "apply to everything below the path too",
};
/**
 * fs-client's CONCURRENCY_RANGE and CHUNK_SIZE_RANGE, spelled out so that parsing the command line (every run)
 * does not load the client; a unit test keeps them equal. Checked before any work, as usage errors.
 */
export const TRANSFER_LIMITS = {
  threads: { min: 1, max: 256 },
  chunkSize: { min: 1024 ** 2, max: 1024 ** 3 },
} as const;
const THREADS: OptionSpec = {
  flags: "-t, --threads <n>",
  defaultText: "8", // fs-client's DEFAULTS.concurrency (a test compares)
  description: "parallel requests",
  parse: (v: string) => parseInteger(v, TRANSFER_LIMITS.threads.min, TRANSFER_LIMITS.threads.max),
};
const CHUNK: OptionSpec = {
  flags: "--chunk-size <size>",
  defaultText: "64M", // fs-client's DEFAULTS.chunkSize (a test compares)
  description: "bytes per parallel segment or range (e.g. 64M)",
  parse: (v: string) => parseSize(v, TRANSFER_LIMITS.chunkSize),
};
const OVERWRITE: OptionSpec = { flags: "-f, --overwrite", description: "replace what is there" };
const RESUME: OptionSpec = {
  flags: "--resume",
  description: "continue an interrupted transfer from its state file",
};
const NO_DIRECT_IO: OptionSpec = {
  flags: "--no-direct-io",
  description:
    "read (put) or write (get) the local file through the page cache (default on Linux: files of 32 MiB and more go around it, which costs less CPU)",
};
const BYTES: OptionSpec = {
  flags: "-c, --bytes <size>",
  description: "how many bytes",
  default: 1024,
  parse: parseSize,
};

export const GROUPS: GroupSpec[] = [
  { name: "profile", summary: "Named credentials and defaults in the config file" },
  { name: "emulator", summary: "The local emulator (Entra ID, Resource Manager, filesystem)" },
  { name: "group", summary: "Resource groups" },
  { name: "account", summary: "Data Lake Store Gen1 accounts" },
  { name: "firewall", summary: "Firewall rules of an account" },
  { name: "vnet-rule", summary: "Virtual network rules of an account" },
  { name: "trusted-idp", summary: "Trusted identity providers of an account" },
  { name: "fs", summary: "Files and directories of an account" },
  { name: "fs acl", summary: "Access control lists" },
  { name: "fs expiry", summary: "File expiry" },
];

const profile = () => import("./commands/profile.js");
const group = () => import("./commands/group.js");
const account = () => import("./commands/account.js");
const rules = () => import("./commands/rules.js");

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

export const COMMANDS: CommandSpec[] = [
  // ---- profile ---------------------------------------------------------------------------------
  {
    name: "profile add",
    summary: "Save credentials, cloud, subscription and default account under a name",
    args: ["<name>"],
    options: [
      {
        flags: "--from-emulator <dir>",
        description: "use an emulator's DIR/connection.json (nothing secret is copied)",
      },
      { flags: "--use", description: "make it the current profile" },
    ],
    examples: [
      "adl profile add local --from-emulator ./.adl-emulator --account testacct --use",
      "adl profile add prod --tenant contoso.onmicrosoft.com --client-id 1111… --client-secret … --subscription 2222…",
      "adl profile add ci --tenant … --client-id … --certificate ./sp.pem --cloud usgov",
    ],
    load: () => profile().then((m) => m.add),
  },
  {
    name: "profile list",
    summary: "List profiles (secrets shown as ***)",
    examples: ["adl profile list", "adl profile list --json"],
    load: () => profile().then((m) => m.list),
  },
  {
    name: "profile use",
    summary: "Make a profile the current one",
    args: ["<name>"],
    examples: ["adl profile use local"],
    load: () => profile().then((m) => m.use),
  },
  {
    name: "profile remove",
    summary: "Delete a profile",
    args: ["<name>"],
    examples: ["adl profile remove old"],
    load: () => profile().then((m) => m.remove),
  },
  {
    name: "profile logout",
    summary: "Forget the tokens kept between runs (of a profile, or --all)",
    args: ["[name]"],
    options: [{ flags: "--all", description: "of every profile" }],
    examples: ["adl profile logout", "adl profile logout prod", "adl profile logout --all"],
    load: () => import("./commands/profile-logout.js").then((m) => m.logout),
  },
  // ---- emulator --------------------------------------------------------------------------------
  {
    name: "emulator start",
    summary: "Run the emulator in the foreground until Ctrl-C",
    options: [
      {
        flags: "--port <n>",
        description: "TCP port on 127.0.0.1 (0 picks a free one)",
        default: 8443,
        parse: (v: string) => parseInteger(v, 0, 65535),
      },
      { flags: "--data <dir>", description: "certificates, identity and data", default: ".adl-emulator" },
      {
        flags: "--config <file>",
        description: "JSON settings: tenants, applications, accounts, token lifetime",
      },
    ],
    examples: ["adl emulator start", "adl emulator start --port 0 --data /tmp/adl --json"],
    load: () => import("./commands/emulator.js").then((m) => m.start),
  },
  // ---- group -----------------------------------------------------------------------------------
  {
    name: "group create",
    summary: "Create a resource group (an existing one is left as it is, or its tags replaced with --force)",
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
  // ---- account ---------------------------------------------------------------------------------
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
  // ---- account children -----------------------------------------------------------------------
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
  // ---- fs --------------------------------------------------------------------------------------
  {
    name: "fs ls",
    summary: "List a directory (or show one file)",
    args: ["[path]"],
    options: [
      { flags: "-R, --recursive", description: "everything below, depth-first" },
      {
        flags: "-H, --human",
        description: "sizes as 4.8 MiB (the default on a terminal; --no-human for exact bytes there)",
      },
      { flags: "--no-human", description: "exact sizes in bytes (the default when piped)" },
    ],
    examples: ["adl fs ls /", "adl fs ls -R /data --json", "adl fs ls /data --account lake1"],
    load: () => import("./commands/fs/ls.js").then((m) => m.ls),
  },
  {
    name: "fs stat",
    summary: "Show the status of a file or directory",
    args: ["<path>"],
    examples: ["adl fs stat /data/file.csv", "adl fs stat /data --json"],
    load: () => import("./commands/fs/stat.js").then((m) => m.stat),
  },
  {
    name: "fs test",
    summary: "Exit 0 when a test holds, 1 when not (like `hdfs dfs -test`)",
    args: ["<path>"],
    options: [
      { flags: "-e, --exists", description: "the path exists (the default)" },
      { flags: "-d, --directory", description: "it is a directory" },
      { flags: "-f, --file", description: "it is a file" },
      { flags: "-z, --zero", description: "it is an empty file" },
    ],
    examples: ["adl fs test -e /data && echo there", "adl fs test -d /data --json"],
    load: () => import("./commands/fs/stat.js").then((m) => m.test),
  },
  {
    name: "fs mkdir",
    summary: "Create directories (and their parents)",
    args: ["<paths...>"],
    options: [{ flags: "-m, --mode <octal>", description: "permission, e.g. 750", parse: parseMode }],
    examples: ["adl fs mkdir /data/raw /data/clean", "adl fs mkdir -m 750 /private"],
    load: () => import("./commands/fs/namespace.js").then((m) => m.mkdir),
  },
  {
    name: "fs put",
    summary: "Upload a file or directory (`-` reads stdin)",
    args: ["<local>", "<remote>"],
    options: [THREADS, CHUNK, OVERWRITE, RESUME, NO_DIRECT_IO],
    examples: [
      "adl fs put ./big.parquet /data/big.parquet",
      "adl fs put ./site /www --threads 16 --overwrite",
      "tar c . | adl fs put - /backup/today.tar",
    ],
    load: () => import("./commands/fs/transfer.js").then((m) => m.put),
  },
  {
    name: "fs get",
    summary: "Download a file or directory (`-` writes to stdout)",
    args: ["<remote>", "[local]"],
    options: [THREADS, CHUNK, OVERWRITE, RESUME, NO_DIRECT_IO],
    examples: [
      "adl fs get /data/big.parquet ./big.parquet",
      "adl fs get /www ./site --resume",
      "adl fs get /logs/app.log - | grep ERROR",
    ],
    load: () => import("./commands/fs/transfer.js").then((m) => m.get),
  },
  {
    name: "fs cat",
    summary: "Stream files to stdout",
    args: ["<paths...>"],
    rawStdout: true,
    examples: ["adl fs cat /data/small.csv", "adl fs cat /logs/a.log /logs/b.log | wc -l"],
    load: () => import("./commands/fs/read.js").then((m) => m.cat),
  },
  {
    name: "fs head",
    summary: "The first bytes of a file (1 KiB by default)",
    args: ["<path>"],
    options: [BYTES],
    rawStdout: true,
    examples: ["adl fs head /data/file.csv", "adl fs head -c 64K /data/file.csv"],
    load: () => import("./commands/fs/read.js").then((m) => m.head),
  },
  {
    name: "fs tail",
    summary: "The last bytes of a file (1 KiB by default)",
    args: ["<path>"],
    options: [BYTES],
    rawStdout: true,
    examples: ["adl fs tail /logs/app.log", "adl fs tail -c 4K /logs/app.log"],
    load: () => import("./commands/fs/read.js").then((m) => m.tail),
  },
  {
    name: "fs mv",
    summary: "Move or rename a file or directory",
    args: ["<source>", "<destination>"],
    options: [{ flags: "-f, --overwrite", description: "replace an existing destination file" }],
    examples: ["adl fs mv /data/tmp.csv /data/final.csv"],
    load: () => import("./commands/fs/namespace.js").then((m) => m.mv),
  },
  {
    name: "fs rm",
    summary: "Delete files or directories",
    args: ["<paths...>"],
    options: [
      { flags: "-r, --recursive", description: "delete directories and their contents (also -R)" },
      { flags: "-f, --force", description: "no error when a path does not exist" },
    ],
    examples: ["adl fs rm /data/old.csv", "adl fs rm -r /scratch"],
    load: () => import("./commands/fs/namespace.js").then((m) => m.rm),
  },
  {
    name: "fs du",
    summary: "Space used by each entry of a directory (or in total with -s)",
    args: ["<path>"],
    options: [{ flags: "-s, --summary", description: "one total for the path" }],
    examples: ["adl fs du /data", "adl fs du -s /data --json"],
    load: () => import("./commands/fs/du.js").then((m) => m.du),
  },
  {
    name: "fs touch",
    summary: "Create an empty file, or set the modification time of one",
    args: ["<paths...>"],
    examples: ["adl fs touch /data/_SUCCESS"],
    load: () => import("./commands/fs/namespace.js").then((m) => m.touch),
  },
  {
    name: "fs concat",
    summary: "Join files into one (the sources are removed)",
    args: ["<destination>", "<sources...>"],
    examples: ["adl fs concat /data/all.csv /data/part-0.csv /data/part-1.csv"],
    load: () => import("./commands/fs/namespace.js").then((m) => m.concat),
  },
  {
    name: "fs chmod",
    summary: "Set the permission of a path: octal (750) or symbolic (u+x, g-w, o=r, a+rX, +t), like chmod",
    args: ["<mode>", "<paths...>"],
    options: [RECURSIVE],
    examples: ["adl fs chmod 750 /data", "adl fs chmod -R g-w,o= /data/reports", "adl fs chmod -R a+rX /www"],
    load: () => import("./commands/fs/permissions.js").then((m) => m.chmod),
  },
  {
    name: "fs chown",
    summary: "Set the owner and/or group of a path (OWNER, OWNER:GROUP or :GROUP)",
    args: ["<owner>", "<paths...>"],
    options: [RECURSIVE],
    examples: ["adl fs chown 1111…:2222… /data", "adl fs chown -R :2222… /data/shared"],
    load: () => import("./commands/fs/permissions.js").then((m) => m.chown),
  },
  {
    name: "fs expiry set",
    summary: "Make a file expire (be deleted) at a time",
    args: ["<path>"],
    options: [
      {
        flags: "--at <date>",
        description: "an ISO date or time, e.g. 2030-01-31T00:00:00Z",
        parse: parseDate,
      },
      {
        flags: "--in <duration>",
        description: "from now, e.g. 12h or 30d",
        parse: (v: string) => parseDuration(v, 0),
      },
      {
        flags: "--after-creation <duration>",
        description: "from the file's creation, e.g. 90d",
        parse: parseDuration,
      },
      { flags: "-y, --yes", description: "accept a time that is not in the future (deletes the file now)" },
    ],
    examples: ["adl fs expiry set /tmp/x.csv --in 7d", "adl fs expiry set /tmp/x.csv --at 2030-01-31"],
    load: () => import("./commands/fs/expiry.js").then((m) => m.set),
  },
  {
    name: "fs expiry remove",
    summary: "Make a file never expire",
    args: ["<path>"],
    examples: ["adl fs expiry remove /tmp/x.csv"],
    load: () => import("./commands/fs/expiry.js").then((m) => m.remove),
  },
  {
    name: "fs acl get",
    summary: "Show the owner, group, permission and ACL entries of a path",
    args: ["<path>"],
    examples: ["adl fs acl get /data", "adl fs acl get /data --json"],
    load: () => import("./commands/fs/acl.js").then((m) => m.get),
  },
  {
    name: "fs acl set",
    summary: "Replace the ACL (entries like user::rwx,group::r-x,other::---,user:OID:r-x)",
    args: ["<spec>", "<path>"],
    options: [RECURSIVE],
    examples: ["adl fs acl set user::rwx,group::r-x,other::---,user:1111…:r-x /data"],
    load: () => import("./commands/fs/acl.js").then((m) => m.set),
  },
  {
    name: "fs acl modify",
    summary: "Add or change ACL entries",
    args: ["<spec>", "<path>"],
    options: [RECURSIVE],
    examples: ["adl fs acl modify user:1111…:rwx /data", "adl fs acl modify -R default:user:1111…:r-x /data"],
    load: () => import("./commands/fs/acl.js").then((m) => m.modify),
  },
  {
    name: "fs acl remove",
    summary: "Remove ACL entries (user:OID or default:user:OID)",
    args: ["<spec>", "<path>"],
    options: [RECURSIVE],
    examples: ["adl fs acl remove user:1111… /data"],
    load: () => import("./commands/fs/acl.js").then((m) => m.remove),
  },
  {
    name: "fs acl remove-default",
    summary: "Remove the default ACL of a directory",
    args: ["<path>"],
    options: [RECURSIVE],
    examples: ["adl fs acl remove-default /data"],
    load: () => import("./commands/fs/acl.js").then((m) => m.removeDefault),
  },
  {
    name: "fs acl remove-all",
    summary: "Remove all ACL entries but the base ones (owner, group, other)",
    args: ["<path>"],
    options: [RECURSIVE],
    examples: ["adl fs acl remove-all /data"],
    load: () => import("./commands/fs/acl.js").then((m) => m.removeAll),
  },
];
