import { sendJson } from "../../http/respond.js";
import { EXECUTE, READ } from "../../store/acl.js";
import { fileStatus } from "../file-status.js";
import type { Operation } from "../fs-request.js";
import { existing, requireAccess } from "../tree.js";

/** GETFILESTATUS (§4.1): the item itself, `pathSuffix` empty. */
export const getFileStatus: Operation = {
  method: "GET",
  run(req) {
    sendJson(req.ctx.res, 200, { FileStatus: fileStatus(existing(req), "") });
  },
};

/** GETCONTENTSUMMARY (§4.14, §6.14): recursive totals; `directoryCount` includes the directory asked about. */
export const getContentSummary: Operation = {
  method: "GET",
  run(req) {
    const node = existing(req);
    if (node.kind === "directory") requireAccess(req, node, READ | EXECUTE);
    const summary = req.store.meta.summary(node.id);
    sendJson(req.ctx.res, 200, {
      ContentSummary: {
        directoryCount: summary.directories,
        fileCount: summary.files,
        length: summary.bytes,
        quota: -1,
        spaceConsumed: summary.bytes,
        spaceQuota: -1,
      },
    });
  },
};
