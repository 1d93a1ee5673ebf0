import { sendEmpty } from "../http/respond.js";
import { requireRemoval, requireUnlink } from "../namespace/removal.js";
import { isSameOrAncestor, lookup, requireAccess } from "../namespace/tree.js";
import { authenticateRenameSource, type StorageTarget as SignedTarget } from "../storage-auth/index.js";
import { EXECUTE, WRITE } from "../store/acl.js";
import { checkConditions } from "./conditions.js";
import { authError, requireDelegatorRole, signedRequest } from "./credentials.js";
import { storageErrors } from "./errors.js";
import { requireLease } from "./lease.js";
import { header, parseProperties } from "./params.js";
import { parseStoragePath } from "./paths.js";
import { httpDate } from "./render.js";
import { filesystemNode, requireFilesystem, type StorageRequest } from "./request.js";

/**
 * Rename (`PUT /{fs}/{destination}` with `x-ms-rename-source`, reference §2.5): one row update whatever the
 * size of the tree, so a directory moves atomically. The destination's parent must exist (no `mkdir -p`); a file
 * replaces a file, an empty directory an empty directory; the rules of who may unlink and replace are Gen1's
 * (namespace/removal.ts). The source may name another filesystem of the same account.
 */
export async function renamePath(req: StorageRequest, pathStyle: boolean): Promise<void> {
  const rawSource = header(req.headers, "x-ms-rename-source")!;
  let sourcePath = rawSource.split("?")[0]!;
  // Path-style clients (JS) send `/{account}/{fs}/{path}`: their own URL's path.
  const prefix = `/${req.account.name}/`;
  const sourceHasAccount = pathStyle && sourcePath.toLowerCase().startsWith(prefix);
  if (sourceHasAccount) sourcePath = sourcePath.slice(prefix.length - 1);
  const source = parseStoragePath(sourcePath);
  if (source.filesystem === "")
    // The path only: a SAS after it is a credential, never echoed.
    throw storageErrors.invalidHeader("x-ms-rename-source", sourcePath, "The source names no filesystem.");
  if (source.segments.length === 0 || req.segments.length === 0)
    throw storageErrors.rootNotAllowed("renamed");
  authorizeRename(req, rawSource, sourceHasAccount, {
    filesystem: source.filesystem,
    path: source.segments.join("/"),
  });
  const newProps = header(req.headers, "x-ms-properties");
  const properties = newProps === undefined ? undefined : parseProperties(newProps);
  const onlyIfAbsent = header(req.headers, "if-none-match")?.trim() === "*";

  let freed: string[] = [];
  const moved = await req.store.meta.commit(() => {
    const destFs = requireFilesystem(req);
    const sourceFs = filesystemNode(req, source.filesystem);
    if (!sourceFs) throw storageErrors.sourcePathNotFound();
    const src = lookup({ ...req, top: () => sourceFs }, source.segments);
    if (!src.node || !src.parent) throw storageErrors.sourcePathNotFound();
    checkConditions(req, src.node, req.state.props(src.node).etag, { prefix: "x-ms-source-" });
    requireLease(req, src.node, "x-ms-source-lease-id");
    const dest = lookup({ ...req, top: () => destFs }, req.segments);
    if (!dest.parent) throw storageErrors.renameParentNotFound();
    if (src.node.kind === "directory" && isSameOrAncestor(req, src.node, dest.parent))
      throw storageErrors.invalidRenameSource();
    if (dest.node?.id === src.node.id) throw storageErrors.invalidRenameSource();
    if (dest.node) {
      if (onlyIfAbsent) throw storageErrors.pathExists(dest.node.kind);
      checkConditions(req, dest.node, req.state.props(dest.node).etag);
      requireLease(req, dest.node);
      if (dest.node.kind !== src.node.kind) throw storageErrors.renameTypeMismatch();
      if (dest.node.kind === "directory" && req.store.meta.hasChildren(dest.node.id))
        throw storageErrors.directoryNotEmpty();
    } else {
      checkConditions(req, undefined, undefined);
    }
    requireUnlink(req, src.parent, src.node);
    requireAccess(req, dest.parent, WRITE | EXECUTE);
    if (dest.node) {
      requireRemoval(req, dest.parent, dest.node);
      freed = req.store.meta.remove(dest.node);
    }
    // Uncommitted blocks (Blob Put Block) follow their paths, as a file's unflushed appends do (they are the
    // file's); the destination's own are dropped with it, so none survive under the old names.
    freed.push(...req.state.moveUncommitted(sourceFs.id, source.segments.join("/"), destFs.id, req.path));
    const now = Date.now();
    req.store.meta.move(src.node.id, dest.parent.id, req.segments[req.segments.length - 1]!);
    req.store.meta.touch(src.parent.id, now);
    req.store.meta.touch(dest.parent.id, now);
    const node = req.store.meta.byId(src.node.id)!;
    if (properties)
      req.state.setProps(node.id, { headers: req.state.props(node).headers, metadata: properties });
    return node;
  });
  await req.store.blobs.remove(freed);
  sendEmpty(req.ctx.res, 201, {
    ETag: `"${req.state.props(moved).etag}"`,
    "Last-Modified": httpDate(moved.modified),
  });
}

/**
 * What a SAS must allow for a rename: `m` (an account SAS: `d`) on the source, and on the destination. The JS
 * and Python SDKs append the source URL's SAS to `x-ms-rename-source`; when it is there, it is verified against
 * the source and decides for it, whatever the request's own credential. Shared Key and bearer callers need no
 * more (bearer callers meet the ACL checks below).
 */
function authorizeRename(
  req: StorageRequest,
  rawSource: string,
  sourceHasAccount: boolean,
  source: SignedTarget,
): void {
  if (rawSource.includes("?")) {
    const checked = authenticateRenameSource(
      rawSource,
      signedRequest({ ctx: req.ctx, api: "dfs", accountInPath: false }),
      req.account,
      { userDelegationKeys: req.caller.userDelegationKeys, sourceHasAccount },
    );
    if (checked.kind === "error") throw authError(checked);
    if (checked.sas) {
      requireDelegatorRole(checked.sas, req.caller);
      const refusal = checked.sas.authorize("path:renameSource", checked.source);
      if (refusal) throw authError(refusal);
    } else req.authorize("path:renameSource", source);
  } else req.authorize("path:renameSource", source);
  req.authorize("path:renameDestination");
}
