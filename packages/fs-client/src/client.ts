import type { Readable, Writable } from "node:stream";
import { Readable as NodeReadable, Writable as NodeWritable } from "node:stream";
import type { ReadableStream, WritableStream } from "node:stream/web";
import type { FsBackend } from "./backend.js";
import { gen1Backend } from "./gen1-backend.js";
import * as acl from "./operations/acl.js";
import { glob } from "./operations/glob.js";
import {
  type FileStatusPage,
  list,
  listStatus,
  type PagedAsyncIterableIterator,
  type PageSettings,
} from "./operations/list.js";
import { mkdirs, remove, rename } from "./operations/namespace.js";
import { openRange } from "./operations/read.js";
import { mkdir, mv, readPart, rm, writeFile } from "./operations/shell.js";
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
import { type FsClientOptions, type ResolvedFsClientOptions, resolveOptions } from "./options.js";
import { normalizePath } from "./paths.js";
import { downloadFile } from "./transfer/download.js";
import {
  type GetOptions,
  resolveTransfer,
  type TransferOptions,
  type TransferResult,
} from "./transfer/transfer-options.js";
import { downloadTree, isLocalDirectory, uploadTree, walkRemote } from "./transfer/tree.js";
import { uploadFile } from "./transfer/upload.js";
import type {
  AclStatus,
  ContentSummary,
  ExpiryOption,
  FileStatus,
  OperationOptions,
  SyncFlag,
} from "./types.js";
import { WebHdfs } from "./webhdfs.js";

/**
 * A Data Lake Store Gen1 filesystem client. Low-level methods map one-to-one onto WebHDFS operations;
 * high-level ones (list, walk, glob, put, get, streams) build on them.
 */
export class FsClient {
  readonly #fs: WebHdfs;
  readonly #backend: FsBackend;
  readonly #options: ResolvedFsClientOptions;
  /** Which protocol this client speaks: Gen1 (WebHDFS). */
  readonly protocol = "gen1" as const;

  constructor(options: FsClientOptions) {
    this.#options = resolveOptions(options);
    this.#fs = new WebHdfs(this.#options);
    this.#backend = gen1Backend(this.#fs, this.#options.listPageSize);
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

  /** Entries whose absolute path matches a pattern (`*`, `?`, `**`, `[...]`, `{a,b}`, nested; see glob.ts). */
  glob(pattern: string, options?: OperationOptions): AsyncGenerator<FileStatus> {
    return glob(
      this.#backend,
      (base, maxDepth) => this.walk(base, { ...options, maxDepth }),
      pattern,
      options,
    );
  }

  /** The shell-style name of `getFileStatus` (the same call), beside `exists`, `mkdir`, `rm`, `mv`. */
  stat(path: string, options?: OperationOptions): Promise<FileStatus> {
    return getFileStatus(this.#fs, path, options);
  }

  async exists(path: string, options?: OperationOptions): Promise<boolean> {
    return (await tryGetFileStatus(this.#fs, path, options)) !== undefined;
  }

  /** Creates a directory and its parents; fine if it exists (`mkdirs` answers false instead of throwing). */
  mkdir(path: string, options?: OperationOptions & { permission?: string }): Promise<void> {
    return mkdir(this.#fs, path, options);
  }

  /** Deletes a file or directory; PathNotFoundError if nothing is there, unless `force` (`delete` answers false). */
  rm(path: string, options?: OperationOptions & { recursive?: boolean; force?: boolean }): Promise<void> {
    return rm(this.#fs, path, options);
  }

  /** Renames; throws (naming the likely cause) where `rename` answers false. */
  mv(
    source: string,
    destination: string,
    options?: OperationOptions & { overwrite?: boolean },
  ): Promise<void> {
    return mv(this.#fs, source, destination, options);
  }

  /** A whole file in memory. */
  cat(path: string, options?: OperationOptions): Promise<Buffer> {
    return readPart(this.#backend, path, { from: "head" }, options);
  }

  /** The first `bytes` bytes. @default 1024 */
  head(path: string, bytes = 1024, options?: OperationOptions): Promise<Buffer> {
    return readPart(this.#backend, path, { from: "head", bytes }, options);
  }

  /** The last `bytes` bytes. @default 1024 */
  tail(path: string, bytes = 1024, options?: OperationOptions): Promise<Buffer> {
    return readPart(this.#backend, path, { from: "tail", bytes }, options);
  }

  /** Writes a small payload as a whole file (CREATE + APPENDs), replacing it with `overwrite`. */
  writeFile(
    path: string,
    data: Uint8Array | string,
    options?: OperationOptions & { overwrite?: boolean },
  ): Promise<void> {
    return writeFile(this.#fs, path, data, this.#options.blockSize, options);
  }

  createReadStream(path: string, options?: ReadStreamOptions): Readable {
    return createReadStream(this.#backend, path, options);
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
    const { ctx, settings, concurrency } = resolveTransfer(options, this.#options);
    try {
      if (await isLocalDirectory(localPath)) {
        return {
          kind: "tree",
          ...(await uploadTree(
            this.#backend,
            ctx,
            localPath,
            normalizePath(remotePath),
            settings,
            concurrency,
          )),
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
    const { ctx, settings, concurrency } = resolveTransfer(options, this.#options);
    try {
      const status = await getFileStatus(this.#fs, remotePath, { abortSignal: ctx.signal });
      if (status.type === "DIRECTORY") {
        const lister = (dir: string) => this.list(dir, { abortSignal: ctx.signal });
        return {
          kind: "tree",
          ...(await downloadTree(
            this.#backend,
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
        ...(await downloadFile(this.#backend, ctx, status, localPath, {
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
}

/** Creates a filesystem client; options are validated here, before any request. */
export function createFsClient(options: FsClientOptions): FsClient {
  return new FsClient(options);
}
