import { parsePermission } from "../../store/acl.js";
import type { FsRequest } from "../fs-request.js";
import { remoteErrors } from "../remote-exception.js";

/** The optional `permission` parameter (1–4 octal digits, optional sticky digit), or 400. */
export function permissionParam(req: FsRequest): { sticky: boolean; bits: number } | undefined {
  const text = req.params.get("permission");
  if (text === undefined || text === "") return undefined;
  const permission = parsePermission(text);
  if (!permission)
    throw remoteErrors.illegalArgument(
      req.op,
      `Invalid permission '${text}': expected 1-4 octal digits such as 770 or 1770`,
    );
  return permission;
}

export type SyncFlag = "DATA" | "METADATA" | "CLOSE";

/** `syncFlag`, case-insensitive; absent gives the default (CLOSE for CREATE/APPEND, DATA for CONCURRENTAPPEND). */
export function syncFlagParam(req: FsRequest, fallback: SyncFlag): SyncFlag {
  const text = req.params.get("syncFlag");
  if (text === undefined || text === "") return fallback;
  const upper = text.toUpperCase();
  if (upper === "DATA" || upper === "METADATA" || upper === "CLOSE") return upper;
  throw remoteErrors.illegalArgument(req.op, `Invalid syncFlag '${text}': expected DATA, METADATA or CLOSE`);
}

/** A required parameter, or 400. */
export function requiredParam(req: FsRequest, name: string): string {
  const value = req.params.get(name);
  if (value === undefined || value === "")
    throw remoteErrors.illegalArgument(req.op, `The parameter ${name} is required`);
  return value;
}
