import {
  type Cloud,
  checkAccountName,
  HTTP_DEFAULTS,
  InvalidArgumentError,
  type Logger,
  publicCloud,
  type RetryOptions,
  resolveRetry,
} from "@adlkit/core";
import type { TokenCredential } from "@azure/core-auth";
import type { Dispatcher } from "undici";

const MiB = 1024 * 1024;

/** The service refuses CREATE/APPEND bodies over 4 MB. */
export const MAX_BLOCK_SIZE = 4 * MiB;

/**
 * The range of `chunkSize`. Below 1 MiB a large file becomes millions of segments (and their bookkeeping) for no
 * gain; above 1 GiB a lost segment costs too much to send again.
 */
export const CHUNK_SIZE_RANGE = Object.freeze({ min: MiB, max: 1024 * MiB });

/** The range of `concurrency`: parallel requests of one transfer. */
export const CONCURRENCY_RANGE = Object.freeze({ min: 1, max: 256 });

export interface FsClientOptions {
  /** Any `@azure/core-auth` TokenCredential (`@adlkit/auth`, `@azure/identity`, ...). */
  credential: TokenCredential;
  /** The Data Lake Store account, e.g. `contosolake` for `contosolake.azuredatalakestore.net`. */
  accountName: string;
  /** Where the account lives. @default publicCloud */
  cloud?: Cloud | undefined;
  /** Parallel requests of one transfer (`put`/`get`), across all files of a tree: 1 to 256. @default 8 */
  concurrency?: number | undefined;
  /** Bytes per segment on upload and per range on download: 1 MiB to 1 GiB. @default 67108864 (64 MiB) */
  chunkSize?: number | undefined;
  /** Bytes per APPEND request (and per buffer): at most 4 MiB, the service's limit. @default 4194304 */
  blockSize?: number | undefined;
  /** Entries per LISTSTATUS page. @default 4000 */
  listPageSize?: number | undefined;
  /** Retries of one request on 408/429/5xx and network errors, with backoff, jitter and Retry-After. @default { limit: 4, baseDelayInMs: 500, maxDelayInMs: 60000 } */
  retry?: RetryOptions | number | false | undefined;
  /** Time limit of one attempt to get response headers (and between body chunks). @default 60000 */
  timeoutInMs?: number | undefined;
  /** A transfer that moves no byte for this long is aborted with a TimeoutError. @default 120000 */
  stallTimeoutInMs?: number | undefined;
  /** Sockets per origin; never fewer than `concurrency`. @default max(16, 2 × concurrency) */
  connections?: number | undefined;
  /** Bring your own undici 8 dispatcher (then `connections` and the cloud's CA are not applied). */
  dispatcher?: Dispatcher | undefined;
  /** `AzureLogger`-shaped logger. @default silent, or stderr at AZURE_LOG_LEVEL */
  logger?: Partial<Logger> | undefined;
  /** `api-version` sent with every request. @default "2018-09-01" */
  apiVersion?: string | undefined;
  /**
   * Collect V8's young generation every 8 MiB a download streams (`@adlkit/bulk-io`'s `noteStreamedBytes`), so
   * the Buffer Node allocates per TLS record is freed at once instead of piling up until a full collection.
   * It acts on the whole process (it briefly sets a V8 flag to obtain `gc`, and forces collections), so it is
   * for programs that own their process and move many bytes: a CLI, a transfer service. The README has the
   * measured trade-off. @default false
   */
  gcPacing?: boolean | undefined;
}

export type ResolvedFsClientOptions = Required<Omit<FsClientOptions, "dispatcher" | "logger" | "retry">> & {
  /** The largest `blockSize` the protocol takes (a `put`/`get` call's own `blockSize` is checked against it). */
  maxBlockSize: number;
  dispatcher: Dispatcher | undefined;
  logger: Partial<Logger> | undefined;
  retry: ReturnType<typeof resolveRetry>;
};

export const DEFAULTS = {
  cloud: publicCloud,
  concurrency: 8,
  chunkSize: 64 * MiB,
  blockSize: 4 * MiB,
  listPageSize: 4000,
  timeoutInMs: HTTP_DEFAULTS.timeoutInMs,
  stallTimeoutInMs: 120_000,
  apiVersion: "2018-09-01",
  gcPacing: false,
} satisfies Partial<FsClientOptions>;

const SOURCE = "@adlkit/fs-client";

/** The one shape of every option error: core's InvalidArgumentError, naming the option. */
export function invalidArgument(argument: string, problem: string, hint?: string): InvalidArgumentError {
  return new InvalidArgumentError(argument, problem, { source: SOURCE, hint });
}

/** An integer option in [1, max], or InvalidArgumentError naming it. */
export function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  return integerInRange(name, value, { min: 1, max });
}

/** An integer option in [range.min, range.max] (`CHUNK_SIZE_RANGE`, ...), or InvalidArgumentError naming it. */
export function integerInRange(name: string, value: number, range: { min: number; max: number }): number {
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max)
    throw invalidArgument(name, `must be an integer between ${range.min} and ${range.max}, got ${value}`);
  return value;
}

/** Fills in defaults and validates everything before any network call. */
export function resolveOptions(options: FsClientOptions): ResolvedFsClientOptions {
  if (!options || typeof options !== "object") throw invalidArgument("options", "are required");
  if (!options.credential || typeof options.credential.getToken !== "function")
    throw invalidArgument("credential", "option is required: a TokenCredential with getToken()");
  if (typeof options.accountName !== "string" || !options.accountName)
    throw invalidArgument("accountName", "option is required: the Data Lake Store account's name");
  checkAccountName(options.accountName, "accountName", SOURCE);
  const cloud = options.cloud ?? DEFAULTS.cloud;
  if (!cloud.pathStyleFilesystemHost && !cloud.dataLakeDnsSuffix)
    throw invalidArgument(
      "cloud",
      `'${cloud.name}' has no Data Lake Store Gen1 endpoint (dataLakeDnsSuffix)`,
    );
  if (!cloud.dataLakeAudience) throw invalidArgument("cloud", `'${cloud.name}' has no dataLakeAudience`);
  return {
    credential: options.credential,
    accountName: options.accountName,
    cloud,
    ...resolveShared(options),
    blockSize: positiveInteger("blockSize", options.blockSize ?? DEFAULTS.blockSize, MAX_BLOCK_SIZE),
    maxBlockSize: MAX_BLOCK_SIZE,
    apiVersion: options.apiVersion ?? DEFAULTS.apiVersion,
  };
}

/** The options both protocols' clients take, validated the same way. */
export type SharedOptions = Pick<
  FsClientOptions,
  | "concurrency"
  | "chunkSize"
  | "listPageSize"
  | "retry"
  | "timeoutInMs"
  | "stallTimeoutInMs"
  | "connections"
  | "dispatcher"
  | "logger"
  | "gcPacing"
>;

export function resolveShared(options: SharedOptions) {
  const concurrency = integerInRange(
    "concurrency",
    options.concurrency ?? DEFAULTS.concurrency,
    CONCURRENCY_RANGE,
  );
  const connections = positiveInteger(
    "connections",
    options.connections ?? Math.max(HTTP_DEFAULTS.connections, 2 * concurrency),
    1024,
  );
  if (connections < concurrency) {
    throw invalidArgument(
      "connections",
      `(${connections}) must be at least concurrency (${concurrency}), or transfers queue for sockets`,
    );
  }
  for (const removed of ["timeout", "retries", "prefixUrl"]) {
    if (removed in options)
      throw invalidArgument(removed, "option does not exist; see timeoutInMs and retry");
  }
  return {
    concurrency,
    chunkSize: integerInRange("chunkSize", options.chunkSize ?? DEFAULTS.chunkSize, CHUNK_SIZE_RANGE),
    listPageSize: positiveInteger("listPageSize", options.listPageSize ?? DEFAULTS.listPageSize, 16_000),
    timeoutInMs: positiveInteger("timeoutInMs", options.timeoutInMs ?? DEFAULTS.timeoutInMs),
    stallTimeoutInMs: positiveInteger(
      "stallTimeoutInMs",
      options.stallTimeoutInMs ?? DEFAULTS.stallTimeoutInMs,
    ),
    connections,
    dispatcher: options.dispatcher,
    logger: options.logger,
    retry: resolveRetry(options.retry, SOURCE),
    gcPacing: options.gcPacing ?? DEFAULTS.gcPacing,
  };
}

/** The filesystem base URL of an account: host-style `https://{account}.{suffix}` or path-style for the emulator. */
export function accountBaseUrl(cloud: Cloud, accountName: string): string {
  if (cloud.pathStyleFilesystemHost) return `https://${cloud.pathStyleFilesystemHost}/${accountName}`;
  return `https://${accountName}.${cloud.dataLakeDnsSuffix}`;
}
