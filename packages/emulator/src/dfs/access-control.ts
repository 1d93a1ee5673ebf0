import { sendEmpty, sendJson } from "../http/respond.js";
import { continuationFor, parseContinuation, walkAfter } from "../namespace/ordered-walk.js";
import { requireOwnershipChange } from "../namespace/ownership.js";
import { lookup, requireOwner } from "../namespace/tree.js";
import {
  AclSpecError,
  type AclState,
  checkAclSize,
  modifyAcl,
  parseAclSpec,
  removeAclEntries,
  type SpecEntry,
  setAcl,
  withPermission,
} from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";
import { checkConditions } from "./conditions.js";
import { StorageError, storageErrors } from "./errors.js";
import { requireLease } from "./lease.js";
import { header, parseSymbolicOrOctal } from "./params.js";
import { httpDate } from "./render.js";
import type { StorageRequest } from "./request.js";

/**
 * setAccessControl and setAccessControlRecursive (reference §2.6, §5): the ACL functions and the owner rules are
 * the Gen1 ones (store/acl.ts, namespace/ownership.ts); only the owner or a super-user changes permissions or an
 * ACL, only a super-user the owner.
 */

function target(req: StorageRequest): FsNode {
  const node = req.segments.length === 0 ? req.top() : lookup(req, req.segments).node;
  if (!node) throw storageErrors.pathNotFound();
  return node;
}

function aclChange<T>(change: () => T): T {
  try {
    return change();
  } catch (err) {
    if (err instanceof AclSpecError) throw storageErrors.invalidInput(err.message);
    throw err;
  }
}

export async function setAccessControl(req: StorageRequest): Promise<void> {
  const permissions = header(req.headers, "x-ms-permissions");
  const aclHeader = header(req.headers, "x-ms-acl");
  const owner = header(req.headers, "x-ms-owner") || undefined;
  const group = header(req.headers, "x-ms-group") || undefined;
  if (permissions !== undefined && aclHeader !== undefined)
    throw storageErrors.invalidInput("x-ms-permissions and x-ms-acl cannot be sent together.");
  if (permissions === undefined && aclHeader === undefined && !owner && !group)
    throw storageErrors.missingHeader("x-ms-acl, x-ms-permissions, x-ms-owner or x-ms-group");
  const permission =
    permissions === undefined ? undefined : parseSymbolicOrOctal("x-ms-permissions", permissions);
  const spec =
    aclHeader === undefined ? undefined : aclChange(() => parseAclSpec(aclHeader, { withPermissions: true }));
  const node = await req.store.meta.commit(() => {
    const item = target(req);
    checkConditions(req, item, req.state.props(item).etag);
    requireLease(req, item);
    if (permission || spec) requireOwner(req, item);
    if (owner || group) requireOwnershipChange(req, item, { owner, group });
    let acl = item.acl;
    if (permission) acl = withPermission(acl, permission);
    if (spec) acl = aclChange(() => checkAclSize(setAcl(acl, spec, item.kind)));
    if (acl !== item.acl) req.store.meta.setAcl(item.id, acl);
    if (owner || group) req.store.meta.setOwner(item.id, owner ?? item.owner, group ?? item.group);
    req.state.touch(item);
    return req.store.meta.byId(item.id)!;
  });
  sendEmpty(req.ctx.res, 200, {
    ETag: `"${req.state.props(node).etag}"`,
    "Last-Modified": httpDate(node.modified),
    "x-ms-namespace-enabled": "true",
  });
}

type Mode = "set" | "modify" | "remove";

/** The most items one setAccessControlRecursive request changes: the default, and the cap of a larger maxRecords. */
const MAX_RECORDS = 2000;

/** The new ACL of one item; default entries only apply to directories (files skip them). */
function changed(mode: Mode, node: FsNode, spec: SpecEntry[]): AclState {
  const own = node.kind === "file" ? spec.filter((entry) => entry.scope === "access") : spec;
  if (mode === "set") return checkAclSize(setAcl(node.acl, own, node.kind));
  if (mode === "modify")
    return own.length === 0 ? node.acl : checkAclSize(modifyAcl(node.acl, own, node.kind));
  return own.length === 0 ? node.acl : removeAclEntries(node.acl, own);
}

/**
 * Applies an ACL change to an item and everything below it, at most `maxRecords` items per call, in pre-order;
 * `x-ms-continuation` resumes after the last one. Items the caller may not change are counted as failures (the
 * request itself succeeds); without `forceFlag` the call stops at the first one.
 */
export async function setAccessControlRecursive(req: StorageRequest): Promise<void> {
  const mode = req.query.get("mode");
  if (mode !== "set" && mode !== "modify" && mode !== "remove")
    throw storageErrors.invalidQuery("mode", mode ?? "", "mode must be set, modify or remove.");
  const aclHeader = header(req.headers, "x-ms-acl");
  if (aclHeader === undefined) throw storageErrors.missingHeader("x-ms-acl");
  const spec = aclChange(() => parseAclSpec(aclHeader, { withPermissions: mode !== "remove" }));
  const limit = Math.min(req.query.integer("maxRecords") ?? MAX_RECORDS, MAX_RECORDS);
  const force = req.query.boolean("forceFlag", false);
  const token = req.query.get("continuation");
  const after = token ? parseContinuation(token) : undefined;
  if (token && !after)
    throw storageErrors.invalidQuery("continuation", token, "The continuation token is not valid.");
  const base = req.segments.join("/");
  const result = {
    directoriesSuccessful: 0,
    filesSuccessful: 0,
    failureCount: 0,
    failedEntries: [] as object[],
  };
  let next: string | undefined;
  await req.store.meta.commit(() => {
    const start = target(req);
    const items = after
      ? walkAfter(req.store.meta, start, { after, recursive: true })
      : (function* () {
          yield { node: start, relative: [] as string[] };
          yield* walkAfter(req.store.meta, start, { recursive: true });
        })();
    let count = 0;
    let lastRelative: string[] = [];
    for (const item of items) {
      if (count === limit) {
        next = continuationFor(lastRelative);
        break;
      }
      count++;
      lastRelative = item.relative;
      const name = [base, ...item.relative].filter(Boolean).join("/");
      try {
        if (!req.principal.superUser && req.principal.objectId !== item.node.owner)
          throw storageErrors.permissionMismatch();
        const acl = aclChange(() => changed(mode, item.node, spec));
        if (acl !== item.node.acl) req.store.meta.setAcl(item.node.id, acl);
        if (item.node.kind === "directory") result.directoriesSuccessful++;
        else result.filesSuccessful++;
      } catch (err) {
        if (!(err instanceof StorageError)) throw err;
        result.failureCount++;
        result.failedEntries.push({
          errorMessage: err.message,
          name,
          type: item.node.kind === "directory" ? "DIRECTORY" : "FILE",
        });
        if (!force) break;
      }
    }
  });
  sendJson(req.ctx.res, 200, result, next ? { "x-ms-continuation": next } : {});
}
