import { sendEmpty } from "../http/respond.js";
import { checkBelowInSlices, requireRemoval } from "../namespace/removal.js";
import { lookup } from "../namespace/tree.js";
import { checkConditions } from "./conditions.js";
import { storageErrors } from "./errors.js";
import { requireLease } from "./lease.js";
import { requireFilesystem, type StorageRequest } from "./request.js";

/**
 * Path Delete (`DELETE /{fs}/{path}[?recursive=true]`, reference §2.11; Blob delete of a path too). The removal
 * rules are Gen1's (namespace/removal.ts): write+execute on the parent, the sticky bit, and for a tree rwx on
 * every non-empty directory in it, walked in time slices before the one transaction that takes the tree out of
 * the namespace. So the delete is complete in one call: no `x-ms-continuation` is ever needed, also when the
 * client asks for a paginated delete. DFS answers 200, Blob 202.
 */
export async function deletePath(req: StorageRequest): Promise<void> {
  if (req.segments.length === 0) throw storageErrors.rootNotAllowed("deleted");
  const recursive = req.query.boolean("recursive", false);
  const first = lookup(req, req.segments).node;
  if (!first) throw storageErrors.pathNotFound();
  const checked = recursive ? await checkBelowInSlices(req, first) : undefined;
  try {
    const freed = await req.store.meta.commit(() => {
      const found = lookup(req, req.segments);
      if (!found.node || !found.parent) throw storageErrors.pathNotFound();
      checkConditions(req, found.node, req.state.props(found.node).etag);
      requireLease(req, found.node);
      if (found.node.kind === "directory" && !recursive && req.store.meta.hasChildren(found.node.id))
        throw storageErrors.directoryNotEmpty();
      requireRemoval(req, found.parent, found.node, checked);
      const blobs = req.store.meta.remove(found.node);
      // Uncommitted blocks (Blob Put Block) of the path, and for a tree of every path below it, go with it.
      blobs.push(...req.state.takeUncommittedBelow(requireFilesystem(req).id, req.path));
      req.store.meta.touch(found.parent.id, Date.now());
      return blobs;
    });
    await req.store.blobs.remove(freed);
  } finally {
    checked?.release();
  }
  sendEmpty(req.ctx.res, req.api === "blob" ? 202 : 200);
}
