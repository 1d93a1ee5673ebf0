import { invalidArgument } from "../options.js";
import { normalizePath } from "../paths.js";
import type { OperationOptions } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";

/** MKDIRS: creates the directory and any missing parents; true if it exists afterwards. */
export async function mkdirs(
  fs: WebHdfs,
  path: string,
  options: OperationOptions & { permission?: string | undefined } = {},
): Promise<boolean> {
  const body = await fs.json<{ boolean: boolean }>("MKDIRS", path, {
    method: "PUT",
    params: { permission: options.permission },
    abortSignal: options.abortSignal,
  });
  return body.boolean;
}

/**
 * RENAME: moves a file or directory. Resolves false for the service's soft failures (missing source,
 * existing destination without `overwrite`, missing destination parent). A directory moved onto an existing
 * directory lands inside it.
 */
export async function rename(
  fs: WebHdfs,
  path: string,
  destination: string,
  options: OperationOptions & { overwrite?: boolean | undefined } = {},
): Promise<boolean> {
  const body = await fs.json<{ boolean: boolean }>("RENAME", path, {
    method: "PUT",
    params: {
      destination: normalizePath(destination),
      renameoptions: options.overwrite ? "OVERWRITE" : undefined,
    },
    abortSignal: options.abortSignal,
  });
  return body.boolean;
}

/** DELETE: true if something was deleted, false if nothing was there. A non-empty directory needs `recursive`. */
export async function remove(
  fs: WebHdfs,
  path: string,
  options: OperationOptions & { recursive?: boolean | undefined } = {},
): Promise<boolean> {
  if (normalizePath(path) === "/")
    throw invalidArgument("path", "is the root directory, which is never deleted");
  const body = await fs.json<{ boolean: boolean }>("DELETE", path, {
    method: "DELETE",
    params: { recursive: options.recursive ?? false },
    abortSignal: options.abortSignal,
  });
  return body.boolean;
}
