import type { FsNode } from "../store/metadata-store.js";
import { storageErrors } from "./errors.js";
import { header } from "./params.js";
import type { StorageRequest } from "./request.js";

/**
 * Conditional headers (reference §2.0): `If-Match`, `If-None-Match` (`*` allowed), `If-Modified-Since`,
 * `If-Unmodified-Since`, and the `x-ms-source-if-*` ones of a rename. A failed condition is 412 on a change;
 * on GET and HEAD a matching `If-None-Match` or an unmet `If-Modified-Since` is 304 instead.
 */

export class NotModified extends Error {
  constructor(readonly etag: string) {
    super("not modified");
    this.name = "NotModified";
  }
}

/** ETags compare with or without quotes (clients send the quoted form; accepting both is harmless). */
function etagsMatch(list: string, etag: string): boolean {
  return list
    .split(",")
    .map((item) => item.trim().replace(/^W\//, "").replace(/^"|"$/g, ""))
    .some((item) => item === "*" || item === etag);
}

function date(req: StorageRequest, name: string): number | undefined {
  const value = header(req.headers, name);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw storageErrors.invalidHeader(name, value, `${name} must be an RFC 1123 date.`);
  return ms;
}

/**
 * Checks the conditions against `node` (undefined: the path does not exist) with its ETag. `prefix` is "" for
 * the target's own conditions and "x-ms-source-" for a rename's source.
 */
export function checkConditions(
  req: StorageRequest,
  node: FsNode | undefined,
  etag: string | undefined,
  options: { read?: boolean; prefix?: "" | "x-ms-source-" } = {},
): void {
  const prefix = options.prefix ?? "";
  const fail = prefix === "" ? storageErrors.conditionNotMet : storageErrors.sourceConditionNotMet;
  const ifMatch = header(req.headers, `${prefix}if-match`);
  const ifNoneMatch = header(req.headers, `${prefix}if-none-match`);
  const modifiedSince = date(req, `${prefix}if-modified-since`);
  const unmodifiedSince = date(req, `${prefix}if-unmodified-since`);
  // Times compare at the one-second resolution of Last-Modified.
  const modified = node ? Math.floor(node.modified / 1000) * 1000 : undefined;
  if (ifMatch !== undefined && (!node || !etag || !etagsMatch(ifMatch, etag))) throw fail();
  if (unmodifiedSince !== undefined && modified !== undefined && modified > unmodifiedSince) throw fail();
  if (ifNoneMatch !== undefined && node && etag && etagsMatch(ifNoneMatch, etag)) {
    if (options.read && ifNoneMatch.trim() !== "*") throw new NotModified(etag);
    throw fail();
  }
  if (modifiedSince !== undefined && modified !== undefined && modified <= modifiedSince) {
    if (options.read) throw new NotModified(etag ?? "");
    throw fail();
  }
}
