import type { FsBackend } from "../backend.js";
import { FsError, PathNotFoundError } from "../errors.js";
import { normalizePath } from "../paths.js";
import type { OperationOptions } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";
import { mkdirs, remove, rename } from "./namespace.js";
import { tryGetFileStatus } from "./status.js";
import { append, create } from "./write.js";

/**
 * The shell-style layer over the WebHDFS operations: what `mkdir -p`, `rm`, `mv`, `cat`, `head`, `tail` and a
 * whole-file write do, throwing where WebHDFS answers `false`. Those answers come with HTTP 200, so the errors
 * thrown for them carry no status (see FsError).
 */

/** Creates a directory and its parents; fine if it exists. */
export async function mkdir(
  fs: WebHdfs,
  path: string,
  options: OperationOptions & { permission?: string | undefined } = {},
): Promise<void> {
  if (!(await mkdirs(fs, path, options)))
    throw refused(fs, "MKDIRS", path, "the service refused to create it");
}

/** Deletes a file or directory; PathNotFoundError if nothing is there (unless `force`). */
export async function rm(
  fs: WebHdfs,
  path: string,
  options: OperationOptions & { recursive?: boolean | undefined; force?: boolean | undefined } = {},
): Promise<void> {
  if ((await remove(fs, path, options)) || options.force) return;
  throw new PathNotFoundError({
    method: "DELETE",
    url: fs.url("DELETE", path).toString(),
    operation: "DELETE",
    path: normalizePath(path),
    reason: "path does not exist (nothing was deleted)",
  });
}

/** Renames; throws (naming the likely cause) where RENAME answers false. */
export async function mv(
  fs: WebHdfs,
  source: string,
  destination: string,
  options: OperationOptions & { overwrite?: boolean | undefined } = {},
): Promise<void> {
  if (await rename(fs, source, destination, options)) return;
  if (!(await tryGetFileStatus(fs, source, options))) {
    throw new PathNotFoundError({
      method: "PUT",
      url: fs.url("RENAME", source).toString(),
      operation: "RENAME",
      path: normalizePath(source),
    });
  }
  throw refused(
    fs,
    "RENAME",
    source,
    `could not move to ${normalizePath(destination)} (it exists, or its parent does not)`,
  );
}

/** Up to `bytes` bytes from the start (`head`) or the end (`tail`) of a file; the whole file without `bytes`. */
export async function readPart(
  fs: FsBackend,
  path: string,
  part: { from: "head" | "tail"; bytes?: number | undefined },
  options: OperationOptions = {},
): Promise<Buffer> {
  const status = await fs.getStatus(path, options);
  const length = Math.min(part.bytes ?? status.length, status.length);
  if (length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  await fs.readInto(
    path,
    part.from === "head" ? 0 : status.length - length,
    length,
    (piece) => parts.push(piece),
    {
      ...options,
      version: status,
    },
  );
  return Buffer.concat(parts);
}

/** Writes a small payload as a whole file (CREATE + APPENDs of `blockSize`), replacing it with `overwrite`. */
export async function writeFile(
  fs: WebHdfs,
  path: string,
  data: Uint8Array | string,
  blockSize: number,
  options: OperationOptions & { overwrite?: boolean | undefined } = {},
): Promise<void> {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const { leaseId } = await create(fs, path, {
    overwrite: options.overwrite ?? false,
    data: bytes.subarray(0, blockSize),
    syncFlag: bytes.byteLength <= blockSize ? "CLOSE" : "DATA",
    abortSignal: options.abortSignal,
  });
  for (let offset = blockSize; offset < bytes.byteLength; offset += blockSize) {
    const end = Math.min(bytes.byteLength, offset + blockSize);
    await append(fs, path, bytes.subarray(offset, end), {
      offset,
      leaseId,
      syncFlag: end === bytes.byteLength ? "CLOSE" : "DATA",
      abortSignal: options.abortSignal,
    });
  }
}

function refused(fs: WebHdfs, operation: string, path: string, reason: string): FsError {
  return new FsError({
    method: "PUT",
    url: fs.url(operation, path).toString(),
    operation,
    path: normalizePath(path),
    reason,
    code: "OPERATION_FAILED",
  });
}
