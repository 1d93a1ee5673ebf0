import { type Cloud, checkAccountName, publicCloud } from "@adlkit/core";
import type { TokenCredential } from "@azure/core-auth";
import { checkFilesystemName } from "../location.js";
import { invalidArgument, positiveInteger, resolveShared, type SharedOptions } from "../options.js";

const MiB = 1024 * 1024;

/** A storage account key (Shared Key): full access, ACLs not evaluated (the caller is a super-user). */
export interface StorageSharedKey {
  accountName: string;
  /** The base64 key from `listKeys` (Azure portal: Access keys). */
  accountKey: string;
}

/** A shared access signature: its query string, with or without the leading `?`. */
export interface StorageSas {
  sas: string;
}

export type Gen2Credential = TokenCredential | StorageSharedKey | StorageSas;

export interface Gen2FsClientOptions extends SharedOptions {
  /**
   * A TokenCredential (any `@azure/core-auth` one; tokens for `https://storage.azure.com/.default`), a Shared Key
   * (`{ accountName, accountKey }`) or a SAS (`{ sas }`).
   */
  credential: Gen2Credential;
  /** The storage account, e.g. `contosolake` for `contosolake.dfs.core.windows.net`. */
  accountName: string;
  /** The filesystem (container) every path of this client lives in. */
  filesystem: string;
  /** Where the account lives. @default publicCloud */
  cloud?: Cloud | undefined;
  /**
   * Bytes per append request, at most 100 MiB. `put()` reads each append body from the file while it is sent, so
   * larger appends cost it no memory and mean fewer requests (less CPU on both sides); a write stream holds one
   * block. @default 16777216 (16 MiB)
   */
  blockSize?: number | undefined;
  /**
   * What `put()` hashes. "file": the whole file's MD5, from one read of the source beside the appends, stored by the
   * flush as the file's Content-MD5 (the service keeps it but does not check it; readers can). "file+appends": also
   * each append's Content-MD5, so the service itself refuses a body that arrives damaged or a source that changed
   * meanwhile; each block is then read and hashed once more before it is sent (about twice the client CPU of
   * "file"). "none": no hash (TLS still protects the bytes on the way; lengths are checked either way), for when
   * the CPU matters more than a stored MD5. Appends from memory (`writeFile`, write streams, `append`) always carry
   * their MD5. @default "file"
   */
  md5?: UploadMd5 | undefined;
  /** `x-ms-version` sent with every request. @default "2025-01-05" */
  apiVersion?: string | undefined;
}

export type Gen2Auth =
  | { kind: "token"; credential: TokenCredential }
  | { kind: "sharedKey"; accountKey: string }
  | { kind: "sas"; sas: string };

export type ResolvedGen2Options = ReturnType<typeof resolveShared> & {
  auth: Gen2Auth;
  accountName: string;
  filesystem: string;
  cloud: Cloud;
  blockSize: number;
  maxBlockSize: number;
  md5: UploadMd5;
  apiVersion: string;
};

/** The largest append body the client sends: memory per request in flight (the service takes 4000 MiB). */
export const MAX_APPEND_BLOCK = 100 * MiB;

export const GEN2_DEFAULTS = { blockSize: 16 * MiB, apiVersion: "2025-01-05" };

function authOf(credential: Gen2Credential | undefined, accountName: string): Gen2Auth {
  if (credential && typeof (credential as TokenCredential).getToken === "function")
    return { kind: "token", credential: credential as TokenCredential };
  if (credential && typeof (credential as StorageSharedKey).accountKey === "string") {
    const key = credential as StorageSharedKey;
    if (key.accountName !== accountName)
      throw invalidArgument("credential", `is a key of account '${key.accountName}', not '${accountName}'`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key.accountKey))
      throw invalidArgument("credential", "has an accountKey that is not base64");
    return { kind: "sharedKey", accountKey: key.accountKey };
  }
  if (credential && typeof (credential as StorageSas).sas === "string") {
    const sas = (credential as StorageSas).sas.replace(/^\?/, "");
    if (!new URLSearchParams(sas).has("sig"))
      throw invalidArgument("credential", "has a sas without a signature (sig=)");
    return { kind: "sas", sas };
  }
  throw invalidArgument(
    "credential",
    "option is required: a TokenCredential, { accountName, accountKey } (Shared Key) or { sas }",
  );
}

/** What a Gen2 `put()` hashes (see `Gen2FsClientOptions.md5`). */
export type UploadMd5 = "file" | "file+appends" | "none";
const UPLOAD_MD5: readonly UploadMd5[] = ["file", "file+appends", "none"];
const MD5_CHOICES = UPLOAD_MD5.map((v) => `"${v}"`).join(", ");
const DEFAULT_MD5: UploadMd5 = "file";

function uploadMd5(value: unknown): UploadMd5 {
  if (!UPLOAD_MD5.includes(value as UploadMd5))
    throw invalidArgument("md5", `must be one of ${MD5_CHOICES}, got '${String(value)}'`);
  return value as UploadMd5;
}

/** Fills in defaults and validates everything before any network call. */
export function resolveGen2Options(options: Gen2FsClientOptions): ResolvedGen2Options {
  if (!options || typeof options !== "object") throw invalidArgument("options", "are required");
  checkAccountName(options.accountName, "accountName", "@adlkit/fs-client");
  const auth = authOf(options.credential, options.accountName);
  const cloud = options.cloud ?? publicCloud;
  if (!cloud.pathStyleFilesystemHost && !cloud.storageEndpointSuffix)
    throw invalidArgument("cloud", `'${cloud.name}' has no storage endpoint (storageEndpointSuffix)`);
  if (auth.kind === "token" && !cloud.storageAudience)
    throw invalidArgument("cloud", `'${cloud.name}' has no storageAudience`);
  return {
    auth,
    accountName: options.accountName,
    filesystem: checkFilesystemName(options.filesystem),
    cloud,
    ...resolveShared(options),
    blockSize: positiveInteger("blockSize", options.blockSize ?? GEN2_DEFAULTS.blockSize, MAX_APPEND_BLOCK),
    maxBlockSize: MAX_APPEND_BLOCK,
    md5: uploadMd5(options.md5 ?? DEFAULT_MD5),
    apiVersion: options.apiVersion ?? GEN2_DEFAULTS.apiVersion,
  };
}
