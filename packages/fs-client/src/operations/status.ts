import { PathNotFoundError } from "../errors.js";
import { invalidArgument } from "../options.js";
import { joinPath, normalizePath } from "../paths.js";
import type { AclStatus, ContentSummary, FileStatus, OperationOptions } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";

type WireStatus = Omit<FileStatus, "path">;

/** Adds the absolute path to a FileStatus from the wire. */
export function withPath(status: WireStatus, parent: string): FileStatus {
  return { ...status, path: status.pathSuffix ? joinPath(parent, status.pathSuffix) : normalizePath(parent) };
}

/** GETFILESTATUS: the status of a file or directory. Throws PathNotFoundError when missing. */
export async function getFileStatus(
  fs: WebHdfs,
  path: string,
  options: OperationOptions = {},
): Promise<FileStatus> {
  const body = await fs.json<{ FileStatus: WireStatus }>("GETFILESTATUS", path, {
    method: "GET",
    abortSignal: options.abortSignal,
  });
  return withPath(body.FileStatus, path);
}

/** GETFILESTATUS that answers undefined instead of throwing for a missing path. */
export async function tryGetFileStatus(
  fs: WebHdfs,
  path: string,
  options: OperationOptions = {},
): Promise<FileStatus | undefined> {
  try {
    return await getFileStatus(fs, path, options);
  } catch (err) {
    if (err instanceof PathNotFoundError) return undefined;
    throw err;
  }
}

/** GETCONTENTSUMMARY: recursive totals of a directory (or one file). */
export async function getContentSummary(
  fs: WebHdfs,
  path: string,
  options: OperationOptions = {},
): Promise<ContentSummary> {
  const body = await fs.json<{ ContentSummary: ContentSummary }>("GETCONTENTSUMMARY", path, {
    method: "GET",
    abortSignal: options.abortSignal,
  });
  return body.ContentSummary;
}

/**
 * CHECKACCESS: whether the caller has every bit of `fsaction` (`r-x`, `rwx`, ...). Resolves false on
 * 401/403 (as the Java and .NET SDKs do), throws for a missing path or a malformed action.
 */
export async function checkAccess(
  fs: WebHdfs,
  path: string,
  fsaction: string,
  options: OperationOptions = {},
): Promise<boolean> {
  if (!/^[r-][w-][x-]$/.test(fsaction))
    throw invalidArgument("fsaction", `must look like 'rwx' or 'r-x', got '${fsaction}'`);
  const status = await fs.empty("CHECKACCESS", path, {
    method: "GET",
    params: { fsaction },
    acceptStatuses: [401, 403],
    abortSignal: options.abortSignal,
  });
  return status < 300;
}

/** MSGETACLSTATUS (or GETACLSTATUS): the ACL entries, owner, group and permission. */
export async function getAclStatus(
  fs: WebHdfs,
  path: string,
  options: OperationOptions & { op?: "MSGETACLSTATUS" | "GETACLSTATUS" } = {},
): Promise<AclStatus> {
  const body = await fs.json<{ AclStatus: AclStatus }>(options.op ?? "MSGETACLSTATUS", path, {
    method: "GET",
    abortSignal: options.abortSignal,
  });
  return body.AclStatus;
}
