import { PathNotFoundError } from "../errors.js";
import { normalizePath } from "../paths.js";
import type { AclStatus, FileStatus, OperationOptions } from "../types.js";
import type { Dfs } from "./dfs.js";

/**
 * Gen2's statuses in Gen1's shape (FileStatus), so the protocol-independent code reads one type. What Gen2 has
 * no notion of is a neutral value: no access time (0), no block size (0), one replica. The ETag is added: Gen2's
 * Last-Modified has one-second resolution, so the ETag is what tells versions of a file apart.
 */

/** `rwxr-x---`, `rwxr-x--T`, `rwxr-x---+` → `750`, `1750`, `750` (octal, as Gen1 reports it). */
export function octalPermission(symbolic: string): { permission: string; aclBit: boolean } {
  const bits = symbolic.replace(/\+$/, "");
  if (!/^[r-][w-][xsS-][r-][w-][xsS-][r-][w-][xtT-]$/.test(bits))
    return { permission: symbolic, aclBit: false };
  let mode = 0;
  for (let i = 0; i < 9; i++) if (!["-", "S", "T"].includes(bits[i] as string)) mode |= 1 << (8 - i);
  const sticky = /[tT]$/.test(bits);
  const octal = mode.toString(8).padStart(3, "0");
  return { permission: sticky ? `1${octal}` : octal, aclBit: symbolic.endsWith("+") };
}

/** Windows FILETIME (100 ns ticks since 1601) as a decimal string → ms since 1970; `"0"` → 0. */
export function fromFileTime(text: string | undefined): number {
  if (!text || text === "0") return 0;
  return Number((BigInt(text) - 116444736000000000n) / 10000n);
}

/** `creationTime` from an HTTP date, when the service sent one. */
function creation(text: string | null): { creationTime?: number } {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isFinite(ms) ? { creationTime: ms } : {};
}

function baseStatus(
  path: string,
): Omit<FileStatus, "length" | "type" | "modificationTime" | "permission" | "owner" | "group"> {
  const normalized = normalizePath(path);
  return {
    path: normalized,
    pathSuffix: "",
    blockSize: 0,
    accessTime: 0,
    replication: 1,
  };
}

/** HEAD `?action=getStatus`: system properties only, which needs nothing but traverse rights on the parents. */
export async function getStatus(dfs: Dfs, path: string, options: OperationOptions = {}): Promise<FileStatus> {
  const response = await dfs.text(path, {
    method: "HEAD",
    operation: "getStatus",
    params: { action: "getStatus" },
    abortSignal: options.abortSignal,
  });
  const h = response.headers;
  const { permission, aclBit } = octalPermission(h.get("x-ms-permissions") ?? "");
  const type = h.get("x-ms-resource-type") === "directory" ? "DIRECTORY" : "FILE";
  return {
    ...baseStatus(path),
    length: type === "FILE" ? Number(h.get("content-length") ?? 0) : 0,
    type,
    modificationTime: Date.parse(h.get("last-modified") ?? "") || 0,
    permission,
    aclBit,
    owner: h.get("x-ms-owner") ?? "",
    group: h.get("x-ms-group") ?? "",
    etag: unquote(h.get("etag")),
    ...creation(h.get("x-ms-creation-time")),
  };
}

export async function tryGetStatus(
  dfs: Dfs,
  path: string,
  options: OperationOptions = {},
): Promise<FileStatus | undefined> {
  try {
    return await getStatus(dfs, path, options);
  } catch (err) {
    if (err instanceof PathNotFoundError) return undefined;
    throw err;
  }
}

/** HEAD `?action=getAccessControl`: owner, group, permissions and the ACL (access, then default entries). */
export async function getAccessControl(
  dfs: Dfs,
  path: string,
  options: OperationOptions = {},
): Promise<AclStatus & { etag: string | undefined }> {
  const response = await dfs.text(path, {
    method: "HEAD",
    operation: "getAccessControl",
    params: { action: "getAccessControl", upn: false },
    abortSignal: options.abortSignal,
  });
  const h = response.headers;
  const symbolic = h.get("x-ms-permissions") ?? "";
  const { permission } = octalPermission(symbolic);
  const acl = h.get("x-ms-acl") ?? "";
  return {
    // As Gen1's AclStatus: every entry, base ones included (`user::rwx,…`), access before default.
    entries: acl.split(",").filter(Boolean),
    owner: h.get("x-ms-owner") ?? "",
    group: h.get("x-ms-group") ?? "",
    permission,
    stickyBit: /[tT]$/.test(symbolic.replace(/\+$/, "")),
    etag: unquote(h.get("etag")),
  };
}

export function unquote(etag: string | null | undefined): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^"(.*)"$/, "$1");
}
