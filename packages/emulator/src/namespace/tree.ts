import { allows, EXECUTE, newItemAcl, WRITE } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";
import type { NamespaceCaller, Permission } from "./caller.js";

/** Where a path lookup ended. `node` is the item when it exists; `parent` is its directory when that exists. */
export interface Lookup {
  node?: FsNode;
  parent?: FsNode;
}

/**
 * Walks `segments` from the caller's top directory, checking traverse (`--x`) permission on every directory passed through.
 * A path through a file, or below a missing directory, finds nothing.
 */
export function lookup(req: NamespaceCaller, segments: readonly string[]): Lookup {
  let current = req.top();
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
export function lookupAll(req: NamespaceCaller, paths: ReadonlyArray<readonly string[]>): Lookup[] {
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

export function requireAccess(req: NamespaceCaller, node: FsNode, bits: number): void {
  if (!allows(node.acl, node.owner, node.group, req.principal, bits)) throw req.denied();
}

export function requireOwner(req: NamespaceCaller, node: FsNode): void {
  if (!req.principal.superUser && req.principal.objectId !== node.owner) throw req.denied();
}

/** Creates a child item owned by the caller, in the parent's group, inheriting the parent's default ACL. */
export function createChild(
  req: NamespaceCaller,
  parent: FsNode,
  name: string,
  kind: FsNode["kind"],
  options: {
    permission?: Permission;
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
    acl: newItemAcl(parent.acl.defaults, kind, options.permission ?? req.defaultMode?.(parent, kind)),
    length: options.length ?? 0,
    lease: options.lease ?? null,
    leaseTime: options.lease ? options.now : 0,
  });
  req.store.meta.touch(parent.id, options.now);
  return node;
}

/**
 * `mkdir -p`: returns the directory at `segments`, creating what is missing (the last one with `permission`).
 * An existing file on the way is the caller's `fileInTheWay` error. Call inside a transaction.
 */
export function ensureDirectory(
  req: NamespaceCaller,
  segments: readonly string[],
  now: number,
  permission?: Permission,
): FsNode {
  let current = req.top();
  for (const [i, name] of segments.entries()) {
    requireAccess(req, current, EXECUTE);
    let child = req.store.meta.child(current.id, name);
    if (!child) {
      child = createChild(req, current, name, "directory", {
        now,
        ...(i === segments.length - 1 && permission ? { permission } : {}),
      });
    } else if (child.kind === "file") {
      throw req.fileInTheWay(`/${segments.slice(0, i + 1).join("/")}`);
    }
    current = child;
  }
  return current;
}

/** True when `ancestor` is `node` or one of its ancestors. */
export function isSameOrAncestor(req: NamespaceCaller, ancestor: FsNode, node: FsNode): boolean {
  let current: FsNode | undefined = node;
  while (current) {
    if (current.id === ancestor.id) return true;
    current = current.parent === null ? undefined : req.store.meta.byId(current.parent);
  }
  return false;
}
