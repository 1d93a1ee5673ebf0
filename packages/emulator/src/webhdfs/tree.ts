import { allows, EXECUTE, newItemAcl, WRITE } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";
import type { FsRequest } from "./fs-request.js";
import { pathString } from "./parse-request.js";
import { remoteErrors } from "./remote-exception.js";

/** Where a path lookup ended. `node` is the item when it exists; `parent` is its directory when that exists. */
export interface Lookup {
  node?: FsNode;
  parent?: FsNode;
}

/**
 * Walks `segments` from the root, checking traverse (`--x`) permission on every directory passed through.
 * A path through a file, or below a missing directory, finds nothing.
 */
export function lookup(req: FsRequest, segments: readonly string[]): Lookup {
  let current = req.store.meta.root();
  for (const [i, name] of segments.entries()) {
    if (current.kind !== "directory") return {};
    requireAccess(req, current, EXECUTE);
    const child = req.store.meta.child(current.id, name);
    if (!child) return i === segments.length - 1 ? { parent: current } : {};
    if (i === segments.length - 1) return { node: child, parent: current };
    current = child;
  }
  return { node: current };
}

/**
 * `lookup` of many paths, each distinct parent directory resolved once: the same checks and answers, at one
 * query per path for paths that share their directory (the sources of an MSCONCAT).
 */
export function lookupAll(req: FsRequest, paths: ReadonlyArray<readonly string[]>): Lookup[] {
  const parents = new Map<string, FsNode | undefined>();
  return paths.map((segments) => {
    if (segments.length === 0) return lookup(req, segments);
    const key = segments.slice(0, -1).join("/");
    if (!parents.has(key)) parents.set(key, lookup(req, segments.slice(0, -1)).node);
    const parent = parents.get(key);
    if (parent?.kind !== "directory") return {};
    requireAccess(req, parent, EXECUTE);
    const node = req.store.meta.child(parent.id, segments[segments.length - 1]!);
    return node ? { node, parent } : { parent };
  });
}

/** The item at `segments`, or 404 FileNotFoundException. */
export function existing(req: FsRequest, segments: readonly string[] = req.segments): FsNode {
  const found = lookup(req, segments).node;
  if (!found) throw remoteErrors.notFound(pathString(segments));
  return found;
}

export function requireAccess(req: FsRequest, node: FsNode, bits: number): void {
  if (!allows(node.acl, node.owner, node.group, req.principal, bits)) throw remoteErrors.accessDenied(req.op);
}

export function requireOwner(req: FsRequest, node: FsNode): void {
  if (!req.principal.superUser && req.principal.objectId !== node.owner)
    throw remoteErrors.accessDenied(req.op);
}

/** Creates a child item owned by the caller, in the parent's group, inheriting the parent's default ACL. */
export function createChild(
  req: FsRequest,
  parent: FsNode,
  name: string,
  kind: FsNode["kind"],
  options: {
    permission?: { sticky: boolean; bits: number };
    length?: number;
    lease?: string | null;
    now: number;
  },
): FsNode {
  requireAccess(req, parent, WRITE | EXECUTE);
  const node = req.store.meta.insert({
    parent: parent.id,
    name,
    kind,
    created: options.now,
    modified: options.now,
    owner: req.principal.objectId,
    group: parent.group,
    acl: newItemAcl(parent.acl.defaults, kind, options.permission),
    length: options.length ?? 0,
    lease: options.lease ?? null,
    leaseTime: options.lease ? options.now : 0,
  });
  req.store.meta.touch(parent.id, options.now);
  return node;
}

/**
 * `mkdir -p`: returns the directory at `segments`, creating what is missing (the last one with `permission`).
 * An existing file on the way is 403 FileAlreadyExistsException. Call inside a transaction.
 */
export function ensureDirectory(
  req: FsRequest,
  segments: readonly string[],
  now: number,
  permission?: { sticky: boolean; bits: number },
): FsNode {
  let current = req.store.meta.root();
  for (const [i, name] of segments.entries()) {
    requireAccess(req, current, EXECUTE);
    let child = req.store.meta.child(current.id, name);
    if (!child) {
      child = createChild(req, current, name, "directory", {
        now,
        ...(i === segments.length - 1 && permission ? { permission } : {}),
      });
    } else if (child.kind === "file") {
      throw remoteErrors.alreadyExists(req.op, pathString(segments.slice(0, i + 1)));
    }
    current = child;
  }
  return current;
}

/** True when `ancestor` is `node` or one of its ancestors. */
export function isSameOrAncestor(req: FsRequest, ancestor: FsNode, node: FsNode): boolean {
  let current: FsNode | undefined = node;
  while (current) {
    if (current.id === ancestor.id) return true;
    current = current.parent === null ? undefined : req.store.meta.byId(current.parent);
  }
  return false;
}
