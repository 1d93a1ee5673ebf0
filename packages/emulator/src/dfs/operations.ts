import type { StorageOperation } from "../storage-auth/index.js";
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

/**
 * An operation: its journal name, what a SAS must allow for it (StorageOperation, checked before it runs), and
 * the function that serves it. A rename authorises its source and destination itself (rename.ts).
 */
type Picked = [name: string, needs: StorageOperation | StorageOperation[] | "own", run: Run];

/** PATCH `?action=` on a path. */
const ACTION_NEEDS: Record<string, (req: StorageRequest) => StorageOperation[]> = {
  append: () => ["path:append"],
  flush: () => ["path:write"],
  // Changing the owner or group needs `o` besides `p` (a service SAS) or `w` (an account SAS).
  setAccessControl: (req) =>
    header(req.headers, "x-ms-owner") !== undefined || header(req.headers, "x-ms-group") !== undefined
      ? ["path:setAccessControl", "path:setOwner"]
      : ["path:setAccessControl"],
  setAccessControlRecursive: () => ["path:setAccessControl"],
  setProperties: () => ["path:write"],
};

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
function pick(req: StorageRequest, method: string, pathStyle: boolean): Picked {
  const resource = req.query.get("resource");
  const action = req.query.get("action");
  if (req.filesystem === "") {
    if (method === "GET" && resource === "account")
      return ["list-filesystems", "service:listContainers", listFilesystemsDfs];
    throw storageErrors.invalidQuery("resource", resource ?? "", "The account takes GET ?resource=account.");
  }
  if (resource === "filesystem" && req.segments.length === 0) {
    if (method === "GET") return ["list-paths", "container:list", listPaths];
    return [`filesystem-${method.toLowerCase()}`, FILESYSTEM_NEEDS[method] ?? [], filesystemOperation];
  }
  switch (method) {
    case "PUT":
      if (header(req.headers, "x-ms-rename-source") !== undefined)
        return ["rename", "own", (r) => renamePath(r, pathStyle)];
      if (resource === undefined) throw storageErrors.missingQuery("resource");
      return [`create-${resource}`, "path:create", createPath];
    case "PATCH": {
      if (action === undefined) throw storageErrors.missingQuery("action");
      const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
      if (!run) throw storageErrors.invalidQuery("action", action, "Unknown action.");
      return [action, ACTION_NEEDS[action]!(req), run];
    }
    case "HEAD":
      return [
        action ?? "get-properties",
        action === "getAccessControl"
          ? "path:getAccessControl"
          : action === "getStatus"
            ? "path:getStatus"
            : "path:getProperties",
        headPath,
      ];
    case "GET":
      return ["read", "path:read", readPath];
    case "DELETE":
      return ["delete", "path:delete", deletePath];
    case "POST":
      throw storageErrors.notServed("path leases (x-ms-lease-action)");
    default:
      throw storageErrors.unsupportedVerb();
  }
}

/** `?resource=filesystem` by method (the unknown methods are refused by filesystemOperation). */
const FILESYSTEM_NEEDS: Record<string, StorageOperation> = {
  PUT: "container:create",
  DELETE: "container:delete",
  HEAD: "container:getProperties",
  PATCH: "container:setProperties",
};

/**
 * Serves a DFS request. `X-Http-Method-Override: PATCH` on a PUT (ABFS) is a PATCH. The journal names each
 * operation `dfs:{name}`.
 */
export async function dfsOperation(req: StorageRequest, pathStyle: boolean): Promise<void> {
  const override = header(req.headers, "x-http-method-override")?.toUpperCase();
  const method = req.ctx.method === "PUT" && override === "PATCH" ? "PATCH" : req.ctx.method;
  const [name, needs, run] = pick(req, method, pathStyle);
  req.ctx.entry.op = `dfs:${name}`;
  if (needs !== "own") for (const operation of [needs].flat()) req.authorize(operation);
  await run(req);
}
