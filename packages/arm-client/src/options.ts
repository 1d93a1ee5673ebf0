import {
  type Cloud,
  HTTP_DEFAULTS,
  InvalidArgumentError,
  type Logger,
  publicCloud,
  type RetryOptions,
  resolveRetry,
} from "@adlkit/core";
import type { TokenCredential } from "@azure/core-auth";
import {
  API_VERSIONS,
  type ApiVersionOverrides,
  type ApiVersions,
  OVERRIDABLE_API_VERSIONS,
} from "./api-versions.js";

export interface ArmClientOptions {
  /** Any `@azure/core-auth` TokenCredential: `@adlkit/auth`'s or `@azure/identity`'s. Required. */
  credential: TokenCredential;
  /** The subscription (a GUID) that resource groups and accounts live in. Required. */
  subscriptionId: string;
  /** Where Resource Manager and its token audience are: `publicCloud`, `chinaCloud`, `usGovCloud` or `emulatorCloud(…)`. @default publicCloud */
  cloud?: Cloud;
  /** Retries of one request on 408/429/5xx and network errors, honouring Retry-After; a number is shorthand for `{ limit }`, `false` turns them off. @default { limit: 4, baseDelayInMs: 500, maxDelayInMs: 60000 } */
  retry?: RetryOptions | number | false;
  /** Time limit of one attempt of one request (not of a long-running operation). @default 60000 */
  timeoutInMs?: number;
  /** Wait between polls of a long-running operation when the service sends no Retry-After (or 0). @default 2000 */
  pollIntervalInMs?: number;
  /** Receives log lines (sanitized). @default silent, unless AZURE_LOG_LEVEL or ADLKIT_LOG_LEVEL is set */
  logger?: Partial<Logger>;
  /** Put first in User-Agent, e.g. `my-app/1.2`. @default "" */
  userAgentPrefix?: string;
  /** Another Microsoft.Storage api-version (`yyyy-mm-dd` or `yyyy-mm-dd-preview`), for a cloud that lacks the default. @default API_VERSIONS */
  apiVersions?: ApiVersionOverrides;
}

export type ResolvedArmClientOptions = Required<
  Omit<ArmClientOptions, "logger" | "retry" | "apiVersions">
> & {
  apiVersions: ApiVersions;
  logger: Partial<Logger> | undefined;
  retry: RetryOptions | number | false | undefined;
};

export const DEFAULTS = {
  cloud: publicCloud,
  timeoutInMs: HTTP_DEFAULTS.timeoutInMs,
  pollIntervalInMs: 2_000,
  userAgentPrefix: "",
} as const satisfies Partial<ArmClientOptions>;

const KNOWN = new Set([
  "credential",
  "subscriptionId",
  "cloud",
  "retry",
  "timeoutInMs",
  "pollIntervalInMs",
  "logger",
  "userAgentPrefix",
  "apiVersions",
]);
const REMOVED: Record<string, string> = {
  baseUri:
    "pass a cloud instead (publicCloud, emulatorCloud(connection), …); its resourceManagerEndpoint is the base URL",
  endpoint:
    "pass a cloud instead (publicCloud, emulatorCloud(connection), …); its resourceManagerEndpoint is the base URL",
  credentialScopes: "the scope follows from cloud.resourceManagerAudience",
};

/** The one shape of every argument error: core's InvalidArgumentError, naming the argument. */
export function invalidArgument(argument: string, problem: string, hint?: string): InvalidArgumentError {
  return new InvalidArgumentError(argument, problem, { source: "@adlkit/arm-client", hint });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fills in defaults and validates everything before any request is made. */
export function resolveOptions(options: ArmClientOptions): ResolvedArmClientOptions {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "must be an object with at least credential and subscriptionId.");
  }
  for (const key of Object.keys(options)) {
    if (REMOVED[key]) throw invalidArgument(`options.${key}`, `is not supported: ${REMOVED[key]}.`);
    if (!KNOWN.has(key))
      throw invalidArgument(`options.${key}`, `is not an option; known options: ${[...KNOWN].join(", ")}.`);
  }
  const { credential, subscriptionId } = options;
  if (!credential || typeof (credential as { getToken?: unknown }).getToken !== "function") {
    throw invalidArgument(
      "options.credential",
      "is required and must be a TokenCredential (an object with getToken()).",
      "For example new ClientSecretCredential(tenantId, clientId, secret) from @adlkit/auth or @azure/identity.",
    );
  }
  if (typeof subscriptionId !== "string" || !GUID.test(subscriptionId)) {
    throw invalidArgument(
      "options.subscriptionId",
      `must be a subscription GUID, got ${describe(subscriptionId)}.`,
      "Find it with `az account show --query id`.",
    );
  }
  const cloud = options.cloud ?? DEFAULTS.cloud;
  if (typeof cloud !== "object" || cloud === null)
    throw invalidArgument("options.cloud", "must be a Cloud object.");
  for (const field of ["resourceManagerEndpoint", "resourceManagerAudience"] as const) {
    if (typeof cloud[field] !== "string" || !cloud[field])
      throw invalidArgument(`options.cloud.${field}`, "is required.");
  }
  let endpoint: URL;
  try {
    endpoint = new URL(cloud.resourceManagerEndpoint);
  } catch {
    throw invalidArgument(
      "options.cloud.resourceManagerEndpoint",
      `is not a URL: ${describe(cloud.resourceManagerEndpoint)}.`,
    );
  }
  if (endpoint.protocol !== "https:") {
    throw invalidArgument(
      "options.cloud.resourceManagerEndpoint",
      "must be https: bearer tokens are never sent in clear text.",
    );
  }
  const timeoutInMs = options.timeoutInMs ?? DEFAULTS.timeoutInMs;
  if (!Number.isFinite(timeoutInMs) || timeoutInMs <= 0)
    throw invalidArgument("options.timeoutInMs", `must be a number > 0, got ${describe(timeoutInMs)}.`);
  const pollIntervalInMs = options.pollIntervalInMs ?? DEFAULTS.pollIntervalInMs;
  if (!Number.isFinite(pollIntervalInMs) || pollIntervalInMs < 0) {
    throw invalidArgument(
      "options.pollIntervalInMs",
      `must be a number >= 0, got ${describe(pollIntervalInMs)}.`,
    );
  }
  resolveRetry(options.retry, "@adlkit/arm-client");
  const userAgentPrefix = options.userAgentPrefix ?? DEFAULTS.userAgentPrefix;
  if (typeof userAgentPrefix !== "string" || /[\r\n]/.test(userAgentPrefix)) {
    throw invalidArgument("options.userAgentPrefix", "must be a single-line string.");
  }
  return {
    credential,
    subscriptionId,
    cloud,
    apiVersions: resolveApiVersions(options.apiVersions),
    retry: options.retry,
    timeoutInMs,
    pollIntervalInMs,
    logger: options.logger,
    userAgentPrefix,
  };
}

/** `yyyy-mm-dd` or `yyyy-mm-dd-preview`, the shape of every Resource Manager api-version. */
const API_VERSION = /^(\d{4})-(\d{2})-(\d{2})(-preview)?$/;

function resolveApiVersions(overrides: unknown): ApiVersions {
  if (overrides === undefined) return API_VERSIONS;
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides))
    throw invalidArgument("options.apiVersions", `must be an object such as { storage: "2023-01-01" }.`);
  const allowed: readonly string[] = OVERRIDABLE_API_VERSIONS;
  const resolved: Record<string, string> = { ...API_VERSIONS };
  for (const [api, version] of Object.entries(overrides)) {
    const argument = `options.apiVersions.${api}`;
    if (!allowed.includes(api)) {
      throw invalidArgument(
        argument,
        api in API_VERSIONS
          ? `cannot be chosen: the client's models follow ${API_VERSIONS[api as keyof ApiVersions]} only.`
          : `is not an API of this client; only ${allowed.join(", ")} can be chosen.`,
      );
    }
    if (version === undefined) continue;
    const match = typeof version === "string" ? API_VERSION.exec(version) : null;
    // A real calendar date: Resource Manager refuses 2023-02-30 as malformed, so say so before sending.
    const date = match ? new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`) : undefined;
    if (
      !match ||
      !date ||
      Number.isNaN(date.getTime()) ||
      date.toISOString().slice(0, 10) !== version.slice(0, 10)
    ) {
      throw invalidArgument(
        argument,
        `must be an api-version such as '${API_VERSIONS.storage}' or '2024-01-01-preview', got ${describe(version)}.`,
      );
    }
    resolved[api] = version;
  }
  return Object.freeze(resolved) as ApiVersions;
}

/** A value for a message: short, and never a secret (options hold no secrets besides the credential). */
export function describe(value: unknown): string {
  if (typeof value === "string") return value.length > 60 ? `'${value.slice(0, 57)}…'` : `'${value}'`;
  if (value === undefined || value === null) return String(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value;
}
