/**
 * The one table from the libraries' argument names (core's InvalidArgumentError `argument`: an option such as
 * `concurrency`, an argument such as `resourceGroupName`, a request-body path such as
 * `parameters.properties.startIpAddress`) to what the CLI's user types instead: a flag or a command's argument.
 * A module of its own, not part of error-words.ts, because it is a table that grows with every flag, and the
 * unit test checks it against every argument the libraries can name.
 */

/** What adl itself decides, never taken from the command line: an error about one is adl's bug, said as such. */
export const SET_BY_ADL = null;

type CommandLineName = string | typeof SET_BY_ADL;

const inGroupCommand = (command: string) => command.startsWith("group ");
const inAccountCommand = (command: string) =>
  command.startsWith("account ") || command.startsWith("storage-account ");

/** The flags of each rule group's properties (rules-table.ts), which arm-client checks together as `parameters.properties`. */
const RULE_PROPERTIES: Record<string, string> = {
  firewall: "--start-ip and --end-ip",
  "vnet-rule": "--subnet-id",
  "trusted-idp": "--id-provider",
};

/**
 * Argument → flag or argument word. A dotted name not listed falls back to its nearest listed parent
 * (`parameters.tags.env` → `parameters.tags`, `options.cloud.resourceManagerEndpoint` → `options.cloud`).
 */
const ARGUMENT_FLAGS: Record<string, CommandLineName | ((command: string) => CommandLineName)> = {
  // fs-client options and method arguments
  concurrency: "--threads",
  chunkSize: "--chunk-size",
  accountName: (command) => (inAccountCommand(command) ? "the account NAME" : "-a/--account"),
  cloud: "--cloud",
  path: "PATH",
  remotePath: "REMOTE",
  localPath: "LOCAL",
  sources: "SOURCES",
  aclSpec: "SPEC",
  permission: "MODE",
  owner: "OWNER",
  credential: SET_BY_ADL,
  connections: SET_BY_ADL,
  options: SET_BY_ADL,
  retry: SET_BY_ADL,
  timeout: SET_BY_ADL,
  retries: SET_BY_ADL,
  prefixUrl: SET_BY_ADL,
  timeoutInMs: SET_BY_ADL,
  stallTimeoutInMs: SET_BY_ADL,
  listPageSize: SET_BY_ADL,
  checksum: SET_BY_ADL,
  directIo: SET_BY_ADL,
  md5: SET_BY_ADL, // Gen2 uploads: adl keeps the library's default (the whole file's MD5, stored)
  data: SET_BY_ADL,
  size: SET_BY_ADL,
  blockSize: SET_BY_ADL,
  times: SET_BY_ADL,
  fsaction: SET_BY_ADL,
  expireTime: SET_BY_ADL, // adl turns --at, --in and --after-creation into a checked time first
  expiryOption: SET_BY_ADL, // which of --at, --in and --after-creation was given
  batchSize: "--batch-size",
  maxBatches: SET_BY_ADL, // adl runs a recursive ACL change to its end
  uri: "the adl:// or abfss:// location",
  filesystem: "the filesystem of abfss://FILESYSTEM@ACCOUNT/…",
  mode: SET_BY_ADL, // a recursive ACL change's set/modify/remove: each is its own acl command
  position: SET_BY_ADL,
  // fs-client's copy (adl fs cp)
  source: "SRC",
  destination: "DST",
  recursive: "-R/--recursive",
  overwrite: "-f/--overwrite",
  resume: "--resume",
  dryRun: "--dry-run",
  preserve: "--preserve",
  stateFile: SET_BY_ADL, // adl keeps one per pair of locations in its config directory
  // arm-client options and arguments
  "options.subscriptionId": "--subscription",
  "options.cloud": "--cloud",
  resourceGroupName: (command) =>
    inGroupCommand(command) ? "the resource group NAME" : "-g/--resource-group",
  name: (command) => (inGroupCommand(command) ? "the resource group NAME" : "NAME"),
  location: "--location",
  parameters: SET_BY_ADL,
  "parameters.location": "--location",
  "parameters.tags": "--tag",
  "parameters.identity": SET_BY_ADL,
  "parameters.properties": (command) => RULE_PROPERTIES[command.split(" ")[0]!] ?? SET_BY_ADL,
  "parameters.properties.startIpAddress": "--start-ip",
  "parameters.properties.endIpAddress": "--end-ip",
  "parameters.properties.subnetId": "--subnet-id",
  "parameters.properties.idProvider": "--id-provider",
  "parameters.properties.newTier": "--tier",
  "parameters.properties.defaultGroup": "--default-group",
  "parameters.properties.encryptionState": "--encryption",
  "parameters.properties.firewallState": "--firewall-state",
  "parameters.properties.firewallAllowAzureIps": "--allow-azure-ips",
  "parameters.properties.trustedIdProviderState": "--trusted-idp-state",
  "parameters.properties.encryptionConfig": SET_BY_ADL,
  "parameters.properties.firewallRules": SET_BY_ADL,
  "parameters.properties.virtualNetworkRules": SET_BY_ADL,
  "parameters.properties.trustedIdProviders": SET_BY_ADL,
  storage: SET_BY_ADL, // apiVersions.storage: adl uses the client's default
  keyName: "KEY (key1 or key2)",
  // storage-account create/update (arm-client's storage account bodies)
  "parameters.kind": "--kind",
  "parameters.sku": "--sku",
  "parameters.properties.isHnsEnabled": "--no-hns",
  "parameters.properties.accessTier": "--access-tier",
  "parameters.properties.allowSharedKeyAccess": "--shared-key-access",
  "parameters.properties.publicNetworkAccess": "--public-network-access",
  "parameters.properties.minimumTlsVersion": "--min-tls",
  "options.expand": SET_BY_ADL, // keys list never asks for the Kerberos keys
  kerb: SET_BY_ADL,
  // auth: the credential adl builds from the sign-in flags
  tenantId: "--tenant",
  clientId: "--client-id",
  clientSecret: "--client-secret",
  certificate: "--certificate",
  authorityHost: "--cloud",
  scopes: SET_BY_ADL,
  getAssertion: SET_BY_ADL,
  tokenCache: SET_BY_ADL, // the profile's cache directory; --no-token-cache turns it off
  partition: SET_BY_ADL,
};

/** `a.b[2].c` → `a.b[2]` → `a.b` → `a`, then undefined. */
function parentOf(argument: string): string | undefined {
  const parent = argument.replace(/(?:\.[^.[]+|\[\d+\])$/, "");
  return parent === argument ? undefined : parent;
}

/**
 * The flag or argument word for a library argument, as the command `command` (`fs put`) takes it; SET_BY_ADL when
 * adl sets it itself; undefined when the table does not know the argument (the unit test keeps that from happening).
 */
export function commandLineName(argument: string, command = ""): CommandLineName | undefined {
  for (let name: string | undefined = argument; name !== undefined; name = parentOf(name)) {
    if (!Object.hasOwn(ARGUMENT_FLAGS, name)) continue;
    const entry = ARGUMENT_FLAGS[name] as CommandLineName | ((command: string) => CommandLineName);
    return typeof entry === "function" ? entry(command) : entry;
  }
  return undefined;
}
