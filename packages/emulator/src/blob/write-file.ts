import { createHash } from "node:crypto";
import { checkConditions } from "../dfs/conditions.js";
import { modeFor } from "../dfs/create-path.js";
import { storageErrors } from "../dfs/errors.js";
import { requireLease } from "../dfs/lease.js";
import { header } from "../dfs/params.js";
import type { StorageRequest } from "../dfs/request.js";
import { createChild, ensureDirectory, lookup, requireAccess } from "../namespace/tree.js";
import { EXECUTE, WRITE } from "../store/acl.js";
import { BodyTooLargeError } from "../store/blob-store.js";
import type { FsNode } from "../store/metadata-store.js";
import type { ContentHeaders } from "../store/path-state.js";

/**
 * What Put Blob and Put Block List share: receiving a body into a blob of its own, and replacing a file's whole
 * content in one transaction. Files written through the Blob API are the same files as the DFS ones: missing
 * directories are made (`mkdir -p`, as the service does on a hierarchical account), new items get the service's
 * default mode (0666/0777 less umask 0027) or the parent's default ACL, and an existing file keeps its owner,
 * ACL and lease, since only its content changes.
 */

/** The default umask of items created without one (reference §2.4). */
const DEFAULT_UMASK = 0o027;

/** Receives the request body into a new blob: its id, length and MD5; `Content-MD5`, when sent, must match. */
export async function receiveBody(req: StorageRequest, limit: number, what: string) {
  const blob = req.store.blobs.newId();
  const hash = createHash("md5");
  let length: number;
  try {
    length = await req.store.blobs.write(blob, req.ctx.req, 0, {
      create: true,
      limit,
      observe: (chunk) => hash.update(chunk),
    });
  } catch (err) {
    await req.store.blobs.remove([blob]);
    if (err instanceof BodyTooLargeError) throw storageErrors.bodyTooLarge(what);
    throw err;
  }
  const md5 = hash.digest("base64");
  const expected = header(req.headers, "content-md5");
  if (expected !== undefined && expected !== md5) {
    await req.store.blobs.remove([blob]);
    throw storageErrors.md5Mismatch();
  }
  return { blob, length, md5 };
}

/**
 * Before a body is received: refuses what the commit would refuse for the caller's rights, so nobody can fill
 * the disk with data they may not write. An existing file needs write (and its lease); a new one write and
 * traverse on its nearest existing directory.
 */
export function precheckWrite(req: StorageRequest): void {
  if (req.segments.length === 0) throw storageErrors.rootNotAllowed("written");
  const found = lookup(req, req.segments);
  if (found.node) {
    if (found.node.kind !== "file") throw storageErrors.pathConflict();
    requireAccess(req, found.node, WRITE);
    requireLease(req, found.node);
    return;
  }
  for (let depth = req.segments.length - 1; depth >= 0; depth--) {
    const dir = depth === 0 ? req.top() : lookup(req, req.segments.slice(0, depth)).node;
    if (!dir) continue;
    if (dir.kind !== "directory") throw storageErrors.pathConflict();
    requireAccess(req, dir, WRITE | EXECUTE);
    return;
  }
}

export interface NewContent {
  /** The file's extents, in order. */
  extents: ReadonlyArray<{ blob: string; length: number }>;
  headers: ContentHeaders;
  metadata: Record<string, string>;
  /** Put Block List: the committed block ids, one per extent. */
  blockList?: Array<{ id: string; length: number }>;
}

/**
 * Inside a transaction: makes the request's path a file holding `content` (creating it and its directories, or
 * replacing an existing file's content). Returns the file and the blobs it no longer uses (its old extents and
 * its DFS appends that were never flushed), to free once the change is durable.
 */
export function replaceContent(req: StorageRequest, content: NewContent): { node: FsNode; freed: string[] } {
  const caller: StorageRequest = {
    ...req,
    defaultMode: (parent, kind) => modeFor(parent, kind, undefined, DEFAULT_UMASK),
  };
  const found = lookup(caller, req.segments);
  const now = Date.now();
  const length = content.extents.reduce((sum, e) => sum + e.length, 0);
  let node = found.node;
  let freed: string[] = [];
  if (node) {
    if (header(req.headers, "if-none-match")?.trim() === "*") throw storageErrors.pathExists(node.kind);
    if (node.kind !== "file") throw storageErrors.pathConflict();
    checkConditions(req, node, req.state.props(node).etag);
    requireLease(req, node);
    requireAccess(req, node, WRITE);
    const kept = new Set(content.extents.map((e) => e.blob));
    freed = req.store.meta.extents(node.id).map((e) => e.blob);
    freed.push(...req.state.unstageAll(node.id));
    freed = freed.filter((blob) => !kept.has(blob));
  } else {
    checkConditions(req, undefined, undefined);
    requireLease(req, undefined);
    const parent = found.parent ?? ensureDirectory(caller, req.segments.slice(0, -1), now);
    node = createChild(caller, parent, req.segments[req.segments.length - 1]!, "file", {
      now,
      permission: modeFor(parent, "file", undefined, DEFAULT_UMASK),
    });
  }
  req.store.meta.replaceExtents(
    node.id,
    content.extents.filter((e) => e.length > 0).map((e, seq) => ({ seq, blob: e.blob, length: e.length })),
  );
  req.store.meta.setLength(node.id, length, now, node.lease, node.leaseTime);
  req.state.setProps(node.id, { headers: content.headers, metadata: content.metadata });
  req.state.setBlockList(node.id, content.blockList);
  return { node: req.store.meta.byId(node.id)!, freed };
}
