import {
  CHUNK_SIZE_RANGE,
  CONCURRENCY_RANGE,
  DEFAULTS,
  integerInRange,
  invalidArgument,
  MAX_BLOCK_SIZE,
  positiveInteger,
} from "../options.js";
import type { OperationOptions, TransferProgress } from "../types.js";
import type { CopyItem } from "./report.js";

/** What `preserve` can carry from the source to the destination. */
export type PreserveItem = "acl" | "owner" | "permissions";
export const PRESERVE_ITEMS: readonly PreserveItem[] = Object.freeze(["acl", "owner", "permissions"]);

export interface CopyOptions extends OperationOptions {
  /** Copy a directory and everything below it (a directory source without it is refused). @default false */
  recursive?: boolean | undefined;
  /** Replace files that exist at the destination. @default false (such a file is reported as failed) */
  overwrite?: boolean | undefined;
  /**
   * Requests in flight (ranges of big files and small files together); at most this many files are open at once.
   * @default 8
   */
  concurrency?: number | undefined;
  /** Files larger than this are copied as parallel ranges of this size. @default 64 MiB */
  chunkSize?: number | undefined;
  /** Bytes per write request (and the memory each range in flight holds). @default 4 MiB */
  blockSize?: number | undefined;
  /**
   * What to carry besides the bytes: access and default ACL entries, owner and group (object ids), permission
   * bits incl. sticky. `"none"` or `[]` carries nothing. @default all three between two remote locations when
   * the source is Gen1 and the destination Gen2; nothing otherwise
   */
  preserve?: readonly PreserveItem[] | "none" | undefined;
  /**
   * Copy nothing: report what would be copied, which ACL entries could not be carried (and why), and as failed the
   * files that would fail because something is in the way at the destination.
   */
  dryRun?: boolean | undefined;
  /**
   * Continue the copy recorded in `stateFile` by an interrupted run (Ctrl-C, SIGKILL, failures): files it
   * finished and verified are skipped (unless they changed at the source), the rest are copied. @default false
   */
  resume?: boolean | undefined;
  /**
   * Where progress is recorded (one line per finished file). Deleted when a copy ends with nothing failed.
   * @default a file under `~/.adlkit/copies/` named after the source and destination
   */
  stateFile?: string | undefined;
  /** Stop a copy in which nothing moved for this long. @default 120000 */
  stallTimeoutInMs?: number | undefined;
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** Called once per file or directory, as it is copied, skipped, planned (dry run) or fails. */
  onItem?: ((item: CopyItem) => void) | undefined;
}

export interface ResolvedCopyOptions {
  recursive: boolean;
  overwrite: boolean;
  concurrency: number;
  chunkSize: number;
  blockSize: number;
  /** Undefined: the default for the pair of locations (decided once both are known). */
  preserve: readonly PreserveItem[] | undefined;
  dryRun: boolean;
  resume: boolean;
  stateFile: string | undefined;
  stallTimeoutInMs: number;
}

function flag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean")
    throw invalidArgument(name, `must be true or false, got '${String(value)}'`);
  return value;
}

export function resolvePreserve(value: CopyOptions["preserve"]): readonly PreserveItem[] | undefined {
  if (value === undefined) return undefined;
  if (value === "none") return [];
  if (!Array.isArray(value))
    throw invalidArgument("preserve", `must be "none" or a list of ${PRESERVE_ITEMS.join(", ")}`);
  for (const item of value)
    if (!PRESERVE_ITEMS.includes(item as PreserveItem))
      throw invalidArgument(
        "preserve",
        `'${String(item)}' is not something a copy can preserve (one of ${PRESERVE_ITEMS.join(", ")}, or none)`,
      );
  return [...new Set(value as PreserveItem[])];
}

/** Validates every option before anything is read or written. */
export function resolveCopyOptions(options: CopyOptions = {}): ResolvedCopyOptions {
  if (options === null || typeof options !== "object") throw invalidArgument("options", "must be an object");
  if (options.stateFile !== undefined && (typeof options.stateFile !== "string" || !options.stateFile))
    throw invalidArgument("stateFile", "must be a non-empty path");
  return {
    recursive: flag("recursive", options.recursive),
    overwrite: flag("overwrite", options.overwrite),
    concurrency: integerInRange(
      "concurrency",
      options.concurrency ?? DEFAULTS.concurrency,
      CONCURRENCY_RANGE,
    ),
    chunkSize: integerInRange("chunkSize", options.chunkSize ?? DEFAULTS.chunkSize, CHUNK_SIZE_RANGE),
    blockSize: positiveInteger("blockSize", options.blockSize ?? DEFAULTS.blockSize, MAX_BLOCK_SIZE),
    preserve: resolvePreserve(options.preserve),
    dryRun: flag("dryRun", options.dryRun),
    resume: flag("resume", options.resume),
    stateFile: options.stateFile,
    stallTimeoutInMs: positiveInteger(
      "stallTimeoutInMs",
      options.stallTimeoutInMs ?? DEFAULTS.stallTimeoutInMs,
      24 * 3600 * 1000,
    ),
  };
}
