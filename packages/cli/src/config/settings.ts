import path from "node:path";
import { CliError, UsageError } from "../errors.js";
import { CLOUD_NAMES, type CloudName, type ConfigFile, getProfile, type Profile } from "./config-file.js";

/** The flags every command takes. */
export interface GlobalOptions {
  json: boolean;
  /** `-q`: no confirmations, notices or progress (errors still show). */
  quiet?: boolean | undefined;
  verbose: boolean;
  debug: boolean;
  color: boolean;
  /** `--no-token-cache`: neither read nor write the token cache (a token request on every run). */
  tokenCache?: boolean | undefined;
  profile?: string | undefined;
  cloud?: string | undefined;
  emulator?: string | undefined;
  tenant?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  certificate?: string | undefined;
  /** `--managed-identity`: the host's system-assigned identity. */
  managedIdentity?: boolean | undefined;
  /** `--managed-identity-client-id`: a user-assigned identity (implies `--managed-identity`). */
  managedIdentityClientId?: string | undefined;
  subscription?: string | undefined;
  account?: string | undefined;
}

/** What `connection.json` contributes (the emulator's own tenant, app, secret and subscription). */
export interface EmulatorConnectionFields {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  subscriptionId?: string;
}

export type CredentialSettings =
  | { kind: "secret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "certificate"; tenantId: string; clientId: string; certificatePath: string }
  /** The host's managed identity: system-assigned, or the user-assigned one with `clientId`. */
  | { kind: "managed-identity"; clientId: string | undefined };

/** How a managed identity is written in a profile or ADL_MANAGED_IDENTITY: "system" or a client id. */
export const SYSTEM_ASSIGNED = "system";

export interface Settings {
  /** Where the settings came from, for messages: `flags`, `environment`, `profile NAME`. */
  source: string;
  profileName: string | undefined;
  cloud: CloudName;
  emulatorConnectionFile: string | undefined;
  tenantId: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  certificate: string | undefined;
  /** Sign in as the host's managed identity: "system" or a user-assigned identity's client id. */
  managedIdentity: string | undefined;
  subscriptionId: string | undefined;
  account: string | undefined;
}

const CREDENTIAL_FLAGS = [
  "tenant",
  "clientId",
  "clientSecret",
  "certificate",
  "managedIdentity",
  "managedIdentityClientId",
] as const;

/** ADL_MANAGED_IDENTITY: "1", "true" or "system" for the system-assigned identity, else a client id. */
function managedIdentityFromEnv(value: string | undefined): string | undefined {
  if (value === undefined || value === "" || /^(0|false|no)$/i.test(value)) return undefined;
  return /^(1|true|yes|system)$/i.test(value) ? SYSTEM_ASSIGNED : value;
}

function fromEnv(env: NodeJS.ProcessEnv): Profile {
  return {
    cloud: env.ADL_CLOUD as CloudName | undefined,
    tenantId: env.AZURE_TENANT_ID,
    clientId: env.AZURE_CLIENT_ID,
    clientSecret: env.AZURE_CLIENT_SECRET,
    certificate: env.AZURE_CLIENT_CERTIFICATE_PATH,
    managedIdentity: managedIdentityFromEnv(env.ADL_MANAGED_IDENTITY),
    subscriptionId: env.AZURE_SUBSCRIPTION_ID,
    account: env.ADL_ACCOUNT,
    emulatorConnectionFile: env.ADL_EMULATOR,
  };
}

/** `DIR` or `DIR/connection.json`, made absolute. */
export function connectionFileOf(dirOrFile: string, cwd = process.cwd()): string {
  const absolute = path.resolve(cwd, dirOrFile);
  return absolute.endsWith(".json") ? absolute : path.join(absolute, "connection.json");
}

export function checkCloud(name: string, flag: string): CloudName {
  const lower = name.toLowerCase();
  if (!(CLOUD_NAMES as readonly string[]).includes(lower)) {
    throw new UsageError(`${flag} must be one of ${CLOUD_NAMES.join(", ")}, got '${name}'`);
  }
  return lower as CloudName;
}

/**
 * Which settings apply, field by field, first found wins:
 *   1. flags,
 *   2. the profile named by --profile (or ADL_PROFILE),
 *   3. the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH,
 *      AZURE_SUBSCRIPTION_ID, ADL_ACCOUNT, ADL_CLOUD, ADL_EMULATOR),
 *   4. the current profile (`adl profile use`),
 *   5. on the emulator cloud, its connection.json (read by the caller from `emulatorConnectionFile` and
 *      passed back in as `connection`): tenant, client id, secret and subscription.
 * Pure: no I/O.
 */
export function resolveSettings(input: {
  flags: GlobalOptions;
  env: NodeJS.ProcessEnv;
  config: ConfigFile;
  connection?: EmulatorConnectionFields | undefined;
  cwd?: string;
}): Settings {
  const { flags, env, config } = input;
  const envProfile = fromEnv(env);
  const explicitName = flags.profile ?? env.ADL_PROFILE;
  const explicit = explicitName ? getProfile(config, explicitName) : undefined;
  const currentName = explicitName
    ? undefined
    : config.current && config.profiles[config.current]
      ? config.current
      : undefined;
  const current = currentName ? config.profiles[currentName] : undefined;
  const layers: Array<{ name: string; profile: Profile }> = [];
  if (explicit) layers.push({ name: `profile ${explicitName}`, profile: explicit });
  layers.push({ name: "environment", profile: envProfile });
  if (current) layers.push({ name: `profile ${currentName}`, profile: current });
  const pick = <K extends keyof Profile>(key: K): { value: Profile[K]; from: string } | undefined => {
    for (const layer of layers) {
      const value = layer.profile[key];
      if (value !== undefined && value !== "") return { value, from: layer.name };
    }
    return undefined;
  };
  const emulatorFile = flags.emulator ?? pick("emulatorConnectionFile")?.value;
  const cloudPick = pick("cloud");
  const cloud: CloudName = flags.cloud
    ? checkCloud(flags.cloud, "--cloud")
    : flags.emulator
      ? "emulator"
      : cloudPick
        ? checkCloud(
            cloudPick.value!,
            cloudPick.from === "environment" ? "ADL_CLOUD" : `the cloud of ${cloudPick.from}`,
          )
        : emulatorFile
          ? "emulator"
          : "public";
  const conn = cloud === "emulator" ? (input.connection ?? {}) : {};
  const credentialFlags = CREDENTIAL_FLAGS.some((f) => flags[f] !== undefined);
  const clientFrom = flags.clientId
    ? "flags"
    : (pick("clientId")?.from ?? (conn.clientId ? "the emulator's connection.json" : undefined));
  return {
    source: credentialFlags
      ? "flags"
      : (clientFrom ??
        (explicitName ? `profile ${explicitName}` : currentName ? `profile ${currentName}` : "environment")),
    profileName: explicitName ?? currentName,
    cloud,
    emulatorConnectionFile: emulatorFile ? connectionFileOf(emulatorFile, input.cwd) : undefined,
    tenantId: flags.tenant ?? pick("tenantId")?.value ?? conn.tenantId,
    clientId: flags.clientId ?? pick("clientId")?.value ?? conn.clientId,
    // --certificate on the command line means "sign in with this certificate", not with a stored secret.
    clientSecret: flags.certificate
      ? flags.clientSecret
      : (flags.clientSecret ?? pick("clientSecret")?.value ?? conn.clientSecret),
    certificate: flags.certificate ?? pick("certificate")?.value,
    managedIdentity: managedIdentityOf(flags, pick, layers),
    subscriptionId: flags.subscription ?? pick("subscriptionId")?.value ?? conn.subscriptionId,
    account: flags.account ?? pick("account")?.value,
  };
}

/**
 * The managed identity to sign in as, if that is what the settings say: `--managed-identity`, or a layer (profile,
 * environment) that names one and stands above every layer that holds a secret or certificate. Flags that name
 * both are a usage error.
 */
function managedIdentityOf(
  flags: GlobalOptions,
  pick: (key: "managedIdentity" | "clientSecret" | "certificate") => { from: string } | undefined,
  layers: Array<{ name: string }>,
): string | undefined {
  const flagged = flags.managedIdentityClientId ?? (flags.managedIdentity ? SYSTEM_ASSIGNED : undefined);
  if (flagged !== undefined) {
    if (flags.clientSecret !== undefined || flags.certificate !== undefined)
      throw new UsageError(
        "--managed-identity signs in without a secret: drop --client-secret/--certificate",
      );
    return flagged;
  }
  if (flags.clientSecret !== undefined || flags.certificate !== undefined) return undefined;
  const identity = pick("managedIdentity") as { from: string; value?: string } | undefined;
  if (!identity) return undefined;
  const rank = (from: string | undefined) =>
    from === undefined ? Number.POSITIVE_INFINITY : layers.findIndex((l) => l.name === from);
  const secret = Math.min(rank(pick("clientSecret")?.from), rank(pick("certificate")?.from));
  return rank(identity.from) <= secret ? identity.value : undefined;
}

const NO_CREDENTIALS_HINT =
  "Pass --tenant, --client-id and --client-secret (or --certificate), set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or save them with `adl profile add`.";

/** The service principal to sign in as; errors name both the flag and the variable. */
export function requireCredential(settings: Settings): CredentialSettings {
  if (settings.managedIdentity) {
    return {
      kind: "managed-identity",
      clientId: settings.managedIdentity === SYSTEM_ASSIGNED ? undefined : settings.managedIdentity,
    };
  }
  const missing = (what: string, flag: string, variable: string) =>
    new CliError(`no ${what} (from ${settings.source}): pass ${flag} or set ${variable}`, {
      code: "CREDENTIALS_MISSING",
      hint: NO_CREDENTIALS_HINT,
    });
  if (!settings.tenantId) throw missing("tenant", "--tenant", "AZURE_TENANT_ID");
  if (!settings.clientId) throw missing("client id", "--client-id", "AZURE_CLIENT_ID");
  if (settings.certificate && !settings.clientSecret) {
    return {
      kind: "certificate",
      tenantId: settings.tenantId,
      clientId: settings.clientId,
      certificatePath: settings.certificate,
    };
  }
  if (!settings.clientSecret) {
    throw missing(
      "client secret",
      "--client-secret or --certificate",
      "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH",
    );
  }
  return {
    kind: "secret",
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
  };
}

export function requireSubscription(settings: Settings): string {
  if (!settings.subscriptionId) {
    throw new CliError(
      `no subscription (from ${settings.source}): pass --subscription or set AZURE_SUBSCRIPTION_ID`,
      {
        code: "SUBSCRIPTION_MISSING",
        hint: "Find it with `az account show --query id`, or save it in a profile with `adl profile add NAME --subscription ID`.",
      },
    );
  }
  return settings.subscriptionId;
}

export function requireAccount(settings: Settings): string {
  if (!settings.account) {
    throw new CliError(`no Data Lake account (from ${settings.source}): pass --account or set ADL_ACCOUNT`, {
      code: "ACCOUNT_MISSING",
      hint: "Or write the location in full (adl://ACCOUNT/path, abfss://FILESYSTEM@ACCOUNT/path for Gen2). List accounts with `adl account list`, or save a default with `adl profile add NAME --account NAME`.",
    });
  }
  return settings.account;
}
