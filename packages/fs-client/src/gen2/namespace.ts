import { mayHaveLanded } from "@adlkit/core";
import { FsError, PathNotFoundError } from "../errors.js";
import { invalidArgument } from "../options.js";
import { normalizePath } from "../paths.js";
import type { OperationOptions } from "../types.js";
import type { Dfs } from "./dfs.js";
import { tryGetStatus } from "./status.js";

const OCTAL = /^[01]?[0-7]{3}$/;

/** `755` / `1770` → the 4-digit form DFS takes in `x-ms-permissions`. */
export function dfsPermission(permission: string): string {
  if (!OCTAL.test(permission))
    throw invalidArgument("permission", `must be octal like '755' or '1770', got '${permission}'`);
  return permission.padStart(4, "0");
}

/**
 * Create (`resource=directory`): the directory and any missing parents; fine if it is there. With a permission,
 * the umask is `0000`, so the bits asked for are the bits set (the service's default umask 0027 would clear some).
 */
export async function mkdir(
  dfs: Dfs,
  path: string,
  options: OperationOptions & { permission?: string | undefined } = {},
): Promise<void> {
  if (normalizePath(path) === "/") return;
  await dfs.text(path, {
    method: "PUT",
    operation: "create directory",
    params: { resource: "directory" },
    headers: options.permission
      ? { "x-ms-permissions": dfsPermission(options.permission), "x-ms-umask": "0000" }
      : {},
    abortSignal: options.abortSignal,
  });
}

/**
 * Delete: true if something was deleted, false if nothing was there. A non-empty directory needs `recursive`;
 * a recursive delete the service does in slices (`paginated`, for callers whose rights are checked item by item)
 * is continued until it answers without `x-ms-continuation`.
 */
export async function remove(
  dfs: Dfs,
  path: string,
  options: OperationOptions & { recursive?: boolean | undefined } = {},
): Promise<boolean> {
  if (normalizePath(path) === "/")
    throw invalidArgument("path", "is the root directory, which is never deleted");
  let continuation: string | undefined;
  let first = true;
  do {
    const response = await dfs.text(path, {
      method: "DELETE",
      operation: "delete",
      params: {
        recursive: options.recursive ?? false,
        ...(options.recursive ? { paginated: true } : {}),
        continuation,
      },
      // A repeat of a delete that landed answers 404: only the first call's 404 means "nothing there".
      acceptStatuses: first ? [404] : [],
      abortSignal: options.abortSignal,
    });
    if (response.status === 404) return false;
    first = false;
    continuation = response.headers.get("x-ms-continuation") || undefined;
  } while (continuation);
  return true;
}

/**
 * Rename: atomic, files and whole directories, to exactly `destination` (whose parent must exist). Without
 * `overwrite` an existing destination is an error (`If-None-Match: *`, as Gen1's RENAME refuses). A rename is not
 * idempotent: after a failure that may have landed, the source gone and the destination there mean it did.
 */
export async function rename(
  dfs: Dfs,
  source: string,
  destination: string,
  options: OperationOptions & { overwrite?: boolean | undefined } = {},
): Promise<void> {
  const from = normalizePath(source);
  const to = normalizePath(destination);
  if (from === "/" || to === "/") throw invalidArgument("path", "the root directory cannot be renamed");
  let uncertain = false;
  try {
    await dfs.text(to, {
      method: "PUT",
      operation: "rename",
      params: { mode: "legacy" },
      headers: {
        "x-ms-rename-source": dfs.renameSource(from),
        ...(options.overwrite ? {} : { "if-none-match": "*" }),
      },
      shouldRetry: (failure) => {
        if (mayHaveLanded(failure)) uncertain = true;
        return true;
      },
      abortSignal: options.abortSignal,
    });
  } catch (err) {
    if (uncertain && err instanceof FsError && (err instanceof PathNotFoundError || err.status === 409)) {
      const [src, dst] = await Promise.all([
        tryGetStatus(dfs, from, options),
        tryGetStatus(dfs, to, options),
      ]);
      if (!src && dst) {
        dfs.http.logger.info(`rename ${from} → ${to}: an attempt whose answer was lost had landed`);
        return;
      }
    }
    throw err;
  }
}
