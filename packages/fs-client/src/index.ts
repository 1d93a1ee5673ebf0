// From @adlkit/core, so that installing this package alone is enough: the clouds its options take and the
// errors it throws (a strict installer such as pnpm does not let an app import a dependency's dependency).
export {
  AbortError,
  AdlkitError,
  type Cloud,
  chinaCloud,
  type EmulatorConnection,
  emulatorCloud,
  emulatorCloudFromFile,
  HttpError,
  InvalidArgumentError,
  type Logger,
  NetworkError,
  publicCloud,
  type RetryOptions,
  ThrottledError,
  TimeoutError,
  usGovCloud,
} from "@adlkit/core";
export { createFsClient, FsClient } from "./client.js";
export { copy } from "./copy/copy.js";
export type { CopyClient, CopyEndpoint } from "./copy/endpoints.js";
export { type CopyOptions, PRESERVE_ITEMS, type PreserveItem } from "./copy/options.js";
export type { CopyItem, CopyReport, NotCarried } from "./copy/report.js";
export {
  AccessDeniedError,
  BadOffsetError,
  FsError,
  type FsErrorInit,
  fromRemoteException,
  IntegrityError,
  PathExistsError,
  PathNotFoundError,
  parseRemoteException,
  type RemoteException,
  SourceChangedError,
} from "./errors.js";
export {
  type AbfssUri,
  type AdlUri,
  type FileSystemClient,
  type OpenedFileSystem,
  openFileSystem,
} from "./filesystem.js";
export type { RecursiveAclMode, RecursiveAclOptions, RecursiveAclResult } from "./gen2/acl.js";
export { createGen2FsClient, Gen2FsClient } from "./gen2/client.js";
export type { Gen2Filesystem, Gen2FilesystemPage, ListFilesystemsOptions } from "./gen2/filesystems.js";
export type {
  Gen2Credential,
  Gen2FsClientOptions,
  StorageSas,
  StorageSharedKey,
  UploadMd5,
} from "./gen2/options.js";
export type { Gen2AppendOptions, Gen2CreateOptions, Gen2FlushOptions } from "./gen2/write.js";
export {
  checkFilesystemName,
  formatLocation,
  type Gen1Location,
  type Gen2Location,
  isLocationUri,
  type Location,
  parseLocation,
} from "./location.js";
export type { FileStatusPage, PagedAsyncIterableIterator, PageSettings } from "./operations/list.js";
export type { ReadStreamOptions, WriteStreamOptions } from "./operations/streams.js";
export type { AppendOptions, CreateOptions } from "./operations/write.js";
export {
  CHUNK_SIZE_RANGE,
  CONCURRENCY_RANGE,
  DEFAULTS,
  type FsClientOptions,
  MAX_BLOCK_SIZE,
} from "./options.js";
export { encodePath, normalizePath } from "./paths.js";
export type { FileTransferResult } from "./transfer/settings.js";
export { downloadStatePath, partialPath, uploadStatePath } from "./transfer/state-paths.js";
export type { GetOptions, TransferOptions, TransferResult } from "./transfer/transfer-options.js";
export type { TreeResult } from "./transfer/tree.js";
export type {
  AclStatus,
  ContentSummary,
  ExpiryOption,
  FileStatus,
  OperationOptions,
  SyncFlag,
  TransferProgress,
} from "./types.js";
