import { sendJson } from "../../http/respond.js";
import { checkBelowInSlices, requireRemoval, requireUnlink } from "../../namespace/removal.js";
import { isSameOrAncestor, lookup, requireAccess } from "../../namespace/tree.js";
import { EXECUTE, WRITE } from "../../store/acl.js";
import type { FsNode } from "../../store/metadata-store.js";
import type { FsRequest, Operation } from "../fs-request.js";
import { normaliseDecodedPath } from "../parse-request.js";
import { remoteErrors } from "../remote-exception.js";
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

  requireUnlink(req, source.parent, src);
  requireAccess(req, targetParent, WRITE | EXECUTE);
  const now = Date.now();
  let freed: string[] = [];
  if (replaced) {
    requireRemoval(req, targetParent, replaced);
    freed = req.store.meta.remove(replaced);
  }
  req.store.meta.move(src.id, targetParent.id, targetName);
  req.store.meta.touch(source.parent.id, now);
  req.store.meta.touch(targetParent.id, now);
  return { moved: true, freed };
}

/**
 * DELETE (§4.9): missing is `false`; a non-empty directory needs `recursive=true`; the root is refused. What a
 * recursive delete must check below the directory is walked first, in time slices (see removal.ts); the delete
 * itself moves the tree out of the namespace in one row update, and the trash is then reclaimed in batches.
 */
export const deletePath: Operation = {
  method: "DELETE",
  async run(req) {
    const recursive = req.params.boolean("recursive", false);
    const first = req.segments.length > 0 ? lookup(req, req.segments).node : undefined;
    const checked = recursive && first ? await checkBelowInSlices(req, first) : undefined;
    let freed: string[] = [];
    try {
      const deleted = await req.store.meta.commit(() => {
        const found = lookup(req, req.segments);
        if (!found.node) return false;
        if (!found.parent) throw remoteErrors.accessDenied(req.op); // the root cannot be deleted
        if (found.node.kind === "directory" && !recursive && req.store.meta.hasChildren(found.node.id)) {
          throw remoteErrors.notEmpty(req.op, req.path);
        }
        requireRemoval(req, found.parent, found.node, checked);
        freed = req.store.meta.remove(found.node);
        req.store.meta.touch(found.parent.id, Date.now());
        return true;
      });
      await req.store.blobs.remove(freed);
      // A tree went to the trash: answer once it is reclaimed (other requests run meanwhile), so that, as
      // before, the space is free when DELETE answers.
      await req.store.reaper.idle();
      sendJson(req.ctx.res, 200, { boolean: deleted });
    } finally {
      checked?.release();
    }
  },
};
