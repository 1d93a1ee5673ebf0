export { InvalidArgumentError, ThrottledError } from "@adlkit/core";
export { createFsClient, FsClient } from "./client.js";
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
} from "./errors.js";
export type { FileStatusPage, PagedAsyncIterableIterator, PageSettings } from "./operations/list.js";
export type { ReadStreamOptions, WriteStreamOptions } from "./operations/streams.js";
export type { AppendOptions, CreateOptions } from "./operations/write.js";
export { DEFAULTS, type FsClientOptions, MAX_BLOCK_SIZE } from "./options.js";
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
