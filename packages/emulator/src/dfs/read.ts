import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { sendEmpty } from "../http/respond.js";
import { lookup, requireAccess } from "../namespace/tree.js";
import { READ } from "../store/acl.js";
import { rangesOf } from "../store/extent-ranges.js";
import type { FsNode } from "../store/metadata-store.js";
import { checkConditions, NotModified } from "./conditions.js";
import { storageErrors } from "./errors.js";
import { header, parseRange } from "./params.js";
import { aclText, httpDate, pathHeaders, permissionsText } from "./render.js";
import type { StorageRequest } from "./request.js";

/**
 * Reading a path, the same on both endpoints (reference §2.9, §2.10, §3.3, §3.4): GET streams the committed
 * bytes (a range: 206 with `Content-Range`), HEAD answers the headers; both send the union of the DFS and Blob
 * headers, so either SDK finds what it parses. `HEAD ?action=getAccessControl|getStatus` needs only traverse
 * rights on the ancestors; reading or plain HEAD needs read on the item.
 */

/** Largest range whose MD5 may be asked for (`x-ms-range-get-content-md5`). */
const MAX_MD5_RANGE = 4 * 1024 * 1024;

function target(req: StorageRequest): FsNode {
  const node = req.segments.length === 0 ? req.top() : lookup(req, req.segments).node;
  if (!node) throw storageErrors.pathNotFound();
  return node;
}

/** The conditions of a GET or HEAD; false when they answered 304 Not Modified. */
function readConditionsPass(req: StorageRequest, node: FsNode, etag: string): boolean {
  try {
    checkConditions(req, node, etag, { read: true });
    return true;
  } catch (err) {
    if (!(err instanceof NotModified)) throw err;
    sendEmpty(req.ctx.res, 304, { ETag: `"${err.etag}"` });
    return false;
  }
}

export function headPath(req: StorageRequest): void {
  const action = req.query.get("action");
  const node = target(req);
  const props = req.state.props(node);
  if (action === "getAccessControl" || action === "getStatus") {
    const headers: Record<string, string> = {
      ETag: `"${props.etag}"`,
      "Last-Modified": httpDate(node.modified),
      "x-ms-owner": node.owner,
      "x-ms-group": node.group,
      "x-ms-permissions": permissionsText(node.acl),
    };
    if (action === "getAccessControl") headers["x-ms-acl"] = aclText(node.acl);
    else {
      headers["x-ms-resource-type"] = node.kind;
      headers["x-ms-creation-time"] = httpDate(node.created);
      headers["Content-Length"] = String(node.length);
    }
    // upn=true shows user principal names where there are some: the emulator's principals are applications,
    // which have none, so object ids stay (as the service shows them for service principals).
    req.query.boolean("upn", false);
    sendEmpty(req.ctx.res, 200, headers);
    return;
  }
  if (action !== undefined)
    throw storageErrors.invalidQuery("action", action, "HEAD takes action=getAccessControl or getStatus.");
  requireAccess(req, node, READ);
  if (!readConditionsPass(req, node, props.etag)) return;
  const headers = withSasOverrides(req, pathHeaders(node, props, { acl: false }));
  req.ctx.res.writeHead(200, { ...headers, "Content-Length": node.length });
  req.ctx.res.end();
}

export async function readPath(req: StorageRequest): Promise<void> {
  const node = target(req);
  requireAccess(req, node, READ);
  const props = req.state.props(node);
  if (!readConditionsPass(req, node, props.etag)) return;
  const range = parseRange(req.headers);
  const wantMd5 = header(req.headers, "x-ms-range-get-content-md5")?.toLowerCase() === "true";
  const size = node.kind === "file" ? node.length : 0;
  if (range && range.start >= size) throw storageErrors.invalidRange(size);
  const start = range?.start ?? 0;
  const end = range ? Math.min(size, (range.end ?? size - 1) + 1) : size;
  if (wantMd5 && (!range || end - start > MAX_MD5_RANGE))
    throw storageErrors.invalidHeader(
      "x-ms-range-get-content-md5",
      "true",
      "The range MD5 needs a range of at most 4 MiB.",
    );
  const headers: Record<string, string | number> = {
    ...withSasOverrides(req, pathHeaders(node, props, { acl: false })),
    "Content-Length": end - start,
  };
  const res = req.ctx.res;
  if (range) {
    headers["Content-Range"] = `bytes ${start}-${end - 1}/${size}`;
    delete headers["Content-MD5"];
    if (props.headers.contentMd5) {
      headers["x-ms-blob-content-md5"] = props.headers.contentMd5;
      headers["x-ms-content-md5"] = props.headers.contentMd5;
    }
  }
  const extents = node.kind === "file" ? req.store.meta.extents(node.id) : [];
  // Opened before the answer starts, so a concurrent delete or overwrite cannot cut the read short.
  const reader = end > start ? await req.store.blobs.openRanges(rangesOf(extents, start, end)) : undefined;
  if (wantMd5) {
    // At most 4 MiB: read once into memory, so the MD5 sent is the MD5 of the bytes sent.
    const chunks: Buffer[] = [];
    await reader?.sendTo(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(Buffer.from(chunk));
          done();
        },
      }),
    );
    const bytes = Buffer.concat(chunks);
    headers["Content-MD5"] = createHash("md5").update(bytes).digest("base64");
    res.writeHead(206, headers);
    res.end(bytes);
    return;
  }
  res.writeHead(range ? 206 : 200, headers);
  await reader?.sendTo(res);
  res.end();
}

/** A SAS's `rscc rscd rsce rscl rsct` replace the stored content headers in the answer (not in the store). */
function withSasOverrides(req: StorageRequest, headers: Record<string, string>): Record<string, string> {
  if (req.caller.credential.kind !== "sas") return headers;
  const o = req.caller.credential.grant.responseHeaders;
  const out = { ...headers };
  for (const [param, name, value] of [
    ["rscc", "Cache-Control", o.cacheControl],
    ["rscd", "Content-Disposition", o.contentDisposition],
    ["rsce", "Content-Encoding", o.contentEncoding],
    ["rscl", "Content-Language", o.contentLanguage],
    ["rsct", "Content-Type", o.contentType],
  ] as const) {
    if (value === undefined) continue;
    // Signed, but still a header value: a line break would split the answer.
    if (!/^[\x20-\x7e]*$/.test(value))
      throw storageErrors.invalidQuery(param, value, "Response headers are printable ASCII.");
    out[name] = value;
  }
  return out;
}
