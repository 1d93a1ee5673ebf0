import { sendJson } from "../http/respond.js";
import { continuationFor, parseContinuation, walkAfter } from "../namespace/ordered-walk.js";
import { lookup, requireAccess } from "../namespace/tree.js";
import { EXECUTE, READ } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";
import { storageErrors } from "./errors.js";
import { resolveSegments } from "./paths.js";
import { fileTime, httpDate, permissionsText } from "./render.js";
import type { StorageRequest } from "./request.js";

/**
 * List paths (`GET /{fs}?resource=filesystem`, reference §2.3): a directory's entries, or with `recursive=true`
 * everything below it, in pre-order with entries by name; at most `maxResults` per page, `x-ms-continuation`
 * resuming after the last one. Listing a directory needs read+execute on it (and on every directory a recursive
 * listing enters). Numbers and booleans are strings, names are full paths from the filesystem's root.
 */
export function listPaths(req: StorageRequest): void {
  const recursive = req.query.boolean("recursive", false);
  req.query.boolean("upn", false); // object ids stay: see read.ts
  const limit = req.query.integer("maxResults") ?? 5000;
  const token = req.query.get("continuation");
  const after = token ? parseContinuation(token) : undefined;
  if (token && !after)
    throw storageErrors.invalidQuery("continuation", token, "The continuation token is not valid.");
  const directory = resolveSegments(req.query.get("directory") ?? "");
  const start = directory.length === 0 ? req.top() : lookup(req, directory).node;
  if (!start) throw storageErrors.pathNotFound();
  const base = directory.join("/");
  const entry = (node: FsNode, name: string) => ({
    contentLength: String(node.kind === "file" ? node.length : 0),
    creationTime: fileTime(node.created),
    etag: req.state.props(node).etag,
    expiryTime: node.expiry > 0 ? fileTime(node.expiry) : "0",
    group: node.group,
    ...(node.kind === "directory" ? { isDirectory: "true" } : {}),
    lastModified: httpDate(node.modified),
    name,
    owner: node.owner,
    permissions: permissionsText(node.acl),
  });
  const paths: object[] = [];
  let next: string | undefined;
  if (start.kind === "file") {
    if (!after) paths.push(entry(start, base));
  } else {
    requireAccess(req, start, READ | EXECUTE);
    let last: string[] = [];
    for (const item of walkAfter(req.store.meta, start, { recursive, ...(after ? { after } : {}) })) {
      if (paths.length === limit) {
        next = continuationFor(last);
        break;
      }
      if (recursive && item.node.kind === "directory") requireAccess(req, item.node, READ | EXECUTE);
      paths.push(entry(item.node, [base, ...item.relative].filter(Boolean).join("/")));
      last = item.relative;
    }
  }
  const fs = req.top();
  sendJson(
    req.ctx.res,
    200,
    { paths },
    {
      "Last-Modified": httpDate(fs.modified),
      ETag: `"${req.state.props(fs).etag}"`,
      ...(next ? { "x-ms-continuation": next } : {}),
    },
  );
}
