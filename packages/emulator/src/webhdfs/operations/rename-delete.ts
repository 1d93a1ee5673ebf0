import { sendJson } from "../../http/respond.js";
import { EXECUTE, READ, WRITE } from "../../store/acl.js";
import type { FsNode } from "../../store/metadata-store.js";
import type { FsRequest, Operation } from "../fs-request.js";
import { normaliseDecodedPath } from "../parse-request.js";
import { remoteErrors } from "../remote-exception.js";
import { isSameOrAncestor, lookup, requireAccess, requireStickyRights } from "../tree.js";
import { requiredParam } from "./params.js";

/**
 * RENAME (§4.8): soft failures are 200 `{"boolean":false}`. A directory destination receives the source as a
 * child; an existing file is replaced only with `renameoptions=OVERWRITE`. The subtree moves in one row update.
 */
export const rename: Operation = {
  method: "PUT",
  async run(req) {
    const destination = normaliseDecodedPath(requiredParam(req, "destination"));
    const overwrite =
      req.params.get("renameoptions")?.toLowerCase() === "overwrite" ||
      req.params.boolean("overwrite", false);
    let freed: string[] = [];
    const moved = await req.store.meta.commit(() => {
      const result = renameInTree(req, destination, overwrite);
      freed = result.freed;
      return result.moved;
    });
    await req.store.blobs.remove(freed);
    sendJson(req.ctx.res, 200, { boolean: moved });
  },
};

function renameInTree(
  req: FsRequest,
  destination: string[],
  overwrite: boolean,
): { moved: boolean; freed: string[] } {
  const no = { moved: false, freed: [] };
  const source = lookup(req, req.segments);
  if (!source.node || !source.parent) return no; // missing, or the root
  const src = source.node;
  if (destination.join("/") === req.segments.join("/")) return { moved: src.kind === "file", freed: [] };

  const dest = lookup(req, destination);
  let targetParent: FsNode | undefined;
  let targetName: string;
  let replaced: FsNode | undefined;
  if (dest.node?.kind === "directory") {
    targetParent = dest.node;
    targetName = src.name;
    replaced = req.store.meta.child(dest.node.id, src.name);
    if (replaced?.id === src.id) return { moved: src.kind === "file", freed: [] };
  } else {
    targetParent = dest.parent;
    targetName = destination[destination.length - 1]!;
    replaced = dest.node;
  }
  if (!targetParent) return no; // destination parent missing, or below a file
  if (replaced && !(overwrite && replaced.kind === "file" && src.kind === "file")) return no;
  if (src.kind === "directory" && isSameOrAncestor(req, src, targetParent)) return no; // into its own subtree

  requireAccess(req, source.parent, WRITE | EXECUTE);
  requireStickyRights(req, source.parent, src);
  requireAccess(req, targetParent, WRITE | EXECUTE);
  const now = Date.now();
  let freed: string[] = [];
  if (replaced) {
    requireStickyRights(req, targetParent, replaced);
    freed = req.store.meta.deleteSubtree(replaced.id);
  }
  req.store.meta.move(src.id, targetParent.id, targetName);
  req.store.meta.touch(source.parent.id, now);
  req.store.meta.touch(targetParent.id, now);
  return { moved: true, freed };
}

/** DELETE (§4.9): missing is `false`; a non-empty directory needs `recursive=true`; the root is refused. */
export const deletePath: Operation = {
  method: "DELETE",
  async run(req) {
    const recursive = req.params.boolean("recursive", false);
    let freed: string[] = [];
    const deleted = await req.store.meta.commit(() => {
      const found = lookup(req, req.segments);
      if (!found.node) return false;
      if (!found.parent) throw remoteErrors.accessDenied(req.op); // the root cannot be deleted
      if (found.node.kind === "directory" && !recursive && req.store.meta.hasChildren(found.node.id)) {
        throw remoteErrors.notEmpty(req.op, req.path);
      }
      requireAccess(req, found.parent, WRITE | EXECUTE);
      requireStickyRights(req, found.parent, found.node);
      if (found.node.kind === "directory") requireFullAccessBelow(req, found.node);
      freed = req.store.meta.deleteSubtree(found.node.id);
      req.store.meta.touch(found.parent.id, Date.now());
      return true;
    });
    await req.store.blobs.remove(freed);
    sendJson(req.ctx.res, 200, { boolean: deleted });
  },
};

/**
 * A recursive delete also needs rwx on every directory of the subtree, as in HDFS (whose permission model
 * WebHDFS and ADLS follow): nobody deletes what they could not list and empty themselves. Super-users skip it.
 */
function requireFullAccessBelow(req: FsRequest, directory: FsNode): void {
  if (req.principal.superUser) return;
  const pending: FsNode[] = [directory];
  for (let dir = pending.pop(); dir; dir = pending.pop()) {
    if (!req.store.meta.hasChildren(dir.id)) continue;
    requireAccess(req, dir, READ | WRITE | EXECUTE);
    for (const child of req.store.meta.children(dir.id)) if (child.kind === "directory") pending.push(child);
  }
}
