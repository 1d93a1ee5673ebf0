import {
  CHUNK_SIZE_RANGE,
  CONCURRENCY_RANGE,
  integerInRange,
  invalidArgument,
  positiveInteger,
  type ResolvedFsClientOptions,
} from "../options.js";
import type { OperationOptions, TransferProgress } from "../types.js";
import { TransferContext } from "./context.js";
import type { FileTransferResult, FileTransferSettings } from "./settings.js";
import type { TreeResult } from "./tree.js";

export interface TransferOptions extends OperationOptions {
  /** Replace existing targets. @default false */
  overwrite?: boolean | undefined;
  /** Parallel requests. @default the client's concurrency */
  concurrency?: number | undefined;
  /** @default the client's chunkSize */
  chunkSize?: number | undefined;
  /** @default the client's blockSize */
  blockSize?: number | undefined;
  /**
   * Continue from the state file of an interrupted run. With `false` an interrupted upload is not continued but
   * cleaned up: its segments are deleted and the upload starts over (reported as `startedOver`). @default true
   */
  resume?: boolean | undefined;
  /** Verify a SHA-256 as well as the length: computed on both sides before the target is published. */
  checksum?: "sha256" | undefined;
  /** Keep segments / partial file and state when aborted, to resume later. @default false (clean up) */
  keepPartialOnAbort?: boolean | undefined;
  /**
   * Trees: leave files that an earlier, interrupted run already transferred — same length at the target, not
   * older than the source, no state file — instead of stopping with "already exists" (or, with `overwrite`,
   * sending them again). Together with `resume`, running the same call again finishes the tree. @default false
   */
  skipCompleted?: boolean | undefined;
  /**
   * Move the local file's bytes straight between the disk and our buffers, around the page cache (Linux
   * O_DIRECT; elsewhere, or on a filesystem that refuses it, the page cache is used as usual): uploads read, and
   * downloads write, whole aligned blocks that way. It saves a copy of every byte (the bench README has the
   * measured CPU saving) and, on virtual machines that return freed memory to the host, the page faults of filling the
   * cache, which can cost more CPU than TLS. The bytes then come from (or go to) the disk itself: on a disk
   * slower than the network, `false` is faster for files that are (or fit) in the page cache.
   * @default "auto" (on for files of 32 MiB and more)
   */
  directIo?: boolean | "auto" | undefined;
  onProgress?: ((progress: TransferProgress) => void) | undefined;
}

export interface GetOptions extends TransferOptions {
  /**
   * fsync each downloaded file before renaming it into place, so it survives a power loss. Without it the
   * rename still publishes only complete, verified files to readers. @default false
   */
  fsync?: boolean | undefined;
  /** Single file only: publish nothing unless the bytes have this SHA-256 (hex). */
  expectedSha256?: string | undefined;
}

export type TransferResult = (FileTransferResult & { kind: "file" }) | (TreeResult & { kind: "tree" });

/**
 * One `put`/`get`'s settings: the call's options over the client's, validated the same way the client's were
 * (before any request), and the context the transfer's files share.
 */
export function resolveTransfer(
  options: TransferOptions,
  client: Pick<
    ResolvedFsClientOptions,
    "concurrency" | "chunkSize" | "blockSize" | "maxBlockSize" | "stallTimeoutInMs"
  >,
): { ctx: TransferContext; settings: FileTransferSettings; concurrency: number } {
  const concurrency = integerInRange(
    "concurrency",
    options.concurrency ?? client.concurrency,
    CONCURRENCY_RANGE,
  );
  const chunkSize = integerInRange("chunkSize", options.chunkSize ?? client.chunkSize, CHUNK_SIZE_RANGE);
  // The protocol's limit: Gen1 takes 4 MiB per APPEND, Gen2 far more.
  const blockSize = positiveInteger("blockSize", options.blockSize ?? client.blockSize, client.maxBlockSize);
  if (options.checksum !== undefined && options.checksum !== "sha256")
    throw invalidArgument("checksum", `must be "sha256", got '${options.checksum}'`);
  if (options.directIo !== undefined && typeof options.directIo !== "boolean" && options.directIo !== "auto")
    throw invalidArgument("directIo", `must be true, false or "auto", got '${String(options.directIo)}'`);
  const ctx = new TransferContext({
    concurrency,
    stallTimeoutInMs: client.stallTimeoutInMs,
    abortSignal: options.abortSignal,
    onProgress: options.onProgress,
  });
  return {
    ctx,
    concurrency,
    settings: {
      chunkSize,
      blockSize,
      overwrite: options.overwrite ?? false,
      resume: options.resume ?? true,
      checksum: options.checksum,
      keepPartialOnAbort: options.keepPartialOnAbort ?? false,
      skipCompleted: options.skipCompleted ?? false,
      directIo: options.directIo ?? "auto",
    },
  };
}
