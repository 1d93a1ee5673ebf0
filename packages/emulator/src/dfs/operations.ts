import { setAccessControl, setAccessControlRecursive } from "./access-control.js";
import { append, flush } from "./append-flush.js";
import { contentHeadersOf, createPath } from "./create-path.js";
import { deletePath } from "./delete-path.js";
import { storageErrors } from "./errors.js";
import { filesystemOperation, listFilesystemsDfs } from "./filesystems.js";
import { listPaths } from "./list-paths.js";
import { header, parseProperties } from "./params.js";
import { headPath, readPath } from "./read.js";
import { renamePath } from "./rename.js";
import type { StorageRequest } from "./request.js";
import { changePathProps } from "./set-properties.js";

type Run = (req: StorageRequest) => Promise<void> | void;

/** PATCH `?action=` on a path. */
const ACTIONS: Record<string, Run> = {
  append,
  flush,
  setAccessControl,
  setAccessControlRecursive,
  setProperties(req) {
    const properties = header(req.headers, "x-ms-properties");
    const headers = contentHeadersOf(req);
    return changePathProps(req, {
      ...(properties !== undefined ? { metadata: parseProperties(properties) } : {}),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    });
  },
};

/** The operation a DFS request names, with its journal name (reference §2). */
function pick(req: StorageRequest, method: string, pathStyle: boolean): [string, Run] {
  const resource = req.query.get("resource");
  const action = req.query.get("action");
  if (req.filesystem === "") {
    if (method === "GET" && resource === "account") return ["list-filesystems", listFilesystemsDfs];
    throw storageErrors.invalidQuery("resource", resource ?? "", "The account takes GET ?resource=account.");
  }
  if (resource === "filesystem" && req.segments.length === 0) {
    if (method === "GET") return ["list-paths", listPaths];
    return [`filesystem-${method.toLowerCase()}`, filesystemOperation];
  }
  switch (method) {
    case "PUT":
      if (header(req.headers, "x-ms-rename-source") !== undefined)
        return ["rename", (r) => renamePath(r, pathStyle)];
      if (resource === undefined) throw storageErrors.missingQuery("resource");
      return [`create-${resource}`, createPath];
    case "PATCH": {
      if (action === undefined) throw storageErrors.missingQuery("action");
      const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
      if (!run) throw storageErrors.invalidQuery("action", action, "Unknown action.");
      return [action, run];
    }
    case "HEAD":
      return [action ?? "get-properties", headPath];
    case "GET":
      return ["read", readPath];
    case "DELETE":
      return ["delete", deletePath];
    case "POST":
      throw storageErrors.notServed("path leases (x-ms-lease-action)");
    default:
      throw storageErrors.unsupportedVerb();
  }
}

/**
 * Serves a DFS request. `X-Http-Method-Override: PATCH` on a PUT (ABFS) is a PATCH. The journal names each
 * operation `dfs:{name}`.
 */
export async function dfsOperation(req: StorageRequest, pathStyle: boolean): Promise<void> {
  const override = header(req.headers, "x-http-method-override")?.toUpperCase();
  const method = req.ctx.method === "PUT" && override === "PATCH" ? "PATCH" : req.ctx.method;
  const [name, run] = pick(req, method, pathStyle);
  req.ctx.entry.op = `dfs:${name}`;
  await run(req);
}
