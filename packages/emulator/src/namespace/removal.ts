import { EXECUTE, READ, WRITE } from "../store/acl.js";
import type { ChangeWatch, FsNode } from "../store/metadata-store.js";
import type { NamespaceCaller } from "./caller.js";
import { requireAccess } from "./tree.js";
import { walkInSlices, walkNow } from "./walk-tree.js";

/**
 * The one rule for taking an entry out of its directory, applied by DELETE and by everything else that deletes
 * or replaces an entry: CREATE overwrite, RENAME onto an existing file, MSCONCAT/CONCAT consuming their sources,
 * MSCONCAT's deleteSourceDirectory, SETEXPIRY (a removal at a later time, which the purge then carries out). As
 * in HDFS (FSDirDeleteOp and FSPermissionChecker, whose model WebHDFS and ADLS follow):
 *   - write+execute on the parent directory;
 *   - in a sticky directory, only the entry's owner, the directory's owner or a super-user;
 *   - for a directory with entries, rwx on it and on every non-empty directory below: nobody deletes what they
 *     could not list and empty themselves (empty directories do not count).
 * Super-users pass every check.
 */
export function requireRemoval(
  req: NamespaceCaller,
  parent: FsNode,
  node: FsNode,
  checked?: SubtreeCheck,
): void {
  requireUnlink(req, parent, node);
  if (node.kind !== "directory" || req.principal.superUser) return;
  if (checked && checked.rootId === node.id && checked.stillValid()) return;
  walkNow(req.store.meta, node, removableBelow(req));
}

/**
 * The part of the rule about the parent (write+execute, sticky bit): all that moving an entry away by RENAME
 * needs, since its subtree moves with it.
 */
export function requireUnlink(req: NamespaceCaller, parent: FsNode, child: FsNode): void {
  requireAccess(req, parent, WRITE | EXECUTE);
  if (!parent.acl.sticky || req.principal.superUser) return;
  const me = req.principal.objectId;
  if (me !== child.owner && me !== parent.owner) throw req.denied();
}

/** A walk of what removing a directory needs below it, done before the transaction that removes it. */
export interface SubtreeCheck {
  readonly rootId: number;
  /** True while none of the directories walked has changed since (else the transaction walks again). */
  stillValid(): boolean;
  release(): void;
}

/**
 * Checks, in time slices and outside any transaction, what removing `dir` needs below it, so a large tree does
 * not hold the event loop; refuses with 403 at once. Pass the result to `requireRemoval` inside the transaction,
 * which trusts it only if nothing walked has changed meanwhile, and `release()` it afterwards. Undefined when
 * there is nothing to walk (a file, or a super-user).
 */
export async function checkBelowInSlices(
  req: NamespaceCaller,
  dir: FsNode,
): Promise<SubtreeCheck | undefined> {
  if (dir.kind !== "directory" || req.principal.superUser) return undefined;
  const watch: ChangeWatch = req.store.meta.watchChanges();
  const walked = new Set<number>();
  const check = removableBelow(req);
  try {
    await walkInSlices(req.store.meta, dir, {
      directory(d) {
        walked.add(d.id);
        check.directory(d);
      },
    });
  } catch (err) {
    watch.stop();
    throw err;
  }
  return {
    rootId: dir.id,
    stillValid: () => ![...watch.touched].some((id) => walked.has(id)),
    release: () => watch.stop(),
  };
}

function removableBelow(req: NamespaceCaller) {
  return {
    directory(dir: FsNode): void {
      if (req.store.meta.hasChildren(dir.id)) requireAccess(req, dir, READ | WRITE | EXECUTE);
    },
  };
}
