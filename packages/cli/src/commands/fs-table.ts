import type { CommandTable, OptionSpec } from "../command-spec.js";
import { parseDate, parseDuration, parseInteger, parseMode, parseSize } from "../parse-values.js";

const RECURSIVE: OptionSpec = {
  flags: "-R, --recursive",
  description: "apply to everything below the path too",
};

/** ACL changes of a Gen2 tree run on the service, in batches. */
const ACL_BATCH_SIZE: OptionSpec = {
  flags: "--batch-size <n>",
  description: "with -R on Gen2: paths the service changes per request, 1-2000 (default 2000)",
  parse: (v: string) => parseInteger(v, 1, 2000),
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

export const FS_TABLE: CommandTable = {
  groups: [
    {
      name: "fs",
      summary:
        "Files and directories: /path (on -a ACCOUNT), adl://ACCOUNT/path, abfss://FILESYSTEM@ACCOUNT/path",
    },
    { name: "fs acl", summary: "Access control lists" },
    { name: "fs expiry", summary: "File expiry" },
  ],
  commands: [
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
      examples: [
        "adl fs ls /",
        "adl fs ls -R /data --json",
        "adl fs ls /data --account lake1",
        "adl fs ls adl://lake1/data",
        "adl fs ls abfss://raw@lake2/2024",
      ],
      load: () => import("./fs/ls.js").then((m) => m.ls),
    },
    {
      name: "fs stat",
      summary: "Show the status of a file or directory",
      args: ["<path>"],
      examples: ["adl fs stat /data/file.csv", "adl fs stat /data --json"],
      load: () => import("./fs/stat.js").then((m) => m.stat),
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
      load: () => import("./fs/stat.js").then((m) => m.test),
    },
    {
      name: "fs mkdir",
      summary: "Create directories (and their parents); abfss://FS@ACCOUNT/ creates the Gen2 filesystem",
      args: ["<paths...>"],
      options: [{ flags: "-m, --mode <octal>", description: "permission, e.g. 750", parse: parseMode }],
      examples: [
        "adl fs mkdir /data/raw /data/clean",
        "adl fs mkdir -m 750 /private",
        "adl fs mkdir abfss://raw@lake2/",
      ],
      load: () => import("./fs/namespace.js").then((m) => m.mkdir),
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
        "adl fs put ./big.parquet abfss://raw@lake2/2024/",
      ],
      load: () => import("./fs/transfer.js").then((m) => m.put),
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
      load: () => import("./fs/transfer.js").then((m) => m.get),
    },
    {
      name: "fs cp",
      summary:
        "Copy a file or tree between local paths, adl:// (Gen1) and abfss:// (Gen2) locations, verified",
      args: ["<src>", "<dst>"],
      options: [
        { flags: "-R, --recursive", description: "copy a directory and everything below it" },
        THREADS,
        CHUNK,
        { flags: "-f, --overwrite", description: "replace files that exist at the destination" },
        {
          flags: "--resume",
          description: "continue an interrupted copy: skip the files it finished and verified",
        },
        {
          flags: "--preserve <items>",
          description:
            "carry acl, owner, permissions (comma-separated) or none (default: all three from adl:// to abfss://, else none)",
        },
        {
          flags: "--dry-run",
          description:
            "list what would be copied and which ACL entries cannot be carried (and why); copy nothing",
        },
      ],
      examples: [
        "adl fs cp -R adl://lake1/data abfss://data@lake2/data",
        "adl fs cp -R adl://lake1/data abfss://data@lake2/data --dry-run",
        "adl fs cp ./report.csv abfss://data@lake2/reports/",
        "adl fs cp -R abfss://data@lake2/logs ./logs --resume",
      ],
      load: () => import("./fs/cp.js").then((m) => m.cp),
    },
    {
      name: "fs cat",
      summary: "Stream files to stdout",
      args: ["<paths...>"],
      rawStdout: true,
      examples: ["adl fs cat /data/small.csv", "adl fs cat /logs/a.log /logs/b.log | wc -l"],
      load: () => import("./fs/read.js").then((m) => m.cat),
    },
    {
      name: "fs head",
      summary: "The first bytes of a file (1 KiB by default)",
      args: ["<path>"],
      options: [BYTES],
      rawStdout: true,
      examples: ["adl fs head /data/file.csv", "adl fs head -c 64K /data/file.csv"],
      load: () => import("./fs/read.js").then((m) => m.head),
    },
    {
      name: "fs tail",
      summary: "The last bytes of a file (1 KiB by default)",
      args: ["<path>"],
      options: [BYTES],
      rawStdout: true,
      examples: ["adl fs tail /logs/app.log", "adl fs tail -c 4K /logs/app.log"],
      load: () => import("./fs/read.js").then((m) => m.tail),
    },
    {
      name: "fs mv",
      summary: "Move or rename a file or directory",
      args: ["<source>", "<destination>"],
      options: [{ flags: "-f, --overwrite", description: "replace an existing destination file" }],
      examples: ["adl fs mv /data/tmp.csv /data/final.csv"],
      load: () => import("./fs/namespace.js").then((m) => m.mv),
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
      load: () => import("./fs/namespace.js").then((m) => m.rm),
    },
    {
      name: "fs du",
      summary: "Space used by each entry of a directory (or in total with -s)",
      args: ["<path>"],
      options: [{ flags: "-s, --summary", description: "one total for the path" }],
      examples: ["adl fs du /data", "adl fs du -s /data --json"],
      load: () => import("./fs/du.js").then((m) => m.du),
    },
    {
      name: "fs touch",
      summary: "Create an empty file, or set the modification time of one (Gen1)",
      args: ["<paths...>"],
      examples: ["adl fs touch /data/_SUCCESS"],
      load: () => import("./fs/namespace.js").then((m) => m.touch),
    },
    {
      name: "fs concat",
      summary: "Join files into one (the sources are removed; Gen1 only)",
      args: ["<destination>", "<sources...>"],
      examples: ["adl fs concat /data/all.csv /data/part-0.csv /data/part-1.csv"],
      load: () => import("./fs/namespace.js").then((m) => m.concat),
    },
    {
      name: "fs chmod",
      summary: "Set the permission of a path: octal (750) or symbolic (u+x, g-w, o=r, a+rX, +t), like chmod",
      args: ["<mode>", "<paths...>"],
      options: [RECURSIVE],
      examples: [
        "adl fs chmod 750 /data",
        "adl fs chmod -R g-w,o= /data/reports",
        "adl fs chmod -R a+rX /www",
      ],
      load: () => import("./fs/permissions.js").then((m) => m.chmod),
    },
    {
      name: "fs chown",
      summary: "Set the owner and/or group of a path (OWNER, OWNER:GROUP or :GROUP)",
      args: ["<owner>", "<paths...>"],
      options: [RECURSIVE],
      examples: ["adl fs chown 1111…:2222… /data", "adl fs chown -R :2222… /data/shared"],
      load: () => import("./fs/permissions.js").then((m) => m.chown),
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
      load: () => import("./fs/expiry.js").then((m) => m.set),
    },
    {
      name: "fs expiry remove",
      summary: "Make a file never expire",
      args: ["<path>"],
      examples: ["adl fs expiry remove /tmp/x.csv"],
      load: () => import("./fs/expiry.js").then((m) => m.remove),
    },
    {
      name: "fs acl get",
      summary: "Show the owner, group, permission and ACL entries of a path",
      args: ["<path>"],
      examples: ["adl fs acl get /data", "adl fs acl get /data --json"],
      load: () => import("./fs/acl.js").then((m) => m.get),
    },
    {
      name: "fs acl set",
      summary: "Replace the ACL (entries like user::rwx,group::r-x,other::---,user:OID:r-x)",
      args: ["<spec>", "<path>"],
      options: [RECURSIVE, ACL_BATCH_SIZE],
      examples: ["adl fs acl set user::rwx,group::r-x,other::---,user:1111…:r-x /data"],
      load: () => import("./fs/acl.js").then((m) => m.set),
    },
    {
      name: "fs acl modify",
      summary: "Add or change ACL entries",
      args: ["<spec>", "<path>"],
      options: [RECURSIVE, ACL_BATCH_SIZE],
      examples: [
        "adl fs acl modify user:1111…:rwx /data",
        "adl fs acl modify -R default:user:1111…:r-x /data",
      ],
      load: () => import("./fs/acl.js").then((m) => m.modify),
    },
    {
      name: "fs acl remove",
      summary: "Remove ACL entries (user:OID or default:user:OID)",
      args: ["<spec>", "<path>"],
      options: [RECURSIVE, ACL_BATCH_SIZE],
      examples: [
        "adl fs acl remove user:1111… /data",
        "adl fs acl remove -R user:1111… abfss://raw@lake2/data --json",
      ],
      load: () => import("./fs/acl.js").then((m) => m.remove),
    },
    {
      name: "fs acl remove-default",
      summary: "Remove the default ACL of a directory",
      args: ["<path>"],
      options: [RECURSIVE],
      examples: ["adl fs acl remove-default /data"],
      load: () => import("./fs/acl.js").then((m) => m.removeDefault),
    },
    {
      name: "fs acl remove-all",
      summary: "Remove all ACL entries but the base ones (owner, group, other)",
      args: ["<path>"],
      options: [RECURSIVE],
      examples: ["adl fs acl remove-all /data"],
      load: () => import("./fs/acl.js").then((m) => m.removeAll),
    },
  ],
};
