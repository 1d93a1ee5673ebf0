import { readFileSync } from "node:fs";
import path from "node:path";
import type { FaultRule } from "./faults.js";

/** A registered application (service principal) in a tenant. */
export interface ApplicationConfig {
  clientId: string;
  /** Service principal object id: the `oid` of the app's tokens. */
  objectId?: string;
  displayName?: string;
  /** Client secrets; an entry may carry an ISO expiry so the expired-secret error can be produced. */
  secrets?: Array<string | { value: string; expiresAt?: string }>;
  /** PEM certificates whose private keys may sign client assertions. */
  certificates?: string[];
}

export interface TenantConfig {
  id: string;
  /** Verified domain names that are aliases of the tenant id in token and discovery paths. */
  domains?: string[];
  displayName?: string;
  applications?: ApplicationConfig[];
  subscriptions?: Array<{ id: string; displayName?: string }>;
}

/** Settings of one emulator, from `--config FILE` merged over defaults. Every field has a default. */
export interface EmulatorConfig {
  /** Lifetime of issued access tokens. Entra gives 60–90 min; msal-node refetches when 300 s or less remain. @default 3600 */
  tokenLifetimeSeconds: number;
  /** Allowed clock skew when validating tokens and client assertions. @default 60 */
  clockSkewSeconds: number;
  /** Extra tenants, each with its applications and subscriptions. */
  tenants: TenantConfig[];
  /**
   * Extra applications (service principals) in the default tenant, besides the generated one: more principals
   * for the accounts of the default subscription (a token from another tenant is refused there). @default []
   */
  applications: ApplicationConfig[];
  /** Data Lake accounts whose filesystems exist without going through Resource Manager. */
  accounts: string[];
  /** Object ids that bypass filesystem permission checks (besides each account's owner). @default [] */
  superUsers: string[];
  /** The DNS suffix accounts live under, host-style. @default "localhost:PORT" */
  fsDnsSuffix?: string;
  /** Faults injected from the start (they can be changed at run time through the admin API). @default [] */
  faults: FaultRule[];
  /**
   * How long a Gen2 path's uncommitted blocks (Blob Put Block) wait for a Put Block List after the last Put Block
   * before they are discarded; Azure's is one week. 1 second to 366 days. @default 604800
   */
  uncommittedBlockLifetimeSeconds: number;
  arm: {
    /** Items per page before a `nextLink` is returned. @default 100 */
    pageSize: number;
    /** How many polls an ARM long-running operation reports `InProgress` before it completes. @default 1 */
    lroPolls: number;
    /** `Retry-After` seconds on long-running-operation responses (>= 1: azure-core treats 0 as 30 s). @default 1 */
    retryAfterSeconds: number;
  };
}

export const DEFAULT_CONFIG: EmulatorConfig = {
  tokenLifetimeSeconds: 3600,
  clockSkewSeconds: 60,
  tenants: [],
  applications: [],
  accounts: [],
  superUsers: [],
  faults: [],
  uncommittedBlockLifetimeSeconds: 7 * 24 * 3600,
  arm: { pageSize: 100, lroPolls: 1, retryAfterSeconds: 1 },
};

/** Config fields to override; nested `arm` settings may be given one by one. */
export type EmulatorConfigOverrides = Partial<Omit<EmulatorConfig, "arm">> & {
  arm?: Partial<EmulatorConfig["arm"]>;
};

/** Options of `startEmulator()` and of `adl-emulator start`. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Where certificates, keys, identity, accounts and file data live. @default "./.adl-emulator" */
  dataDir?: string;
  /** A JSON file with `EmulatorConfig` fields. */
  configFile?: string;
  /** Settings that take precedence over the config file (`arm` is merged field by field). */
  config?: EmulatorConfigOverrides;
  /** Where the emulator reports; defaults to silence (the bin prints to stderr). */
  log?: (line: string) => void;
}

export function loadConfig(options: EmulatorOptions): EmulatorConfig {
  let fromFile: EmulatorConfigOverrides = {};
  if (options.configFile) {
    const file = path.resolve(options.configFile);
    try {
      fromFile = JSON.parse(readFileSync(file, "utf8")) as EmulatorConfigOverrides;
    } catch (err) {
      throw new Error(`adl-emulator: cannot read config file ${file}: ${(err as Error).message}`);
    }
  }
  const merged: EmulatorConfig = {
    ...DEFAULT_CONFIG,
    ...fromFile,
    ...options.config,
    arm: { ...DEFAULT_CONFIG.arm, ...fromFile.arm, ...options.config?.arm },
  };
  validateConfig(merged);
  return merged;
}

/** The longest uncommitted-block lifetime accepted: 366 days. */
const MAX_BLOCK_LIFETIME_SECONDS = 366 * 24 * 3600;

function validateConfig(config: EmulatorConfig): void {
  const positive = (name: string, value: unknown, min: number) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
      throw new Error(
        `adl-emulator: config ${name} must be a number >= ${min}, got ${JSON.stringify(value)}`,
      );
    }
  };
  positive("tokenLifetimeSeconds", config.tokenLifetimeSeconds, 1);
  positive("clockSkewSeconds", config.clockSkewSeconds, 0);
  const lifetime = config.uncommittedBlockLifetimeSeconds;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_BLOCK_LIFETIME_SECONDS)
    throw new Error(
      `adl-emulator: config uncommittedBlockLifetimeSeconds must be a whole number of seconds from 1 to ${MAX_BLOCK_LIFETIME_SECONDS} (366 days), got ${JSON.stringify(lifetime)}`,
    );
  positive("arm.pageSize", config.arm.pageSize, 1);
  positive("arm.lroPolls", config.arm.lroPolls, 0);
  positive("arm.retryAfterSeconds", config.arm.retryAfterSeconds, 1);
  if (!Array.isArray(config.applications))
    throw new Error("adl-emulator: config applications must be an array of applications");
  for (const app of config.applications) {
    if (typeof app?.clientId !== "string" || app.clientId === "")
      throw new Error("adl-emulator: config applications: every application needs a clientId");
  }
  for (const name of config.accounts) {
    if (!/^[a-z0-9]{3,24}$/.test(name)) {
      throw new Error(
        `adl-emulator: config accounts: '${name}' is not a valid account name (3-24 lower-case letters and digits)`,
      );
    }
  }
}
