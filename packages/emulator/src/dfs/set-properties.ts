import { sendEmpty } from "../http/respond.js";
import { lookup, requireAccess } from "../namespace/tree.js";
import { WRITE } from "../store/acl.js";
import type { ContentHeaders } from "../store/path-state.js";
import { checkConditions } from "./conditions.js";
import { storageErrors } from "./errors.js";
import { httpDate } from "./render.js";
import type { StorageRequest } from "./request.js";

/**
 * Changing a path's user properties or content headers: DFS `PATCH ?action=setProperties`, Blob
 * `PUT ?comp=metadata` and `PUT ?comp=properties`. Each replaces what it names wholesale (omitted content
 * headers are cleared, as the service does) and gives the path a new ETag. Needs write on the item.
 */
export async function changePathProps(
  req: StorageRequest,
  change: { metadata?: Record<string, string>; headers?: ContentHeaders },
): Promise<void> {
  const node = await req.store.meta.commit(() => {
    const item = req.segments.length === 0 ? req.top() : lookup(req, req.segments).node;
    if (!item) throw storageErrors.pathNotFound();
    requireAccess(req, item, WRITE);
    const props = req.state.props(item);
    checkConditions(req, item, props.etag);
    req.state.setProps(item.id, {
      headers: change.headers ?? props.headers,
      metadata: change.metadata ?? props.metadata,
    });
    req.store.meta.touch(item.id, Date.now());
    return req.store.meta.byId(item.id)!;
  });
  sendEmpty(req.ctx.res, 200, {
    ETag: `"${req.state.props(node).etag}"`,
    "Last-Modified": httpDate(node.modified),
    "x-ms-request-server-encrypted": "true",
  });
}
