import { createHash } from "node:crypto";
import { sendEmpty } from "../http/respond.js";
import { lookup, requireAccess } from "../namespace/tree.js";
import { WRITE } from "../store/acl.js";
import { BodyTooLargeError } from "../store/blob-store.js";
import type { FsNode } from "../store/metadata-store.js";
import { checkConditions } from "./conditions.js";
import { contentHeadersOf } from "./create-path.js";
import { storageErrors } from "./errors.js";
import { requireLease } from "./lease.js";
import { header, MAX_FILE_BYTES } from "./params.js";
import { httpDate } from "./render.js";
import type { StorageRequest } from "./request.js";
import {
  leaseAfterWrite,
  leaseForWrite,
  precheckWriteLease,
  type WriteLease,
  writeLeaseOf,
} from "./write-lease.js";

/**
 * Append and flush (reference §2.7). An append streams its body into a blob of its own, durable (fdatasync)
 * before the 202, and stages it at its `position`: appends may arrive in any order and in parallel, and readers
 * never see them. A flush to `position` P commits the staged extents that tile [length, P) exactly, in one
 * transaction made durable before the 200; anything else is 400 InvalidFlushPosition and changes nothing. A
 * lease action (`x-ms-lease-action`, write-lease.ts) commits in the same transaction as the write.
 */

/** Largest body of one append, as the service allows (4000 MiB). */
export const MAX_APPEND_BYTES = 4000 * 1024 * 1024;
/** Most staged extents one file may hold (the service's block limit). */
const MAX_STAGED = 50_000;

function requiredPosition(req: StorageRequest): number {
  const position = req.query.integer("position");
  if (position === undefined) throw storageErrors.missingQuery("position");
  return position;
}

function targetFile(req: StorageRequest): FsNode {
  if (req.segments.length === 0) throw storageErrors.pathConflict();
  const node = lookup(req, req.segments).node;
  if (!node) throw storageErrors.pathNotFound();
  if (node.kind !== "file") throw storageErrors.pathConflict();
  return node;
}

export async function append(req: StorageRequest): Promise<void> {
  const position = requiredPosition(req);
  const expectedMd5 = header(req.headers, "content-md5");
  const flushes = req.query.boolean("flush", false);
  const lease = writeLeaseOf(req, flushes);
  const first = targetFile(req);
  requireAccess(req, first, WRITE);
  // Before the body is read, so a leased file costs no upload; checked again when the append commits.
  if (lease) precheckWriteLease(req, first, lease);
  else requireLease(req, first);
  const { store } = req;
  const blob = store.blobs.newId();
  const hash = createHash("md5");
  let length: number;
  try {
    // The MD5 is computed on the way, for the `Content-MD5` check and the echo the service sends.
    length = await store.blobs.write(blob, req.ctx.req, 0, {
      create: true,
      limit: Math.min(MAX_APPEND_BYTES, MAX_FILE_BYTES - position),
      observe: (chunk) => hash.update(chunk),
    });
  } catch (err) {
    await store.blobs.remove([blob]);
    if (err instanceof BodyTooLargeError) throw storageErrors.bodyTooLarge("4000 MiB per append");
    throw err;
  }
  const md5 = hash.digest("base64");
  let freed: string[] = [blob];
  try {
    if (expectedMd5 !== undefined && expectedMd5 !== md5) throw storageErrors.md5Mismatch();
    if (length > 0 || flushes || lease) {
      // Staging, the flush it may carry and the lease action commit together, or none of them does.
      freed = await store.meta.commit(() => {
        const node = targetFile(req);
        // Re-created meanwhile: this append belonged to the file that is gone.
        if (node.contextId !== first.contextId) throw storageErrors.pathNotFound();
        if (lease) leaseForWrite(req, node, lease, Date.now());
        else requireLease(req, node);
        const out: string[] = [];
        if (length > 0) {
          if (req.state.staged(node.id).length >= MAX_STAGED)
            throw storageErrors.invalidInput(
              `A file holds at most ${MAX_STAGED} appends that are not flushed.`,
            );
          const replaced = req.state.stage(node.id, { position, blob, length });
          if (replaced) out.push(replaced);
        } else out.push(blob);
        if (flushes) out.push(...flushInside(req, position + length, true).freed);
        if (lease) leaseAfterWrite(req, node, lease);
        return out;
      });
    }
  } finally {
    await store.blobs.remove(freed);
  }
  sendEmpty(req.ctx.res, 202, {
    "Content-MD5": md5,
    "x-ms-request-server-encrypted": "true",
    ...renewedHeader(lease),
  });
}

export async function flush(req: StorageRequest): Promise<void> {
  const lease = writeLeaseOf(req, true);
  const position = requiredPosition(req);
  const contentLength = header(req.headers, "content-length");
  if (
    (contentLength !== undefined && contentLength !== "0") ||
    req.headers["transfer-encoding"] !== undefined
  )
    throw storageErrors.contentLengthMustBeZero();
  const { node, freed } = await req.store.meta.commit(() => {
    const done = flushInside(req, position, false, lease);
    if (lease) leaseAfterWrite(req, done.node, lease);
    return done;
  });
  await req.store.blobs.remove(freed);
  sendEmpty(req.ctx.res, 200, {
    ETag: `"${req.state.props(node).etag}"`,
    "Last-Modified": httpDate(node.modified),
    "x-ms-request-server-encrypted": "false",
    ...renewedHeader(lease),
  });
}

/** `x-ms-lease-renewed` when the write renewed its lease. */
function renewedHeader(lease: WriteLease | undefined): Record<string, string> {
  return lease?.action === "auto-renew" ? { "x-ms-lease-renewed": "true" } : {};
}

/**
 * Inside a transaction: commits the staged extents that tile [length, position); the new length is `position`.
 * `leaseDone`: the caller (an append with flush=true) has already checked and applied the lease; otherwise it is
 * checked here (with `lease`, the request's lease action). Returns the file and the blobs to free once durable.
 */
function flushInside(
  req: StorageRequest,
  position: number,
  leaseDone: boolean,
  lease?: WriteLease,
): { node: FsNode; freed: string[] } {
  const retain = req.query.boolean("retainUncommittedData", false);
  req.query.boolean("close", false); // only for change notifications; validated, no data meaning
  const md5 = header(req.headers, "x-ms-content-md5");
  if (md5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(md5))
    throw storageErrors.invalidHeader("x-ms-content-md5", md5, "x-ms-content-md5 is the base64 of 16 bytes.");
  const headers = contentHeadersOf(req);
  if (md5) headers.contentMd5 = md5;
  const { store } = req;
  const freed: string[] = [];
  const file = targetFile(req);
  const props = req.state.props(file);
  checkConditions(req, file, props.etag);
  requireAccess(req, file, WRITE);
  if (!leaseDone) {
    if (lease) leaseForWrite(req, file, lease, Date.now());
    else requireLease(req, file);
  }
  const staged = req.state.staged(file.id);
  const byPosition = new Map(staged.map((extent) => [extent.position, extent]));
  if (position < file.length) throw storageErrors.invalidFlushPosition();
  const taken = new Set<number>();
  for (let at = file.length; at < position; ) {
    const extent = byPosition.get(at);
    if (!extent || at + extent.length > position) throw storageErrors.invalidFlushPosition();
    taken.add(at);
    at += extent.length;
  }
  let seq = (store.meta.lastExtent(file.id)?.seq ?? -1) + 1;
  for (const extent of staged) {
    if (taken.has(extent.position)) {
      req.state.unstage(file.id, extent.position);
      store.meta.putExtent(file.id, { seq: seq++, blob: extent.blob, length: extent.length });
    } else if (!retain || extent.position < position) {
      req.state.unstage(file.id, extent.position);
      freed.push(extent.blob);
    }
  }
  const now = Date.now();
  // The node's lease columns are Gen1's; Gen2 leases live in path state (set by the caller).
  store.meta.setLength(file.id, position, now, file.lease, file.leaseTime);
  req.state.setProps(file.id, { headers, metadata: props.metadata });
  return { node: store.meta.byId(file.id)!, freed };
}
