import type { FsRequest } from "../fs-request.js";
import { remoteErrors } from "../remote-exception.js";

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
