import { lookup } from "../namespace/tree.js";
import type { FsNode } from "../store/metadata-store.js";
import type { FsRequest } from "./fs-request.js";
import { pathString } from "./parse-request.js";
import { remoteErrors } from "./remote-exception.js";

/** The item at `segments`, or 404 FileNotFoundException. */
export function existing(req: FsRequest, segments: readonly string[] = req.segments): FsNode {
  const found = lookup(req, segments).node;
  if (!found) throw remoteErrors.notFound(pathString(segments));
  return found;
}
