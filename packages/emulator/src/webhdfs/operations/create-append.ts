import type { IncomingMessage } from "node:http";
import { sendEmpty } from "../../http/respond.js";
import { requireRemoval } from "../../namespace/removal.js";
import { createChild, ensureDirectory, lookup, requireAccess } from "../../namespace/tree.js";
import { WRITE } from "../../store/acl.js";
import type { FsNode } from "../../store/metadata-store.js";
import type { FsRequest, Operation } from "../fs-request.js";
import { pathString } from "../parse-request.js";
import { remoteErrors } from "../remote-exception.js";
import { syncFlagParam } from "./params.js";

/** Largest CREATE/APPEND body (§7): 4 MiB, what every SDK sends at most. */
export const MAX_WRITE_BYTES = 4 * 1024 * 1024;
/** How long an unclosed writer's lease blocks other writers (§6.5). */
export const LEASE_MS = 10 * 60 * 1000;

/** Whether the request announces a body (so an empty CREATE does not create a blob file). */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers["transfer-encoding"]) return true;
  const length = req.headers["content-length"];
  return length !== undefined && length !== "0";
}

/**
 * CREATE (§4.4): 201 with `Location`. The body goes into a new blob first; then one transaction checks
 * again, creates missing parents, replaces an existing file when `overwrite=true`, and records the new file.
 */
export const create: Operation = {
  method: "PUT",
  async run(req) {
    const overwrite = req.params.boolean("overwrite", false);
    const createParent = req.params.boolean("CreateParent", true);
    const permission = req.params.permission();
    const syncFlag = syncFlagParam(req, "CLOSE");
    const lease = syncFlag === "CLOSE" ? null : (req.params.get("leaseid") ?? null);
    const { store } = req;
    const check = () => {
      if (req.segments.length === 0) throw remoteErrors.alreadyExists(req.op, "/");
      const found = lookup(req, req.segments);
      if (found.node?.kind === "directory" || (found.node && !overwrite))
        throw remoteErrors.alreadyExists(req.op, req.path);
      if (!found.parent && !createParent) throw remoteErrors.notFound(pathString(req.segments.slice(0, -1)));
      return found;
    };
    check(); // fail fast, before reading the body

    let blob: string | undefined;
    let length = 0;
    if (hasBody(req.ctx.req)) {
      blob = store.blobs.newId();
      try {
        length = await store.blobs.write(blob, req.ctx.req, 0, {
          create: true,
          limit: MAX_WRITE_BYTES,
          keepOpen: syncFlag !== "CLOSE", // APPENDs will follow
        });
      } catch (err) {
        await store.blobs.remove([blob]);
        throw err;
      }
    }
    const now = Date.now();
    let freed: string[] = [];
    try {
      store.meta.transaction(() => {
        const found = check();
        if (found.node) {
          requireRemoval(req, found.parent!, found.node);
          freed = store.meta.remove(found.node);
        }
        const parent = found.parent ?? ensureDirectory(req, req.segments.slice(0, -1), now);
        const file = createChild(req, parent, req.segments[req.segments.length - 1]!, "file", {
          now,
          length,
          lease,
          ...(permission ? { permission } : {}),
        });
        if (blob && length > 0) store.meta.putExtent(file.id, { seq: 0, blob, length });
      });
    } catch (err) {
      if (blob) await store.blobs.remove([blob]);
      throw err;
    }
    await store.meta.flush(); // durable before the answer, and before freed blobs go
    if (blob && length === 0) await store.blobs.remove([blob]);
    await store.blobs.remove(freed);
    sendEmpty(req.ctx.res, 201, { Location: req.ctx.url.href });
  },
};

/** APPEND (§4.5): at `offset` (must equal the length) or at the end; durable before the 200. */
export const append: Operation = {
  method: "POST",
  async run(req) {
    const offset = req.params.integer("offset");
    const syncFlag = syncFlagParam(req, "CLOSE");
    const node = lookup(req, req.segments).node;
    if (!node) throw remoteErrors.notFound(req.path);
    await appendTo(req, node, { offset, syncFlag, lease: req.params.get("leaseid") });
    sendEmpty(req.ctx.res, 200);
  },
};

/** CONCURRENTAPPEND (§4.6): the server picks the offset (the end); `appendMode=autocreate` creates the file. */
export const concurrentAppend: Operation = {
  method: "POST",
  async run(req) {
    const syncFlag = syncFlagParam(req, "DATA");
    let node = lookup(req, req.segments).node;
    if (!node && req.params.get("appendMode")?.toLowerCase() === "autocreate" && req.segments.length > 0) {
      node = await req.store.meta.commit(() => {
        const now = Date.now();
        const again = lookup(req, req.segments).node;
        if (again) return again;
        const parent = ensureDirectory(req, req.segments.slice(0, -1), now);
        return createChild(req, parent, req.segments[req.segments.length - 1]!, "file", { now });
      });
    }
    if (!node) throw remoteErrors.notFound(req.path);
    await appendTo(req, node, { offset: undefined, syncFlag, lease: undefined });
    sendEmpty(req.ctx.res, 200);
  },
};

/**
 * Appends the request body to a file under its write lock: checks lease and offset, writes into the file's
 * last blob (or a new one) past its recorded length, syncs, then records the new length in one transaction.
 */
async function appendTo(
  req: FsRequest,
  target: FsNode,
  options: { offset: number | undefined; syncFlag: "DATA" | "METADATA" | "CLOSE"; lease: string | undefined },
): Promise<void> {
  if (target.kind !== "file")
    throw remoteErrors.illegalArgument(req.op, `${req.path} is a directory, not a file`);
  requireAccess(req, target, WRITE);
  const { store } = req;
  const release = await store.locks.acquire(target.id);
  try {
    const node = store.meta.byId(target.id);
    if (!node) throw remoteErrors.notFound(req.path);
    const now = Date.now();
    if (options.lease && node.lease && node.lease !== options.lease && now - node.leaseTime < LEASE_MS) {
      throw remoteErrors.leaseConflict(req.op);
    }
    if (options.offset !== undefined && options.offset !== node.length) throw remoteErrors.badOffset(req.op);

    const last = store.meta.lastExtent(node.id);
    let written = 0;
    let newBlob: string | undefined;
    if (hasBody(req.ctx.req)) {
      const blob = last?.blob ?? store.blobs.newId();
      if (!last) newBlob = blob;
      try {
        written = await store.blobs.write(blob, req.ctx.req, last?.length ?? 0, {
          create: !last,
          limit: MAX_WRITE_BYTES,
          keepOpen: options.syncFlag !== "CLOSE", // more APPENDs will follow
        });
      } catch (err) {
        if (newBlob) await store.blobs.remove([newBlob]);
        throw err;
      }
    }
    const done = Date.now();
    try {
      store.meta.transaction(() => {
        // A DELETE, rename-over or CREATE overwrite does not take the write lock: make sure the file is still ours.
        const current = store.meta.byId(node.id);
        if (!current || current.length !== node.length) throw remoteErrors.notFound(req.path);
        if (written > 0) {
          const blob = last?.blob ?? newBlob!;
          store.meta.putExtent(node.id, { seq: last?.seq ?? 0, blob, length: (last?.length ?? 0) + written });
        }
        const lease = options.syncFlag === "CLOSE" ? null : (options.lease ?? node.lease);
        store.meta.setLength(
          node.id,
          node.length + written,
          written > 0 ? done : node.modified,
          lease,
          lease ? done : 0,
        );
      });
    } catch (err) {
      if (newBlob) await store.blobs.remove([newBlob]);
      throw err;
    }
    await store.meta.flush();
    if (newBlob && written === 0) await store.blobs.remove([newBlob]);
  } finally {
    release();
  }
}
