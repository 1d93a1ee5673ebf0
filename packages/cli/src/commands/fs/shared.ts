import type { FileStatus, FileSystemClient } from "@adlkit/fs-client";
import { hasCode } from "../../errors.js";
import { formatBytes, formatPermission } from "../../output/human.js";
import type { Field } from "../../result.js";

export function isNotFound(err: unknown): boolean {
  return hasCode(err, "PATH_NOT_FOUND");
}

/** The status of a path, or undefined when nothing is there. */
export async function tryStat(
  fs: FileSystemClient,
  path: string,
  signal: AbortSignal,
): Promise<FileStatus | undefined> {
  try {
    return await fs.stat(path, { abortSignal: signal });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** A path and, with `recursive`, everything below it (directory before its contents). */
export async function* targets(
  fs: FileSystemClient,
  path: string,
  recursive: boolean,
  signal: AbortSignal,
): AsyncGenerator<FileStatus> {
  const status = await fs.stat(path, { abortSignal: signal });
  yield status;
  if (recursive && status.type === "DIRECTORY") yield* fs.walk(status.path, { abortSignal: signal });
}

export const STATUS_FIELDS: Field[] = [
  { label: "path", get: (d) => d.path },
  { label: "type", get: (d) => d.type },
  {
    label: "size",
    get: (d) => (d.type === "FILE" ? `${d.length} (${formatBytes(d.length as number)})` : "-"),
  },
  {
    label: "permission",
    get: (d) =>
      `${d.permission} (${formatPermission(String(d.permission), d.type === "DIRECTORY", d.aclBit === true)})`,
  },
  { label: "owner", get: (d) => d.owner },
  { label: "group", get: (d) => d.group },
  { label: "modified", get: (d) => iso(d.modificationTime) },
  { label: "accessed", get: (d) => iso(d.accessTime) },
  {
    label: "expires",
    // Not known (a Gen2 file whose properties the caller may not read): "-", not "never".
    get: (d) =>
      d.type === "FILE" && d.msExpirationTime !== undefined ? (iso(d.msExpirationTime) ?? "never") : "-",
  },
  { label: "block size", get: (d) => d.blockSize },
  { label: "replication", get: (d) => d.replication },
];

export function iso(ms: unknown): string | undefined {
  return typeof ms === "number" && ms > 0 ? new Date(ms).toISOString() : undefined;
}

/** Runs `task` on each item, stopping at the first failure; returns how many were done. */
export async function each<T>(
  items: AsyncIterable<T> | Iterable<T>,
  task: (item: T) => Promise<void>,
): Promise<number> {
  let count = 0;
  for await (const item of items) {
    await task(item);
    count++;
  }
  return count;
}
