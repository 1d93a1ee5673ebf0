import { sendEmpty, sendJson } from "../http/respond.js";
import type { FsNode } from "../store/metadata-store.js";
import { checkConditions } from "./conditions.js";
import { storageErrors } from "./errors.js";
import { requireFilesystemLease } from "./lease.js";
import { parseProperties, renderProperties } from "./params.js";
import { checkFilesystemName } from "./paths.js";
import { httpDate } from "./render.js";
import { filesystemNode, requireAccountRight, requireFilesystem, type StorageRequest } from "./request.js";

/**
 * Filesystems (Blob: containers): the directories right below a storage account's root. Creating, deleting and
 * changing them is an account-level right (RBAC in Azure): the account's owner (its creator) and the configured
 * super-users hold it; ACLs cannot grant it. The DFS operations are here; blob/containers.ts serves the Blob
 * forms through the same functions.
 */

/** The root directory of a new filesystem: the creator owns it, in its own group, `rwxr-x---` (reference §2.2). */
export async function createFilesystem(
  req: StorageRequest,
  metadata: Record<string, string>,
): Promise<FsNode> {
  checkFilesystemName(req.filesystem);
  requireAccountRight(req);
  const meta = req.store.meta;
  return meta.commit(() => {
    if (filesystemNode(req, req.filesystem)) throw storageErrors.filesystemExists();
    const now = Date.now();
    const node = meta.insert({
      parent: meta.root().id,
      name: req.filesystem,
      kind: "directory",
      created: now,
      modified: now,
      owner: req.principal.objectId,
      group: req.principal.objectId,
      acl: { sticky: false, access: { user: 7, group: 5, other: 0, named: [] } },
    });
    req.state.setProps(node.id, { headers: {}, metadata });
    return node;
  });
}

/** Deletes a filesystem and everything in it: gone from the namespace at once, its space reclaimed after. */
export async function deleteFilesystem(req: StorageRequest): Promise<void> {
  checkFilesystemName(req.filesystem);
  requireAccountRight(req);
  const freed = await req.store.meta.commit(() => {
    const node = requireFilesystem(req);
    checkConditions(req, node, req.state.props(node).etag);
    requireFilesystemLease(req, node, true);
    return req.store.meta.remove(node);
  });
  await req.store.blobs.remove(freed);
}

/** Replaces a filesystem's user properties (metadata); returns the node and its new ETag. */
export async function setFilesystemMetadata(
  req: StorageRequest,
  metadata: Record<string, string>,
): Promise<{ node: FsNode; etag: string }> {
  requireAccountRight(req);
  return req.store.meta.commit(() => {
    const node = requireFilesystem(req);
    const props = req.state.props(node);
    checkConditions(req, node, props.etag);
    requireFilesystemLease(req, node, false);
    const etag = req.state.setProps(node.id, { headers: props.headers, metadata });
    req.store.meta.touch(node.id, Date.now());
    return { node: req.store.meta.byId(node.id)!, etag };
  });
}

/** Filesystems of the account by name after `after`, starting with `prefix`, at most `limit`. */
export function listFilesystems(
  req: StorageRequest,
  options: { prefix: string; after: string; limit: number },
): { nodes: FsNode[]; more: boolean } {
  requireAccountRight(req);
  const meta = req.store.meta;
  const root = meta.root();
  const nodes: FsNode[] = [];
  // Names sort, so those with the prefix are one run starting at the prefix.
  let from = options.after > options.prefix ? options.after : options.prefix.slice(0, -1);
  for (;;) {
    const page = meta.childPage(root.id, from, options.limit + 1);
    for (const row of page) {
      if (!row.name.startsWith(options.prefix)) {
        if (row.name > options.prefix) return { nodes, more: false };
        continue;
      }
      if (row.kind !== "directory" || row.name <= options.after) continue;
      if (nodes.length === options.limit) return { nodes, more: true };
      nodes.push(meta.byId(row.id)!);
    }
    if (page.length < options.limit + 1) return { nodes, more: false };
    from = page[page.length - 1]!.name;
  }
}

function filesystemHeaders(req: StorageRequest, node: FsNode): Record<string, string> {
  const props = req.state.props(node);
  const headers: Record<string, string> = {
    ETag: `"${props.etag}"`,
    "Last-Modified": httpDate(node.modified),
    "x-ms-namespace-enabled": "true",
  };
  if (Object.keys(props.metadata).length > 0) headers["x-ms-properties"] = renderProperties(props.metadata);
  return headers;
}

/** `PUT|HEAD|PATCH|DELETE /{fs}?resource=filesystem` (GET is list paths, list-paths.ts). */
export async function filesystemOperation(req: StorageRequest): Promise<void> {
  const res = req.ctx.res;
  switch (req.ctx.method) {
    case "PUT": {
      const node = await createFilesystem(req, parseProperties(req.headers["x-ms-properties"] as string));
      sendEmpty(res, 201, filesystemHeaders(req, node));
      return;
    }
    case "HEAD": {
      requireAccountRight(req);
      sendEmpty(res, 200, filesystemHeaders(req, requireFilesystem(req)));
      return;
    }
    case "PATCH": {
      if (req.headers["if-match"] !== undefined || req.headers["if-none-match"] !== undefined)
        throw storageErrors.invalidHeader(
          "If-Match",
          "",
          "Set filesystem properties supports If-Modified-Since and If-Unmodified-Since only.",
        );
      const metadata = parseProperties(req.headers["x-ms-properties"] as string);
      const { node } = await setFilesystemMetadata(req, metadata);
      sendEmpty(res, 200, filesystemHeaders(req, node));
      return;
    }
    case "DELETE":
      await deleteFilesystem(req);
      sendEmpty(res, 202);
      return;
    default:
      throw storageErrors.unsupportedVerb();
  }
}

/** `GET /?resource=account`: the DFS listing of filesystems (JSON, `x-ms-continuation`). */
export function listFilesystemsDfs(req: StorageRequest): void {
  const after = req.query.get("continuation") ?? "";
  const { nodes, more } = listFilesystems(req, {
    prefix: req.query.get("prefix") ?? "",
    after: after ? Buffer.from(after, "base64url").toString("utf8") : "",
    limit: req.query.integer("maxResults") ?? 5000,
  });
  const headers: Record<string, string> = {};
  if (more) headers["x-ms-continuation"] = Buffer.from(nodes.at(-1)!.name, "utf8").toString("base64url");
  sendJson(
    req.ctx.res,
    200,
    {
      filesystems: nodes.map((node) => ({
        name: node.name,
        lastModified: httpDate(node.modified),
        etag: req.state.props(node).etag,
      })),
    },
    headers,
  );
}
