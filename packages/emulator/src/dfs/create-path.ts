import { sendEmpty } from "../http/respond.js";
import type { Permission } from "../namespace/caller.js";
import { requireOwnershipChange } from "../namespace/ownership.js";
import { requireRemoval } from "../namespace/removal.js";
import { createChild, ensureDirectory, lookup } from "../namespace/tree.js";
import { AclSpecError, checkAclSize, parseAclSpec, setAcl } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";
import type { ContentHeaders, LeaseRecord } from "../store/path-state.js";
import { checkConditions } from "./conditions.js";
import { storageErrors } from "./errors.js";
import { requireLease } from "./lease.js";
import { header, parseProperties, parseSymbolicOrOctal, parseUmask } from "./params.js";
import { httpDate } from "./render.js";
import { requireFilesystem, type StorageRequest } from "./request.js";

/**
 * Path Create (`PUT ?resource=file|directory`, reference §2.4): missing parents are made (`mkdir -p`), a file
 * replaces a file (its old bytes freed once the change is durable), a directory over a directory keeps its
 * entries, `If-None-Match: *` turns an existing path into 409 PathAlreadyExists. Modes: `x-ms-permissions`
 * (default 0777 directories, 0666 files) less `x-ms-umask` (default 0027) when the parent has no default ACL;
 * with one, the default ACL is inherited and the umask ignored (POSIX).
 */

/** The mode of a new item below `parent`: the requested one (or the default), masked when nothing is inherited. */
export function modeFor(
  parent: FsNode,
  kind: FsNode["kind"],
  requested: Permission | undefined,
  umask: number,
): Permission {
  const mode = requested ?? { sticky: false, bits: kind === "directory" ? 0o777 : 0o666 };
  return parent.acl.defaults ? mode : { sticky: mode.sticky, bits: mode.bits & ~umask };
}

const CONTENT_HEADERS: ReadonlyArray<[keyof ContentHeaders, string]> = [
  ["contentType", "content-type"],
  ["contentEncoding", "content-encoding"],
  ["contentLanguage", "content-language"],
  ["contentDisposition", "content-disposition"],
  ["cacheControl", "cache-control"],
];

/**
 * Content headers as a request sets them: DFS create and flush as `x-ms-content-*` and `x-ms-cache-control`
 * (`prefix` "x-ms-"), Blob Set HTTP Headers as `x-ms-blob-*` (`prefix` "x-ms-blob-", with the MD5 as well).
 */
export function contentHeadersOf(
  req: StorageRequest,
  prefix: "x-ms-" | "x-ms-blob-" = "x-ms-",
): ContentHeaders {
  const h: ContentHeaders = {};
  const names: Array<[keyof ContentHeaders, string]> = [...CONTENT_HEADERS];
  if (prefix === "x-ms-blob-") names.push(["contentMd5", "content-md5"]);
  for (const [key, name] of names) {
    const value = header(req.headers, `${prefix}${name}`);
    if (value !== undefined && value !== "") h[key] = value;
  }
  return h;
}

export async function createPath(req: StorageRequest): Promise<void> {
  const resource = req.query.get("resource");
  if (resource !== "file" && resource !== "directory")
    throw storageErrors.invalidQuery("resource", resource ?? "", "resource must be file or directory.");
  const kind: FsNode["kind"] = resource;
  if (req.segments.length === 0) throw storageErrors.rootNotAllowed("created");
  const permissionsHeader = header(req.headers, "x-ms-permissions");
  const requested = permissionsHeader
    ? parseSymbolicOrOctal("x-ms-permissions", permissionsHeader)
    : undefined;
  const umask = parseUmask(header(req.headers, "x-ms-umask"));
  const metadata = parseProperties(header(req.headers, "x-ms-properties"));
  const aclHeader = header(req.headers, "x-ms-acl");
  const owner = header(req.headers, "x-ms-owner") || undefined;
  const group = header(req.headers, "x-ms-group") || undefined;
  const contentHeaders = kind === "file" ? contentHeadersOf(req) : {};
  const onlyIfAbsent = header(req.headers, "if-none-match")?.trim() === "*";
  const caller: StorageRequest = {
    ...req,
    defaultMode: (parent, childKind) => modeFor(parent, childKind, undefined, umask),
  };
  const name = req.segments[req.segments.length - 1]!;

  let freed: string[] = [];
  let keptLease: LeaseRecord | undefined;
  const node = await req.store.meta.commit(() => {
    const found = lookup(caller, req.segments);
    const now = Date.now();
    if (found.node) {
      const existing = found.node;
      if (onlyIfAbsent) throw storageErrors.pathExists(existing.kind);
      checkConditions(req, existing, req.state.props(existing).etag);
      if (existing.kind !== kind) throw storageErrors.pathConflict();
      requireLease(req, existing);
      // Overwritten with the lease's id: the new file keeps the lease.
      keptLease = req.state.lease(existing.id);
      if (kind === "directory") {
        req.state.setProps(existing.id, { headers: {}, metadata });
        return existing;
      }
      requireRemoval(caller, found.parent!, existing);
      freed = req.store.meta.remove(existing);
    } else {
      checkConditions(req, undefined, undefined);
    }
    // A new file is an empty Put Blob: the path's uncommitted blocks (Blob Put Block) go, as Put Blob's do.
    if (kind === "file") freed.push(...req.state.takeUncommitted(requireFilesystem(req).id, req.path));
    const parent = found.parent ?? ensureDirectory(caller, req.segments.slice(0, -1), now);
    const created = createChild(caller, parent, name, kind, {
      now,
      permission: modeFor(parent, kind, requested, umask),
    });
    applyAccessHeaders(caller, created, { acl: aclHeader, owner, group });
    req.state.setProps(created.id, { headers: contentHeaders, metadata });
    if (keptLease) req.state.setLease(created.id, keptLease);
    return req.store.meta.byId(created.id)!;
  });
  await req.store.blobs.remove(freed);
  sendEmpty(req.ctx.res, 201, {
    ETag: `"${req.state.props(node).etag}"`,
    "Last-Modified": httpDate(node.modified),
    "x-ms-request-server-encrypted": "true",
  });
}

/** `x-ms-acl`, `x-ms-owner`, `x-ms-group` given at creation: the same rules as setAccessControl. */
function applyAccessHeaders(
  req: StorageRequest,
  node: FsNode,
  given: { acl: string | undefined; owner: string | undefined; group: string | undefined },
): void {
  if (given.acl) {
    try {
      req.store.meta.setAcl(
        node.id,
        checkAclSize(setAcl(node.acl, parseAclSpec(given.acl, { withPermissions: true }), node.kind)),
      );
    } catch (err) {
      if (err instanceof AclSpecError) throw storageErrors.invalidInput(err.message);
      throw err;
    }
  }
  if (given.owner || given.group) {
    requireOwnershipChange(req, node, { owner: given.owner, group: given.group });
    req.store.meta.setOwner(node.id, given.owner ?? node.owner, given.group ?? node.group);
  }
}
