import type { OptionSpec } from "./command-spec.js";

/** The options every command takes (before or after its words): output, credentials, cloud and account. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { flags: "--json", description: "print JSON on stdout (stable field names, for scripts)" },
  {
    flags: "-q, --quiet",
    description: "no confirmations, notices or progress on stderr (errors still show)",
  },
  {
    flags: "-v, --verbose",
    description: "more detail: transfer summaries, request ids in errors, retries",
  },
  {
    flags: "--debug",
    description: "log HTTP requests, token requests included, to stderr (secrets and tokens redacted)",
  },
  { flags: "--no-color", description: "no colours (NO_COLOR=1 works too)" },
  {
    flags: "--no-token-cache",
    description: "ask for a new token instead of reusing one kept from an earlier run (none is kept either)",
  },
  { flags: "-p, --profile <name>", description: "use this profile (env ADL_PROFILE)" },
  {
    flags: "--cloud <name>",
    description: "which cloud (env ADL_CLOUD)",
    choices: ["public", "china", "usgov", "emulator"],
  },
  {
    flags: "--emulator <dir>",
    description: "the emulator's data directory or connection.json (env ADL_EMULATOR)",
  },
  { flags: "--tenant <id>", description: "Entra tenant id or domain (env AZURE_TENANT_ID)" },
  { flags: "--client-id <id>", description: "service principal app id (env AZURE_CLIENT_ID)" },
  { flags: "--client-secret <secret>", description: "its secret (env AZURE_CLIENT_SECRET)" },
  {
    flags: "--certificate <pem>",
    description: "or a PEM with its certificate and key (env AZURE_CLIENT_CERTIFICATE_PATH)",
  },
  {
    flags: "--managed-identity",
    description: "or sign in as this host's managed identity (env ADL_MANAGED_IDENTITY=1)",
  },
  {
    flags: "--managed-identity-client-id <id>",
    description: "a user-assigned managed identity, by its client id (env ADL_MANAGED_IDENTITY=<id>)",
  },
  { flags: "--subscription <id>", description: "subscription id (env AZURE_SUBSCRIPTION_ID)" },
  {
    flags: "-a, --account <name>",
    description: "Data Lake Store account of /paths (env ADL_ACCOUNT); adl:// and abfss:// name their own",
  },
];
