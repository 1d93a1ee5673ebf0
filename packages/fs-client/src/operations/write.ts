import { randomUUID } from "node:crypto";
import { type BodySource, mayHaveLanded, type RetryDecision } from "@adlkit/core";
import { BadOffsetError } from "../errors.js";
import { invalidArgument, MAX_BLOCK_SIZE } from "../options.js";
import { normalizePath } from "../paths.js";
import type { ExpiryOption, OperationOptions, SyncFlag } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";
import { getFileStatus } from "./status.js";

export interface CreateOptions extends OperationOptions {
  /** Replace an existing file. @default false */
  overwrite?: boolean | undefined;
  /** Initial content, at most 4 MiB. */
  data?: Uint8Array | undefined;
  /** `DATA` keeps the stream open for APPENDs; `CLOSE` finishes the file. @default "CLOSE" */
  syncFlag?: SyncFlag | undefined;
  /** Single-writer lease for this file's APPENDs. @default a new UUID */
  leaseId?: string | undefined;
  /** Octal mode, e.g. `640`. @default the service's (770) */
  permission?: string | undefined;
  /** Create missing parents. @default true */
  createParent?: boolean | undefined;
}

/** What a CREATE or APPEND sends: bytes in memory, or (inside fs-client) a source read as it is sent. */
type RequestData = Uint8Array | BodySource;

function checkBody(data: RequestData | undefined): void {
  if (data && data.byteLength > MAX_BLOCK_SIZE)
    throw invalidArgument(
      "data",
      `may hold at most ${MAX_BLOCK_SIZE} bytes per request, got ${data.byteLength}`,
    );
}

/**
 * CREATE (`write=true`, single step). Retried only where that is safe: with `overwrite`, or for failures
 * that guarantee nothing happened (429), unless `shouldRetry` decides otherwise. Resolves to the lease id to use
 * for APPENDs.
 */
export async function create(
  fs: WebHdfs,
  path: string,
  options: Omit<CreateOptions, "data"> & {
    data?: RequestData | undefined;
    /** Decides retries itself (see core's `shouldRetry`): an upload that checks the server first. */
    shouldRetry?: ((failure: Error) => RetryDecision | Promise<RetryDecision>) | undefined;
  } = {},
): Promise<{ leaseId: string }> {
  checkBody(options.data);
  const leaseId = options.leaseId ?? randomUUID();
  await fs.empty("CREATE", path, {
    method: "PUT",
    params: {
      write: true,
      overwrite: options.overwrite ?? false,
      syncFlag: options.syncFlag ?? "CLOSE",
      leaseid: leaseId,
      filesessionid: leaseId,
      permission: options.permission,
      CreateParent: options.createParent === false ? false : undefined,
    },
    body: options.data ?? new Uint8Array(0),
    abortSignal: options.abortSignal,
    retryable: Boolean(options.overwrite),
    shouldRetry: options.shouldRetry,
  });
  return { leaseId };
}

export interface AppendOptions extends OperationOptions {
  /**
   * Where the data must go: the file's current length. With an offset, retries are safe: a
   * BadOffsetException after a lost response is resolved by checking the file's length, so data is never
   * written twice. Without one, the data goes at the end and is not retried once it may have landed.
   */
  offset?: number | undefined;
  /** @default "CLOSE" */
  syncFlag?: SyncFlag | undefined;
  leaseId?: string | undefined;
}

/** APPEND (`append=true`): up to 4 MiB at `offset`, sent with Content-Length. */
export async function append(
  fs: WebHdfs,
  path: string,
  data: RequestData,
  options: AppendOptions = {},
): Promise<void> {
  checkBody(data);
  const { offset } = options;
  let uncertain = false;
  try {
    await fs.empty("APPEND", path, {
      method: "POST",
      params: {
        append: true,
        offset,
        syncFlag: options.syncFlag ?? "CLOSE",
        leaseid: options.leaseId,
        filesessionid: options.leaseId,
      },
      body: data,
      abortSignal: options.abortSignal,
      shouldRetry: (failure) => {
        if (!mayHaveLanded(failure)) return true;
        if (offset === undefined) return false;
        uncertain = true;
        return true;
      },
    });
  } catch (err) {
    if (err instanceof BadOffsetError && uncertain && offset !== undefined) {
      // An earlier attempt may have landed and only its response was lost: the length tells.
      const status = await getFileStatus(fs, path, options);
      if (status.length === offset + data.byteLength) {
        fs.http.logger.info(
          `APPEND ${normalizePath(path)} at ${offset}: an earlier attempt had landed (length ${status.length}); not sending it again`,
        );
        return;
      }
    }
    throw err;
  }
}

/**
 * CONCURRENTAPPEND (`/WebHdfsExt`): the server picks the offset, so several writers may append at once.
 * Not retried once it may have landed (it could duplicate data).
 */
export async function concurrentAppend(
  fs: WebHdfs,
  path: string,
  data: Uint8Array,
  options: OperationOptions & { autoCreate?: boolean | undefined; syncFlag?: SyncFlag | undefined } = {},
): Promise<void> {
  checkBody(data);
  await fs.empty("CONCURRENTAPPEND", path, {
    method: "POST",
    extension: true,
    params: { appendMode: options.autoCreate ? "autocreate" : undefined, syncFlag: options.syncFlag },
    body: data,
    retryable: false,
    abortSignal: options.abortSignal,
  });
}

/**
 * MSCONCAT: appends `sources` (in order) to `path`, creating it if missing, and deletes the sources (with
 * `deleteSourceDirectory`, their whole directory). Not idempotent: not repeated once it may have landed, unless
 * `shouldRetry` (which may look at the server first) says so.
 */
export async function msConcat(
  fs: WebHdfs,
  path: string,
  sources: readonly string[],
  options: OperationOptions & {
    deleteSourceDirectory?: boolean | undefined;
    shouldRetry?: ((failure: Error) => RetryDecision | Promise<RetryDecision>) | undefined;
  } = {},
): Promise<void> {
  if (sources.length === 0) throw invalidArgument("sources", "must name at least one file (MSCONCAT)");
  const normalized = sources.map(normalizePath);
  if (new Set(normalized).size !== normalized.length)
    throw invalidArgument("sources", "must not repeat (MSCONCAT)");
  if (normalized.includes(normalizePath(path)))
    throw invalidArgument("sources", "must not include the destination (MSCONCAT)");
  await fs.empty("MSCONCAT", path, {
    method: "POST",
    params: { deleteSourceDirectory: options.deleteSourceDirectory ? true : undefined },
    json: { sources: normalized },
    retryable: false,
    shouldRetry: options.shouldRetry,
    abortSignal: options.abortSignal,
  });
}

/** SETEXPIRY (`/WebHdfsExt`): when a file disappears. `expireTime` in ms (absolute, or relative per option). */
/** The rule both protocols' setExpiry share: every option but NeverExpire needs a time in ms, >= 0. */
export function checkExpireTime(expiryOption: ExpiryOption, expireTime: number | undefined): void {
  if (expiryOption !== "NeverExpire" && !(Number.isSafeInteger(expireTime) && (expireTime as number) >= 0)) {
    throw invalidArgument("expireTime", `(ms, >= 0) is required for ${expiryOption}`);
  }
}

export async function setExpiry(
  fs: WebHdfs,
  path: string,
  expiryOption: ExpiryOption,
  expireTime?: number,
  options: OperationOptions = {},
): Promise<void> {
  checkExpireTime(expiryOption, expireTime);
  await fs.empty("SETEXPIRY", path, {
    method: "PUT",
    extension: true,
    params: { expiryOption, expireTime: expiryOption === "NeverExpire" ? undefined : expireTime },
    abortSignal: options.abortSignal,
  });
}
