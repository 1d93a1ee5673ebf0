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
  type Logger,
  NetworkError,
  publicCloud,
  type RetryOptions,
  TimeoutError,
  usGovCloud,
} from "@adlkit/core";
export {
  createFsClient,
  FsClient,
  type GetOptions,
  type TransferOptions,
  type TransferResult,
} from "./client.js";
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
  ThrottledError,
} from "./errors.js";
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
export { downloadStatePath, partialPath } from "./transfer/download.js";
export type { TreeResult } from "./transfer/tree.js";
export { type FileTransferResult, uploadStatePath } from "./transfer/upload.js";
export type {
  AclStatus,
  ContentSummary,
  ExpiryOption,
  FileStatus,
  OperationOptions,
  SyncFlag,
  TransferProgress,
} from "./types.js";
