import type { BodyController, Logger } from "@adlkit/core";
import type { TransferContext } from "./transfer/context.js";
import type { FileTransferResult, FileTransferSettings } from "./transfer/settings.js";
import type { FileStatus, OperationOptions } from "./types.js";

/**
 * What the protocol-independent code (walk, glob, cat/head/tail, read streams, downloads, tree transfers) needs of
 * a protocol: a few primitives, implemented once per protocol (Gen1: gen1-backend.ts over WebHDFS; Gen2:
 * gen2/backend.ts over DFS). Everything is sent through the one core transport each backend owns.
 */
export interface FsBackend {
  readonly protocol: "gen1" | "gen2";
  /**
   * Whether a read may start without a status: true where reads carry no version to check (Gen1), so the status
   * would give only the length, which the read's own answer gives as well (one round trip less for a whole-file
   * stream). False where each read names the version a status gave (Gen2's ETag).
   */
  readonly readsToEnd: boolean;
  readonly logger: Logger;
  /** Status of a path; PathNotFoundError when missing. */
  getStatus(path: string, options?: OperationOptions): Promise<FileStatus>;
  /** Status, or undefined when missing. */
  tryGetStatus(path: string, options?: OperationOptions): Promise<FileStatus | undefined>;
  /** A directory's entries, lazily (a file lists as itself). */
  list(path: string, options?: OperationOptions): AsyncIterable<FileStatus>;
  /** Creates a directory and its parents; fine if it exists. */
  mkdirs(path: string, options?: OperationOptions): Promise<void>;
  /**
   * Bytes `[offset, offset + length)` to `sink` as they arrive, continued where a broken body stopped. With a
   * `version` (the status a download started from), a protocol that can tell fails rather than mix versions.
   * Where `readsToEnd` is true, `length` may be `Infinity`: up to the file's end.
   */
  readInto(
    path: string,
    offset: number,
    length: number,
    sink: (piece: Buffer, controller: BodyController) => void,
    options?: OperationOptions & { version?: FileStatus | undefined },
  ): Promise<number>;
  /** Whether two statuses of a file are the same version of its content (length and change stamp). */
  sameVersion(a: FileStatus, b: FileStatus): boolean;
  /** Uploads one local file in this protocol's way (verified, resumable, published only when complete). */
  uploadFile(
    ctx: TransferContext,
    localPath: string,
    target: string,
    settings: FileTransferSettings,
  ): Promise<FileTransferResult>;
}
