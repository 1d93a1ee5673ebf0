import { createHash } from "node:crypto";
import { type BodySource, mayHaveLanded } from "@adlkit/core";
import { BadOffsetError } from "../errors.js";
import { aclSpec } from "../operations/acl.js";
import { invalidArgument } from "../options.js";
import type { OperationOptions } from "../types.js";
import type { Dfs } from "./dfs.js";
import { dfsPermission } from "./namespace.js";
import { getStatus, unquote } from "./status.js";

/**
 * Writing Gen2 files: create, append at a position (staged, invisible), flush to a position (commits what was
 * staged below it). Appends carry `Content-MD5`, so the service refuses damaged bytes; the flush can carry the
 * whole file's MD5 (`x-ms-content-md5`), which the SDKs then verify on download.
 */

export interface Gen2CreateOptions extends OperationOptions {
  /** Replace an existing file. @default false */
  overwrite?: boolean | undefined;
  /** Octal mode, e.g. `640`, set exactly (umask 0000). @default the service's (0666 & ~umask 0027) */
  permission?: string | undefined;
  /**
   * The new file's access ACL (`x-ms-acl`), instead of what it would inherit; with `owner` and `group`, what a
   * setAcl and a setOwner right after the create would do, in the create itself. The caller then writes as the
   * file's owner under that ACL (or as superuser): an ACL that denies the owner writing makes appends fail.
   */
  acl?: string | readonly string[] | undefined;
  /** Owner object id (`x-ms-owner`; changing it needs superuser). */
  owner?: string | undefined;
  /** Owning group object id (`x-ms-group`). */
  group?: string | undefined;
}

/**
 * Create (`resource=file`): an empty file, replacing one only with `overwrite` (else `If-None-Match: *`, and a
 * create that may have landed is not repeated: the repeat would meet our own file). Parents are created.
 */
export async function createFile(dfs: Dfs, path: string, options: Gen2CreateOptions = {}): Promise<void> {
  await dfs.text(path, {
    method: "PUT",
    operation: "create file",
    params: { resource: "file" },
    headers: {
      ...(options.overwrite ? {} : { "if-none-match": "*" }),
      ...(options.permission
        ? { "x-ms-permissions": dfsPermission(options.permission), "x-ms-umask": "0000" }
        : {}),
      ...(options.acl ? { "x-ms-acl": aclSpec(options.acl, true) } : {}),
      ...(options.owner ? { "x-ms-owner": options.owner } : {}),
      ...(options.group ? { "x-ms-group": options.group } : {}),
    },
    retryable: Boolean(options.overwrite),
    abortSignal: options.abortSignal,
  });
}

/** The base64 MD5 of bytes in memory. */
export function md5Of(data: Uint8Array): string {
  return createHash("md5").update(data).digest("base64");
}

export interface Gen2AppendOptions extends OperationOptions {
  /** Base64 MD5 of the body, checked by the service. @default computed here for bytes in memory */
  contentMd5?: string | undefined;
  /**
   * Commit in the same request (DFS `flush=true`): the file's length becomes `position` plus the body's, as a
   * flush to there would make it. `contentMd5` here is the whole file's MD5, stored as its Content-MD5.
   */
  flush?: { contentMd5?: string | undefined } | undefined;
}

/**
 * Append `data` at `position`: staged until a flush commits it. Safe to repeat (an append at the same position
 * replaces the staged one), so every transient failure is retried. With `flush`, a repeat after a lost answer
 * may meet a file already that long: the length decides whether it landed (as for flush).
 */
export async function append(
  dfs: Dfs,
  path: string,
  position: number,
  data: Uint8Array | BodySource,
  options: Gen2AppendOptions = {},
): Promise<void> {
  if (!Number.isSafeInteger(position) || position < 0)
    throw invalidArgument("position", `must be a non-negative integer, got ${position}`);
  const md5 = options.contentMd5 ?? (data instanceof Uint8Array ? md5Of(data) : undefined);
  const fileMd5 = options.flush?.contentMd5;
  let uncertain = false;
  try {
    await dfs.text(path, {
      method: "PATCH",
      operation: "append",
      params: { action: "append", position, ...(options.flush ? { flush: true } : {}) },
      headers: {
        ...(md5 ? { "content-md5": md5 } : {}),
        ...(fileMd5 ? { "x-ms-content-md5": fileMd5 } : {}),
      },
      body: data,
      ...(options.flush
        ? {
            shouldRetry: (failure: Error) => {
              if (mayHaveLanded(failure)) uncertain = true;
              return true;
            },
          }
        : { retryable: true }),
      abortSignal: options.abortSignal,
    });
  } catch (err) {
    const end = position + (data instanceof Uint8Array ? data.byteLength : Number.NaN);
    if (uncertain && err instanceof BadOffsetError && (await landed(dfs, path, end, options))) return;
    throw err;
  }
}

/** After an uncertain commit answered InvalidFlushPosition: whether the file is `position` long (it landed). */
async function landed(dfs: Dfs, path: string, position: number, options: OperationOptions): Promise<boolean> {
  const status = await getStatus(dfs, path, options);
  if (status.length !== position) return false;
  dfs.http.logger.info(`commit of ${path} to ${position}: an attempt whose answer was lost had landed`);
  return true;
}

export interface Gen2FlushOptions extends OperationOptions {
  /** Base64 MD5 of the whole file, stored as its Content-MD5. */
  contentMd5?: string | undefined;
  /** The last flush of this writer (for change notifications). @default true */
  close?: boolean | undefined;
  /** Keep staged data beyond `position` for a later flush. @default false */
  retainUncommittedData?: boolean | undefined;
  /** Only if the file still has this ETag. */
  ifMatch?: string | undefined;
}

/**
 * Flush to `position` (the file's new length): commits the staged appends that tile `[length, position)`.
 * A repeat after a lost answer meets a file already that long: the length decides whether it landed.
 * Resolves to the new ETag.
 */
export async function flush(
  dfs: Dfs,
  path: string,
  position: number,
  options: Gen2FlushOptions = {},
): Promise<string | undefined> {
  let uncertain = false;
  try {
    const response = await dfs.text(path, {
      method: "PATCH",
      operation: "flush",
      params: {
        action: "flush",
        position,
        close: options.close ?? true,
        retainUncommittedData: options.retainUncommittedData,
      },
      headers: {
        ...(options.contentMd5 ? { "x-ms-content-md5": options.contentMd5 } : {}),
        ...(options.ifMatch ? { "if-match": `"${options.ifMatch}"` } : {}),
      },
      shouldRetry: (failure) => {
        if (mayHaveLanded(failure)) uncertain = true;
        return true;
      },
      abortSignal: options.abortSignal,
    });
    return unquote(response.headers.get("etag"));
  } catch (err) {
    if (uncertain && err instanceof BadOffsetError && (await landed(dfs, path, position, options)))
      return (await getStatus(dfs, path, options)).etag;
    throw err;
  }
}

/**
 * A whole small file from memory: create, appends of `blockSize` (each with its MD5), one flush with the file's
 * MD5. Readers see nothing until the flush, then all of it.
 */
export async function writeFile(
  dfs: Dfs,
  path: string,
  data: Uint8Array | string,
  blockSize: number,
  options: Gen2CreateOptions = {},
): Promise<void> {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  await createFile(dfs, path, options);
  for (let offset = 0; offset < bytes.byteLength; offset += blockSize)
    await append(
      dfs,
      path,
      offset,
      bytes.subarray(offset, Math.min(bytes.byteLength, offset + blockSize)),
      options,
    );
  await flush(dfs, path, bytes.byteLength, { contentMd5: md5Of(bytes), abortSignal: options.abortSignal });
}
