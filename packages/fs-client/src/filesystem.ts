import type { Readable, Writable } from "node:stream";
import type { PagedAsyncIterableIterator, PageSettings } from "@azure/core-paging";
import { createFsClient, type FsClient } from "./client.js";
import { Gen2FsClient } from "./gen2/client.js";
import type { Gen2FsClientOptions } from "./gen2/options.js";
import { parseLocation } from "./location.js";
import type { FileStatusPage } from "./operations/list.js";
import type { ReadStreamOptions, WriteStreamOptions } from "./operations/streams.js";
import type { FsClientOptions } from "./options.js";
import type { GetOptions, TransferOptions, TransferResult } from "./transfer/transfer-options.js";
import type { AclStatus, FileStatus, OperationOptions } from "./types.js";

/**
 * What both protocols' clients do, the same way: `FsClient` (Gen1) and `Gen2FsClient` (Gen2) implement it, and
 * add what only their protocol has. `protocol` tells them apart (a discriminant: narrowing on it gives the
 * protocol's own methods).
 */
export interface FileSystemClient {
  readonly protocol: "gen1" | "gen2";
  readonly url: string;
  stat(path: string, options?: OperationOptions): Promise<FileStatus>;
  exists(path: string, options?: OperationOptions): Promise<boolean>;
  list(
    path: string,
    options?: OperationOptions,
  ): PagedAsyncIterableIterator<FileStatus, FileStatusPage, PageSettings>;
  walk(path: string, options?: OperationOptions & { maxDepth?: number }): AsyncGenerator<FileStatus>;
  glob(pattern: string, options?: OperationOptions): AsyncGenerator<FileStatus>;
  mkdir(path: string, options?: OperationOptions & { permission?: string }): Promise<void>;
  rm(path: string, options?: OperationOptions & { recursive?: boolean; force?: boolean }): Promise<void>;
  mv(
    source: string,
    destination: string,
    options?: OperationOptions & { overwrite?: boolean },
  ): Promise<void>;
  cat(path: string, options?: OperationOptions): Promise<Buffer>;
  head(path: string, bytes?: number, options?: OperationOptions): Promise<Buffer>;
  tail(path: string, bytes?: number, options?: OperationOptions): Promise<Buffer>;
  writeFile(
    path: string,
    data: Uint8Array | string,
    options?: OperationOptions & { overwrite?: boolean },
  ): Promise<void>;
  createReadStream(path: string, options?: ReadStreamOptions): Readable;
  createWriteStream(path: string, options?: WriteStreamOptions): Writable;
  getAclStatus(path: string, options?: OperationOptions): Promise<AclStatus>;
  setAcl(path: string, aclSpec: string | readonly string[], options?: OperationOptions): Promise<void>;
  modifyAclEntries(
    path: string,
    aclSpec: string | readonly string[],
    options?: OperationOptions,
  ): Promise<void>;
  removeAclEntries(
    path: string,
    aclSpec: string | readonly string[],
    options?: OperationOptions,
  ): Promise<void>;
  removeAcl(path: string, options?: OperationOptions): Promise<void>;
  removeDefaultAcl(path: string, options?: OperationOptions): Promise<void>;
  setPermission(path: string, permission: string, options?: OperationOptions): Promise<void>;
  setOwner(
    path: string,
    owner: { owner?: string; group?: string },
    options?: OperationOptions,
  ): Promise<void>;
  put(localPath: string, remotePath: string, options?: TransferOptions): Promise<TransferResult>;
  get(remotePath: string, localPath: string, options?: GetOptions): Promise<TransferResult>;
  close(): Promise<void>;
}

export type AdlUri = `adl://${string}`;
export type AbfssUri = `abfss://${string}`;

/** A client for the filesystem a URI names, and the path inside it. */
export interface OpenedFileSystem<C extends FileSystemClient> {
  client: C;
  path: string;
}

/**
 * Opens the filesystem a location URI names: `adl://ACCOUNT/path` gives a Gen1 `FsClient`,
 * `abfss://FS@ACCOUNT/path` a `Gen2FsClient` (the types follow the scheme). The cloud (in `options`) supplies
 * the host suffixes; a full host must match them.
 */
export function openFileSystem(
  uri: AdlUri,
  options: Omit<FsClientOptions, "accountName">,
): OpenedFileSystem<FsClient>;
export function openFileSystem(
  uri: AbfssUri,
  options: Omit<Gen2FsClientOptions, "accountName" | "filesystem">,
): OpenedFileSystem<Gen2FsClient>;
export function openFileSystem(
  uri: string,
  options: Omit<FsClientOptions, "accountName"> | Omit<Gen2FsClientOptions, "accountName" | "filesystem">,
): OpenedFileSystem<FsClient | Gen2FsClient>;
export function openFileSystem(
  uri: string,
  options: Omit<FsClientOptions, "accountName"> | Omit<Gen2FsClientOptions, "accountName" | "filesystem">,
): OpenedFileSystem<FsClient | Gen2FsClient> {
  const location = parseLocation(uri, options.cloud);
  if (location.protocol === "gen1") {
    const client = createFsClient({ ...(options as FsClientOptions), accountName: location.account });
    return { client, path: location.path };
  }
  const client = new Gen2FsClient({
    ...(options as Gen2FsClientOptions),
    accountName: location.account,
    filesystem: location.filesystem,
  });
  return { client, path: location.path };
}

// Both clients keep to the common interface (a compile-time check, no code).
type _Gen1IsFileSystemClient = FsClient extends FileSystemClient ? true : never;
type _Gen2IsFileSystemClient = Gen2FsClient extends FileSystemClient ? true : never;
const _checks: [_Gen1IsFileSystemClient, _Gen2IsFileSystemClient] = [true, true];
void _checks;
