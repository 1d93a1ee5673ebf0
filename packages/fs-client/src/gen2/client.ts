import type { Readable, Writable } from "node:stream";
import type { PagedAsyncIterableIterator, PageSettings } from "@azure/core-paging";
import { FileSystemClientBase } from "../client-base.js";
import { PathNotFoundError } from "../errors.js";
import type { FileStatusPage } from "../operations/list.js";
import type { WriteStreamOptions } from "../operations/streams.js";
import { baseName, joinPath, normalizePath } from "../paths.js";
import { walkRemote } from "../transfer/tree.js";
import type { AclStatus, ExpiryOption, FileStatus, OperationOptions } from "../types.js";
import * as acl from "./acl.js";
import { gen2Backend } from "./backend.js";
import { Dfs } from "./dfs.js";
import { getExpiry, setExpiry } from "./expiry.js";
import {
  type Gen2Filesystem,
  type Gen2FilesystemPage,
  type ListFilesystemsOptions,
  listFilesystems,
} from "./filesystems.js";
import { listLazily, listPaths } from "./list.js";
import { mkdir, remove, rename } from "./namespace.js";
import { type Gen2FsClientOptions, type ResolvedGen2Options, resolveGen2Options } from "./options.js";
import { openRange } from "./read.js";
import { getAccessControl, getStatus, tryGetStatus } from "./status.js";
import * as write from "./write.js";
import { createWriteStream } from "./write-stream.js";

/**
 * A Data Lake Storage Gen2 filesystem client (the DFS API), for one filesystem (container) of a storage account.
 * The shell-style and transfer methods are the same as the Gen1 `FsClient`'s (both implement `FileSystemClient`);
 * the low-level ones are Gen2's own: append at a position and flush, ETags, recursive ACL changes. Gen1's
 * MSCONCAT, CONCURRENTAPPEND, SETTIMES and GETCONTENTSUMMARY have no Gen2 counterpart and are not here.
 */
export class Gen2FsClient extends FileSystemClientBase {
  readonly protocol = "gen2" as const;
  readonly #dfs: Dfs;
  readonly #options: ResolvedGen2Options;

  constructor(options: Gen2FsClientOptions) {
    const resolved = resolveGen2Options(options);
    const dfs = new Dfs(resolved);
    super(gen2Backend(dfs, resolved.listPageSize, resolved.md5), resolved);
    this.#options = resolved;
    this.#dfs = dfs;
  }

  /** The filesystem's URL (`https://{account}.dfs.{suffix}/{filesystem}`, or path-style on the emulator). */
  get url(): string {
    return this.#dfs.filesystemUrl;
  }

  get filesystem(): string {
    return this.#options.filesystem;
  }

  /** The DFS API version this client sends (`x-ms-version`). */
  get apiVersion(): string {
    return this.#options.apiVersion;
  }

  /** Creates this client's filesystem (container); PathExistsError if it exists. */
  async createFilesystem(options?: OperationOptions): Promise<void> {
    await this.#dfs.text(null, {
      method: "PUT",
      operation: "create filesystem",
      params: { resource: "filesystem" },
      retryable: false,
      abortSignal: options?.abortSignal,
    });
  }

  /** Deletes this client's filesystem and everything in it. */
  async deleteFilesystem(options?: OperationOptions): Promise<void> {
    await this.#dfs.text(null, {
      method: "DELETE",
      operation: "delete filesystem",
      params: { resource: "filesystem" },
      abortSignal: options?.abortSignal,
    });
  }

  /**
   * The filesystems of this client's storage account (this client's own need not exist), lazily, by name;
   * `byPage()` for pages and continuation tokens. Needs a right on the account, not on a filesystem.
   */
  listFilesystems(
    options?: ListFilesystemsOptions,
  ): PagedAsyncIterableIterator<Gen2Filesystem, Gen2FilesystemPage, PageSettings> {
    return listFilesystems(this.#dfs, this.#options.listPageSize, options);
  }

  // ---- namespace -----------------------------------------------------------------------------------

  /** Status of a file or directory (with its ETag); PathNotFoundError when missing. */
  stat(path: string, options?: OperationOptions): Promise<FileStatus> {
    return getStatus(this.#dfs, path, options);
  }

  async exists(path: string, options?: OperationOptions): Promise<boolean> {
    return (await tryGetStatus(this.#dfs, path, options)) !== undefined;
  }

  /**
   * Entries of a directory, lazily, one page in memory; with `recursive`, everything below it (the service walks
   * the tree, a directory before its contents). `byPage()` for pages and continuation tokens.
   */
  list(
    path: string,
    options?: OperationOptions & { recursive?: boolean | undefined },
  ): PagedAsyncIterableIterator<FileStatus, FileStatusPage, PageSettings> {
    return listLazily(this.#dfs, path, this.#options.listPageSize, options);
  }

  /** One listing page (the service's continuation token in `continuationToken`). */
  listPage(
    path: string,
    options?: OperationOptions & { recursive?: boolean; maxResults?: number; continuation?: string },
  ): Promise<FileStatusPage> {
    return listPaths(this.#dfs, path, options);
  }

  /** Every entry below `path`, depth-first (a directory before its contents). */
  walk(path: string, options?: OperationOptions & { maxDepth?: number }): AsyncGenerator<FileStatus> {
    const root = normalizePath(path);
    const maxDepth = options?.maxDepth ?? Number.POSITIVE_INFINITY;
    // The whole tree is one recursive listing, a few requests instead of one per directory.
    if (maxDepth === Number.POSITIVE_INFINITY) return this.#walkRecursive(root, options);
    return walkRemote((dir) => this.list(dir, options), root, maxDepth);
  }

  async *#walkRecursive(root: string, options?: OperationOptions): AsyncGenerator<FileStatus> {
    for await (const entry of this.list(root, { ...options, recursive: true })) {
      // A file lists as itself; a walk yields what is below the root.
      if (entry.path !== root) yield entry;
    }
  }

  /** Creates a directory and its parents; fine if it exists. A permission is set exactly (umask 0000). */
  mkdir(path: string, options?: OperationOptions & { permission?: string }): Promise<void> {
    return mkdir(this.#dfs, path, options);
  }

  /** Deletes a file or directory; PathNotFoundError if nothing is there, unless `force`. */
  async rm(
    path: string,
    options?: OperationOptions & { recursive?: boolean; force?: boolean },
  ): Promise<void> {
    if ((await remove(this.#dfs, path, options)) || options?.force) return;
    throw new PathNotFoundError({
      status: 404,
      method: "DELETE",
      url: this.#dfs.url(path).toString(),
      operation: "delete",
      path: normalizePath(path),
      reason: "path does not exist (nothing was deleted)",
    });
  }

  /**
   * Moves a file or directory atomically. Onto an existing directory, the source lands inside it (as `mv` does);
   * an existing file is replaced only with `overwrite`.
   */
  async mv(
    source: string,
    destination: string,
    options?: OperationOptions & { overwrite?: boolean },
  ): Promise<void> {
    let target = normalizePath(destination);
    const there = await tryGetStatus(this.#dfs, target, options);
    if (there?.type === "DIRECTORY" && target !== normalizePath(source))
      target = joinPath(target, baseName(source));
    await rename(this.#dfs, source, target, options);
  }

  // ---- content -------------------------------------------------------------------------------------

  /** A byte range as a stream (one request; a break is the caller's to handle: see createReadStream). */
  open(
    path: string,
    range?: { offset?: number; length?: number },
    options?: OperationOptions,
  ): Promise<Readable> {
    return openRange(this.#dfs, path, range, options);
  }

  /** Writes a whole file from memory (create, appends with MD5, one flush), replacing it with `overwrite`. */
  writeFile(
    path: string,
    data: Uint8Array | string,
    options?: OperationOptions & { overwrite?: boolean; permission?: string },
  ): Promise<void> {
    return write.writeFile(this.#dfs, path, data, this.#options.blockSize, options);
  }

  createWriteStream(path: string, options?: WriteStreamOptions): Writable {
    return createWriteStream(this.#dfs, path, this.#options.blockSize, options);
  }

  /** Creates an empty file (If-None-Match: * unless `overwrite`), to be filled by `append` and `flush`. */
  create(path: string, options?: write.Gen2CreateOptions): Promise<void> {
    return write.createFile(this.#dfs, path, options);
  }

  /** Stages bytes at `position` (with their Content-MD5); invisible until `flush`. */
  append(path: string, position: number, data: Uint8Array, options?: write.Gen2AppendOptions): Promise<void> {
    return write.append(this.#dfs, path, position, data, options);
  }

  /**
   * Renames to exactly `destination` (its parent must exist), atomically, without looking first: an existing file
   * there is replaced only with `overwrite` (else PathExistsError), a directory there is an error. `mv` is the
   * shell-style move.
   */
  rename(
    source: string,
    destination: string,
    options?: OperationOptions & { overwrite?: boolean | undefined },
  ): Promise<void> {
    return rename(this.#dfs, source, destination, options);
  }

  /** Commits the staged bytes up to `position` (the new length); resolves to the new ETag. */
  flush(path: string, position: number, options?: write.Gen2FlushOptions): Promise<string | undefined> {
    return write.flush(this.#dfs, path, position, options);
  }

  /**
   * When a file disappears, as Gen1's `setExpiry` (the same options; `expireTime` in ms: since the epoch for
   * Absolute, from now or from the file's creation for the relative ones). Where Gen2 differs: files only (a
   * directory is refused), an Absolute time keeps whole seconds only (it travels as an HTTP date), and the call
   * goes to the account's Blob endpoint (`{account}.blob.{suffix}`), the one that has it. A time already past
   * deletes the file at once. Needs write on the file and what deleting it needs.
   */
  setExpiry(
    path: string,
    expiryOption: ExpiryOption,
    expireTime?: number,
    options?: OperationOptions,
  ): Promise<void> {
    return setExpiry(this.#dfs, path, expiryOption, expireTime, options);
  }

  /**
   * Gen2 only: a file's expiry instant in ms since the epoch, 0 when it never expires. `stat` cannot say (the
   * status call carries no expiry); this reads the file's properties, which needs read on it. Listings carry the
   * expiry too (`msExpirationTime`).
   */
  getExpiry(path: string, options?: OperationOptions): Promise<number> {
    return getExpiry(this.#dfs, path, options);
  }

  // ---- access control -------------------------------------------------------------------------------

  /** Owner, group, permission and every ACL entry (base ones included, access before default), as Gen1's. */
  async getAclStatus(path: string, options?: OperationOptions): Promise<AclStatus> {
    const { etag: _etag, ...status } = await getAccessControl(this.#dfs, path, options);
    return status;
  }

  setAcl(path: string, aclSpec: string | readonly string[], options?: OperationOptions): Promise<void> {
    return acl.setAcl(this.#dfs, path, aclSpec, options);
  }

  modifyAclEntries(
    path: string,
    aclSpec: string | readonly string[],
    options?: OperationOptions,
  ): Promise<void> {
    return acl.modifyAclEntries(this.#dfs, path, aclSpec, options);
  }

  removeAclEntries(
    path: string,
    aclSpec: string | readonly string[],
    options?: OperationOptions,
  ): Promise<void> {
    return acl.removeAclEntries(this.#dfs, path, aclSpec, options);
  }

  removeAcl(path: string, options?: OperationOptions): Promise<void> {
    return acl.removeAcl(this.#dfs, path, options);
  }

  removeDefaultAcl(path: string, options?: OperationOptions): Promise<void> {
    return acl.removeDefaultAcl(this.#dfs, path, options);
  }

  setPermission(path: string, permission: string, options?: OperationOptions): Promise<void> {
    return acl.setPermission(this.#dfs, path, permission, options);
  }

  setOwner(
    path: string,
    owner: { owner?: string; group?: string },
    options?: OperationOptions,
  ): Promise<void> {
    return acl.setOwner(this.#dfs, path, owner, options);
  }

  /** Replaces the ACL of `path` and everything below it (batches with continuation; see RecursiveAclOptions). */
  setAclRecursive(path: string, aclSpec: string | readonly string[], options?: acl.RecursiveAclOptions) {
    return acl.changeAclRecursive(this.#dfs, path, "set", aclSpec, options);
  }

  /** Adds or updates entries on `path` and everything below it. */
  modifyAclRecursive(path: string, aclSpec: string | readonly string[], options?: acl.RecursiveAclOptions) {
    return acl.changeAclRecursive(this.#dfs, path, "modify", aclSpec, options);
  }

  /** Removes named entries (`user:<id>`, `default:group:<id>`, ...) from `path` and everything below it. */
  removeAclRecursive(path: string, aclSpec: string | readonly string[], options?: acl.RecursiveAclOptions) {
    return acl.changeAclRecursive(this.#dfs, path, "remove", aclSpec, options);
  }

  close(): Promise<void> {
    return this.#dfs.close();
  }
}

export function createGen2FsClient(options: Gen2FsClientOptions): Gen2FsClient {
  return new Gen2FsClient(options);
}
