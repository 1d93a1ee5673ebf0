import { requireAccess } from "../../namespace/tree.js";
import { READ } from "../../store/acl.js";
import { rangesOf } from "../../store/extent-ranges.js";
import { existing } from "../existing.js";
import type { Operation } from "../fs-request.js";
import { RemoteError, remoteErrors } from "../remote-exception.js";

/**
 * OPEN (§4.7): the whole requested range in one `application/octet-stream` response, streamed from disk.
 * Past the end is 400 BadOffsetException; exactly at the end of a non-empty file 403 (what Java treats as EOF).
 */
export const open: Operation = {
  method: "GET",
  async run(req) {
    const node = existing(req);
    if (node.kind !== "file")
      throw remoteErrors.illegalArgument(req.op, `${req.path} is a directory, not a file`);
    requireAccess(req, node, READ);
    const offset = req.params.integer("offset") ?? 0;
    const length = req.params.integer("length");
    if (offset > node.length) throw remoteErrors.badOffset(req.op);
    if (offset === node.length && node.length > 0 && length !== 0) {
      throw new RemoteError(
        403,
        "IOException",
        "java.io.IOException",
        `OPEN failed: offset ${offset} is at the end of the file.`,
        "0x83090015",
      );
    }
    const end = length === undefined ? node.length : Math.min(node.length, offset + length);
    const res = req.ctx.res;
    if (end <= offset) {
      res.writeHead(200, { "Content-Length": 0 });
      res.end();
      return;
    }
    const reader = await req.store.blobs.openRanges(rangesOf(req.store.meta.extents(node.id), offset, end));
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": end - offset });
    await reader.sendTo(res);
    res.end();
  },
};
