import type { Readable, Writable } from "node:stream";
import { FileSystemClientBase } from "./client-base.js";
import { gen1Backend } from "./gen1-backend.js";
import * as acl from "./operations/acl.js";
import {
  type FileStatusPage,
  list,
  listStatus,
  type PagedAsyncIterableIterator,
  type PageSettings,
} from "./operations/list.js";
import { mkdirs, remove, rename } from "./operations/namespace.js";
import { openRange } from "./operations/read.js";
import { mkdir, mv, rm, writeFile } from "./operations/shell.js";
import {
  checkAccess,
  getAclStatus,
  getContentSummary,
  getFileStatus,
  tryGetFileStatus,
} from "./operations/status.js";
import { createWriteStream, type WriteStreamOptions } from "./operations/streams.js";
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
import { walkRemote } from "./transfer/tree.js";
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
 * high-level ones (list, walk, glob, put, get, streams) build on them, most of them in FileSystemClientBase.
 */
export class FsClient extends FileSystemClientBase {
  readonly #fs: WebHdfs;
  readonly #options: ResolvedFsClientOptions;
  /** Which protocol this client speaks: Gen1 (WebHDFS). */
  readonly protocol = "gen1" as const;

  constructor(options: FsClientOptions) {
    const resolved = resolveOptions(options);
    const fs = new WebHdfs(resolved);
    super(gen1Backend(fs, resolved.listPageSize), resolved);
    this.#options = resolved;
    this.#fs = fs;
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

  /** Writes a small payload as a whole file (CREATE + APPENDs), replacing it with `overwrite`. */
  writeFile(
    path: string,
    data: Uint8Array | string,
    options?: OperationOptions & { overwrite?: boolean },
  ): Promise<void> {
    return writeFile(this.#fs, path, data, this.#options.blockSize, options);
  }

  createWriteStream(path: string, options?: WriteStreamOptions): Writable {
    return createWriteStream(this.#fs, path, this.#options.blockSize, options);
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
