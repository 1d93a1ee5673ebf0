import type { DirectIoSetting } from "./direct-io-policy.js";

export interface FileTransferSettings {
  chunkSize: number;
  blockSize: number;
  /** Replace an existing target. @default false */
  overwrite: boolean;
  /** Continue from a state file left by an interrupted run. @default true */
  resume: boolean;
  /** Also compare SHA-256 digests (of the source, and of what the other side holds). */
  checksum: "sha256" | undefined;
  /** Keep segments / partial files and the state file when the caller aborts, to resume later. @default false */
  keepPartialOnAbort: boolean;
  /** Trees: leave files an earlier run already transferred (see TreeResult.skippedFiles). @default false */
  skipCompleted?: boolean | undefined;
  /**
   * Read (uploads) or write (downloads) whole aligned blocks of the local file around the page cache (O_DIRECT).
   * @default "auto" (Linux, files of 32 MiB and more)
   */
  directIo?: DirectIoSetting | undefined;
  /**
   * Whether anything may stand at the target before the upload (default true). A tree upload into a directory
   * that did not exist before knows nothing can, and spares each small file its look before the CREATE.
   */
  targetMayExist?: boolean | undefined;
  /** Takes over the length check of single-request uploads (tree uploads batch them). */
  lengthCheck?: { defer(target: string, size: number): boolean } | undefined;
}

export interface FileTransferResult {
  /** Remote path (upload) or local path (download). */
  path: string;
  bytes: number;
  /** Bytes that an earlier, interrupted run had already transferred. */
  resumedBytes: number;
  /**
   * Uploads only: an earlier, interrupted upload of this file was found (its state file) but not continued
   * (`resume: false`, or the source, target or chunk size changed): its segments were deleted on the server
   * and this upload started from the beginning.
   */
  startedOver?: boolean | undefined;
  sha256?: string | undefined;
}
