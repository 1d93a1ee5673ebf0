import { contentHeadersOf } from "../dfs/create-path.js";
import { deletePath } from "../dfs/delete-path.js";
import { storageErrors } from "../dfs/errors.js";
import { header, parseMetadata } from "../dfs/params.js";
import { headPath, readPath } from "../dfs/read.js";
import type { StorageRequest } from "../dfs/request.js";
import { changePathProps } from "../dfs/set-properties.js";
import type { StorageOperation } from "../storage-auth/index.js";
import { containerOperation, listContainers } from "./containers.js";
import { setExpiry } from "./expiry.js";
import { getUserDelegationKey } from "./user-delegation-key.js";

/**
 * The Blob API subset the DataLake SDKs send to the blob endpoint of a hierarchical account (reference §3.0):
 * containers (create, delete, properties, metadata, listing), and on paths GET/HEAD, metadata, HTTP headers and
 * delete. The data is the DFS data: the same store, the same rules, the same functions.
 * The journal names each `blob:{target}-{comp}-{method}`; Blob operations the emulator does not serve are 400.
 */
export async function blobOperation(req: StorageRequest, serviceEndpoint: string): Promise<void> {
  const restype = req.query.get("restype");
  const comp = req.query.get("comp");
  const method = req.ctx.method;
  const targetKind = req.filesystem === "" ? "account" : req.segments.length === 0 ? "container" : "path";
  req.ctx.entry.op = `blob:${targetKind}-${comp ?? restype ?? "none"}-${method.toLowerCase()}`.slice(0, 64);
  if (req.filesystem === "") {
    if (comp === "list" && method === "GET") {
      req.authorize("service:listContainers");
      return listContainers(req, serviceEndpoint);
    }
    if (restype === "service" && comp === "userdelegationkey" && method === "POST")
      return getUserDelegationKey(req);
    if (restype === "account" && comp === "properties" && (method === "GET" || method === "HEAD")) {
      req.authorize("service:getAccountInfo");
      req.ctx.res.writeHead(200, {
        "x-ms-sku-name": "Standard_LRS",
        "x-ms-account-kind": "StorageV2",
        "x-ms-is-hns-enabled": String(req.account.isHnsEnabled),
        "Content-Length": 0,
      });
      req.ctx.res.end();
      return;
    }
    throw storageErrors.notServed(
      `the Blob service operation ${method} ?restype=${restype ?? ""}&comp=${comp ?? ""}`,
    );
  }
  if (req.segments.length === 0 && restype === "container") {
    req.authorize(containerNeeds(method, comp));
    return containerOperation(req, comp);
  }
  if (req.segments.length === 0 && restype !== undefined)
    throw storageErrors.invalidQuery("restype", restype, "Containers take restype=container.");
  if (comp === undefined && req.segments.length > 0) {
    if (method === "GET") {
      req.authorize("path:read");
      return readPath(req);
    }
    if (method === "HEAD") {
      req.authorize("path:getProperties");
      return headPath(req);
    }
    if (method === "DELETE") {
      req.authorize("path:delete");
      return deletePath(req);
    }
    if (method === "PUT" && header(req.headers, "x-ms-blob-type") !== undefined)
      throw storageErrors.notServed("Put Blob (upload through the DataLake API: create, append, flush)");
  }
  // Metadata, expiry and HTTP headers are writes of the path (`w`).
  if (method === "PUT" && (comp === "metadata" || comp === "expiry" || comp === "properties"))
    req.authorize("path:write");
  if (comp === "metadata" && method === "PUT")
    return changePathProps(req, { metadata: parseMetadata(req.headers) });
  if (comp === "expiry" && method === "PUT") return setExpiry(req);
  if (comp === "properties" && method === "PUT")
    return changePathProps(req, { headers: contentHeadersOf(req, "x-ms-blob-") });
  throw storageErrors.notServed(`the Blob operation ${method} comp=${comp ?? "(none)"} on paths`);
}

/** What a SAS must allow for `?restype=container[&comp=…]` (unserved forms are refused by containerOperation). */
function containerNeeds(method: string, comp: string | undefined): StorageOperation {
  if (method === "PUT") return comp === "metadata" ? "container:setProperties" : "container:create";
  if (method === "DELETE") return "container:delete";
  return "container:getProperties";
}
