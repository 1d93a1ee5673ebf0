import type { Readable, Writable } from "node:stream";
import { Readable as NodeReadable, Writable as NodeWritable } from "node:stream";
import type { ReadableStream, WritableStream } from "node:stream/web";
import { FsError, PathNotFoundError } from "./errors.js";
import * as acl from "./operations/acl.js";
import { globBase, globDepth, globToRegExp } from "./operations/glob.js";
import {
  type FileStatusPage,
  list,
  listStatus,
  type PagedAsyncIterableIterator,
  type PageSettings,
} from "./operations/list.js";
import { mkdirs, remove, rename } from "./operations/namespace.js";
import { openRange, readRange } from "./operations/read.js";
import {
  checkAccess,
  getAclStatus,
  getContentSummary,
  getFileStatus,
  tryGetFileStatus,
} from "./operations/status.js";
import {
  createReadStream,
  createWriteStream,
  type ReadStreamOptions,
  type WriteStreamOptions,
} from "./operations/streams.js";
import {
  type AppendOptions,
  append,
  type CreateOptions,
  concurrentAppend,
  create,
  msConcat,
  setExpiry,
} from "./operations/write.js";
import {
  type FsClientOptions,
  invalidArgument,
  type ResolvedFsClientOptions,
  resolveOptions,
} from "./options.js";
import { normalizePath } from "./paths.js";
import { TransferContext } from "./transfer/context.js";
import { downloadFile } from "./transfer/download.js";
import type { FileTransferResult, FileTransferSettings } from "./transfer/settings.js";
import { downloadTree, isLocalDirectory, type TreeResult, uploadTree, walkRemote } from "./transfer/tree.js";
import { uploadFile } from "./transfer/upload.js";
import type {
  AclStatus,
  ContentSummary,
  ExpiryOption,
  FileStatus,
  OperationOptions,
  SyncFlag,
  TransferProgress,
} from "./types.js";
import { WebHdfs } from "./webhdfs.js";

export interface TransferOptions extends OperationOptions {
  /** Replace existing targets. @default false */
  overwrite?: boolean | undefined;
  /** Parallel requests. @default the client's concurrency */
  concurrency?: number | undefined;
  /** @default the client's chunkSize */
  chunkSize?: number | undefined;
  /** @default the client's blockSize */
  blockSize?: number | undefined;
  /** Continue from the state file of an interrupted run. @default true */
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
   * downloads write, whole aligned blocks that way. It saves a copy of every byte (an upload of 1 GiB here: 7-10%
   * less CPU) and, on virtual machines that return freed memory to the host, the page faults of filling the
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
 * A Data Lake Store Gen1 filesystem client. Low-level methods map one-to-one onto WebHDFS operations;
 * high-level ones (list, walk, glob, put, get, streams) build on them.
 */
export class FsClient {
  readonly #fs: WebHdfs;
  readonly #options: ResolvedFsClientOptions;

  constructor(options: FsClientOptions) {
    this.#options = resolveOptions(options);
    this.#fs = new WebHdfs(this.#options);
  }

  /** The account's filesystem URL (`https://{account}.{suffix}` or path-style on the emulator). */
  get url(): string {
    return this.#fs.baseUrl;
  }

  // ---- operations -------------------------------------------------------------------------------

  getFileStatus(path: string, options?: OperationOptions): Promise<FileStatus> {
    return getFileStatus(this.#fs, path, options);
  }
  listStatus(
    path: string,
    options?: OperationOptions & { listSize?: number; listAfter?: string; listBefore?: string },
  ): Promise<FileStatusPage> {
    return listStatus(this.#fs, path, options);
  }
  mkdirs(path: string, options?: OperationOptions & { permission?: string }): Promise<boolean> {
    return mkdirs(this.#fs, path, options);
  }
  create(path: string, options?: CreateOptions): Promise<{ leaseId: string }> {
    return create(this.#fs, path, options);
  }
  append(path: string, data: Uint8Array, options?: AppendOptions): Promise<void> {
    return append(this.#fs, path, data, options);
  }
  concurrentAppend(
    path: string,
    data: Uint8Array,
    options?: OperationOptions & { autoCreate?: boolean; syncFlag?: SyncFlag },
  ): Promise<void> {
    return concurrentAppend(this.#fs, path, data, options);
  }
  /** OPEN as a stream. */
  open(
    path: string,
    range?: { offset?: number; length?: number },
    options?: OperationOptions,
  ): Promise<Readable> {
    return openRange(this.#fs, path, range, options);
  }
  rename(
    path: string,
    destination: string,
    options?: OperationOptions & { overwrite?: boolean },
  ): Promise<boolean> {
    return rename(this.#fs, path, destination, options);
  }
  delete(path: string, options?: OperationOptions & { recursive?: boolean }): Promise<boolean> {
    return remove(this.#fs, path, options);
  }
  msConcat(
    path: string,
    sources: readonly string[],
    options?: OperationOptions & { deleteSourceDirectory?: boolean },
  ): Promise<void> {
    return msConcat(this.#fs, path, sources, options);
  }
  setExpiry(
    path: string,
    expiryOption: ExpiryOption,
    expireTime?: number,
    options?: OperationOptions,
  ): Promise<void> {
    return setExpiry(this.#fs, path, expiryOption, expireTime, options);
  }
  checkAccess(path: string, fsaction: string, options?: OperationOptions): Promise<boolean> {
    return checkAccess(this.#fs, path, fsaction, options);
  }
  getContentSummary(path: string, options?: OperationOptions): Promise<ContentSummary> {
    return getContentSummary(this.#fs, path, options);
  }
  getAclStatus(
    path: string,
    options?: OperationOptions & { op?: "MSGETACLSTATUS" | "GETACLSTATUS" },
  ): Promise<AclStatus> {
    return getAclStatus(this.#fs, path, options);
  }
  setAcl(path: string, aclSpec: string | readonly string[], options?: OperationOptions): Promise<void> {
    return acl.setAcl(this.#fs, path, aclSpec, options);
  }
  modifyAclEntries(
    path: string,
    aclSpec: string | readonly string[],
    options?: OperationOptions,
  ): Promise<void> {
    return acl.modifyAclEntries(this.#fs, path, aclSpec, options);
  }
  removeAclEntries(
    path: string,
    aclSpec: string | readonly string[],
    options?: OperationOptions,
  ): Promise<void> {
    return acl.removeAclEntries(this.#fs, path, aclSpec, options);
  }
  removeAcl(path: string, options?: OperationOptions): Promise<void> {
    return acl.removeAcl(this.#fs, path, options);
  }
  removeDefaultAcl(path: string, options?: OperationOptions): Promise<void> {
    return acl.removeDefaultAcl(this.#fs, path, options);
  }
  setPermission(path: string, permission: string, options?: OperationOptions): Promise<void> {
    return acl.setPermission(this.#fs, path, permission, options);
  }
  setOwner(
    path: string,
    owner: { owner?: string; group?: string },
    options?: OperationOptions,
  ): Promise<void> {
    return acl.setOwner(this.#fs, path, owner, options);
  }
  setTimes(
    path: string,
    times: { modificationTime?: number; accessTime?: number },
    options?: OperationOptions,
  ): Promise<void> {
    return acl.setTimes(this.#fs, path, times, options);
  }

  // ---- high level ------------------------------------------------------------------------------

  /** Entries of a directory, lazily, a few pages at most in memory; `byPage()` for pages and continuation tokens. */
  list(
    path: string,
    options?: OperationOptions,
  ): PagedAsyncIterableIterator<FileStatus, FileStatusPage, PageSettings> {
    return list(this.#fs, path, this.#options.listPageSize, options);
  }

  /** Every entry below `path`, depth-first (a directory before its contents). */
  walk(path: string, options?: OperationOptions & { maxDepth?: number }): AsyncGenerator<FileStatus> {
    return walkRemote((dir) => this.list(dir, options), normalizePath(path), options?.maxDepth);
  }

  /** Entries whose absolute path matches a pattern (`*`, `?`, `**`, `[...]`, `{a,b}`). */
  async *glob(pattern: string, options?: OperationOptions): AsyncGenerator<FileStatus> {
    const absolute = normalizePath(pattern);
    const regexp = globToRegExp(absolute);
    const base = normalizePath(globBase(absolute));
    if (base === absolute) {
      const status = await tryGetFileStatus(this.#fs, base, options);
      if (status) yield status;
      return;
    }
    for await (const entry of this.walk(base, { ...options, maxDepth: globDepth(absolute) })) {
      if (regexp.test(entry.path)) yield entry;
    }
  }

  stat(path: string, options?: OperationOptions): Promise<FileStatus> {
    return getFileStatus(this.#fs, path, options);
  }

  async exists(path: string, options?: OperationOptions): Promise<boolean> {
    return (await tryGetFileStatus(this.#fs, path, options)) !== undefined;
  }

  /** Creates a directory and its parents; fine if it exists. */
  async mkdir(path: string, options?: OperationOptions & { permission?: string }): Promise<void> {
    if (!(await mkdirs(this.#fs, path, options)))
      throw this.#softFailure("MKDIRS", path, "the service refused to create it");
  }

  /** Deletes a file or directory; PathNotFoundError if nothing is there (unless `force`). */
  async rm(
    path: string,
    options?: OperationOptions & { recursive?: boolean; force?: boolean },
  ): Promise<void> {
    if (!(await remove(this.#fs, path, options)) && !options?.force) {
      // The service answers 200 with `false` when nothing was there: no error status to report.
      throw new PathNotFoundError({
        method: "DELETE",
        url: this.#fs.url("DELETE", path).toString(),
        operation: "DELETE",
        path: normalizePath(path),
        reason: "path does not exist (nothing was deleted)",
      });
    }
  }

  /** Renames; throws (naming the likely cause) where RENAME answers false. */
  async mv(
    source: string,
    destination: string,
    options?: OperationOptions & { overwrite?: boolean },
  ): Promise<void> {
    if (await rename(this.#fs, source, destination, options)) return;
    if (!(await tryGetFileStatus(this.#fs, source, options))) {
      throw new PathNotFoundError({
        method: "PUT",
        url: this.#fs.url("RENAME", source).toString(),
        operation: "RENAME",
        path: normalizePath(source),
      });
    }
    throw this.#softFailure(
      "RENAME",
      source,
      `could not move to ${normalizePath(destination)} (it exists, or its parent does not)`,
    );
  }

  /** A whole file in memory. */
  async cat(path: string, options?: OperationOptions): Promise<Buffer> {
    const status = await getFileStatus(this.#fs, path, options);
    return status.length === 0 ? Buffer.alloc(0) : readRange(this.#fs, path, 0, status.length, options);
  }

  /** The first `bytes` bytes. @default 1024 */
  async head(path: string, bytes = 1024, options?: OperationOptions): Promise<Buffer> {
    const status = await getFileStatus(this.#fs, path, options);
    const length = Math.min(bytes, status.length);
    return length === 0 ? Buffer.alloc(0) : readRange(this.#fs, path, 0, length, options);
  }

  /** The last `bytes` bytes. @default 1024 */
  async tail(path: string, bytes = 1024, options?: OperationOptions): Promise<Buffer> {
    const status = await getFileStatus(this.#fs, path, options);
    const length = Math.min(bytes, status.length);
    return length === 0
      ? Buffer.alloc(0)
      : readRange(this.#fs, path, status.length - length, length, options);
  }

  /** Writes a small payload as a whole file (CREATE + APPENDs), replacing it with `overwrite`. */
  async writeFile(
    path: string,
    data: Uint8Array | string,
    options?: OperationOptions & { overwrite?: boolean },
  ): Promise<void> {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    const block = this.#options.blockSize;
    const { leaseId } = await create(this.#fs, path, {
      overwrite: options?.overwrite ?? false,
      data: bytes.subarray(0, block),
      syncFlag: bytes.byteLength <= block ? "CLOSE" : "DATA",
      abortSignal: options?.abortSignal,
    });
    for (let offset = block; offset < bytes.byteLength; offset += block) {
      const end = Math.min(bytes.byteLength, offset + block);
      await append(this.#fs, path, bytes.subarray(offset, end), {
        offset,
        leaseId,
        syncFlag: end === bytes.byteLength ? "CLOSE" : "DATA",
        abortSignal: options?.abortSignal,
      });
    }
  }

  createReadStream(path: string, options?: ReadStreamOptions): Readable {
    return createReadStream(this.#fs, path, options);
  }

  createWriteStream(path: string, options?: WriteStreamOptions): Writable {
    return createWriteStream(this.#fs, path, this.#options.blockSize, options);
  }

  /** A Web ReadableStream of a remote file. */
  openReadableStream(path: string, options?: ReadStreamOptions): ReadableStream<Uint8Array> {
    return NodeReadable.toWeb(this.createReadStream(path, options)) as ReadableStream<Uint8Array>;
  }

  /** A Web WritableStream that writes a remote file. */
  openWritableStream(path: string, options?: WriteStreamOptions): WritableStream<Uint8Array> {
    return NodeWritable.toWeb(this.createWriteStream(path, options)) as WritableStream<Uint8Array>;
  }

  /**
   * Uploads a local file or directory tree. Large files go up as parallel segments joined by MSCONCAT, so
   * targets appear only when complete and verified; interrupted uploads resume from a state file next to
   * each source file.
   */
  async put(localPath: string, remotePath: string, options: TransferOptions = {}): Promise<TransferResult> {
    const { ctx, settings, concurrency } = this.#transfer(options);
    try {
      if (await isLocalDirectory(localPath)) {
        return {
          kind: "tree",
          ...(await uploadTree(this.#fs, ctx, localPath, normalizePath(remotePath), settings, concurrency)),
        };
      }
      return { kind: "file", ...(await uploadFile(this.#fs, ctx, localPath, remotePath, settings)) };
    } finally {
      ctx.dispose();
    }
  }

  /**
   * Downloads a remote file or directory tree. Files are read as parallel ranges into a temp file that is
   * renamed into place only when complete and verified; interrupted downloads resume.
   */
  async get(remotePath: string, localPath: string, options: GetOptions = {}): Promise<TransferResult> {
    const { ctx, settings, concurrency } = this.#transfer(options);
    try {
      const status = await getFileStatus(this.#fs, remotePath, { abortSignal: ctx.signal });
      if (status.type === "DIRECTORY") {
        const lister = (dir: string) => this.list(dir, { abortSignal: ctx.signal });
        return {
          kind: "tree",
          ...(await downloadTree(
            this.#fs,
            ctx,
            lister,
            status.path,
            localPath,
            { ...settings, fsync: options.fsync },
            concurrency,
          )),
        };
      }
      return {
        kind: "file",
        ...(await downloadFile(this.#fs, ctx, status, localPath, {
          ...settings,
          fsync: options.fsync,
          expectedSha256: options.expectedSha256,
        })),
      };
    } finally {
      ctx.dispose();
    }
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.#fs.close();
  }

  #transfer(options: TransferOptions): {
    ctx: TransferContext;
    settings: FileTransferSettings;
    concurrency: number;
  } {
    const probe = resolveOptions({
      ...this.#options,
      retry: this.#options.retry,
      logger: undefined,
      dispatcher: undefined,
      connections: undefined,
      concurrency: options.concurrency ?? this.#options.concurrency,
      chunkSize: options.chunkSize ?? this.#options.chunkSize,
      blockSize: options.blockSize ?? this.#options.blockSize,
    });
    if (options.checksum !== undefined && options.checksum !== "sha256")
      throw invalidArgument("checksum", `must be "sha256", got '${options.checksum}'`);
    if (
      options.directIo !== undefined &&
      typeof options.directIo !== "boolean" &&
      options.directIo !== "auto"
    )
      throw invalidArgument("directIo", `must be true, false or "auto", got '${String(options.directIo)}'`);
    const ctx = new TransferContext({
      concurrency: probe.concurrency,
      stallTimeoutInMs: this.#options.stallTimeoutInMs,
      abortSignal: options.abortSignal,
      onProgress: options.onProgress,
    });
    return {
      ctx,
      concurrency: probe.concurrency,
      settings: {
        chunkSize: probe.chunkSize,
        blockSize: probe.blockSize,
        overwrite: options.overwrite ?? false,
        resume: options.resume ?? true,
        checksum: options.checksum,
        keepPartialOnAbort: options.keepPartialOnAbort ?? false,
        skipCompleted: options.skipCompleted ?? false,
        directIo: options.directIo ?? "auto",
      },
    };
  }

  #softFailure(operation: string, path: string, reason: string): FsError {
    return new FsError({
      method: "PUT",
      url: this.#fs.url(operation, path).toString(),
      operation,
      path: normalizePath(path),
      reason,
      code: "OPERATION_FAILED",
    });
  }
}

/** Creates a filesystem client; options are validated here, before any request. */
export function createFsClient(options: FsClientOptions): FsClient {
  return new FsClient(options);
}
