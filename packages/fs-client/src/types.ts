/** One entry of GETFILESTATUS / LISTSTATUS, as the service sends it, plus the full `path` for listings. */
export interface FileStatus {
  /** Absolute path of the entry (added by the client; the wire only has `pathSuffix`). */
  path: string;
  length: number;
  pathSuffix: string;
  type: "FILE" | "DIRECTORY";
  blockSize: number;
  accessTime: number;
  modificationTime: number;
  replication: number;
  permission: string;
  owner: string;
  group: string;
  /** Expiry instant in ms, 0 = never; files only. */
  msExpirationTime?: number;
  aclBit?: boolean;
  fileContextID?: string;
  /** Gen2 only: the entity tag of this version (changes with every write; Gen2's times have 1 s resolution). */
  etag?: string;
  /** Gen2 only: when the path was created, in ms (Gen1 keeps that in `accessTime`). */
  creationTime?: number;
}

export interface ContentSummary {
  directoryCount: number;
  fileCount: number;
  length: number;
  quota: number;
  spaceConsumed: number;
  spaceQuota: number;
}

export interface AclStatus {
  entries: string[];
  owner: string;
  group: string;
  permission: string;
  stickyBit: boolean;
}

export type SyncFlag = "DATA" | "METADATA" | "CLOSE";
export type ExpiryOption = "NeverExpire" | "RelativeToNow" | "RelativeToCreationDate" | "Absolute";

/** The last parameter of every async method. */
export interface OperationOptions {
  abortSignal?: AbortSignal | undefined;
}

/** Progress of a transfer, reported as bytes move. */
export interface TransferProgress {
  /** Bytes of all files of this transfer that are done (confirmed by the server or written locally). */
  bytesTransferred: number;
  totalBytes: number;
  filesCompleted: number;
  totalFiles: number;
}
