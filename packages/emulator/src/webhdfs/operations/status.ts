import { sendJson } from "../../http/respond.js";
import { requireAccess } from "../../namespace/tree.js";
import { walkInSlices } from "../../namespace/walk-tree.js";
import { EXECUTE, READ } from "../../store/acl.js";
import { existing } from "../existing.js";
import { fileStatus } from "../file-status.js";
import type { Operation } from "../fs-request.js";

/** GETFILESTATUS (§4.1): the item itself, `pathSuffix` empty. */
export const getFileStatus: Operation = {
  method: "GET",
  run(req) {
    sendJson(req.ctx.res, 200, { FileStatus: fileStatus(existing(req), "") });
  },
};

/**
 * GETCONTENTSUMMARY (§4.14, §6.14): recursive totals; `directoryCount` includes the directory asked about. As in
 * HDFS, it needs r-x on every directory it walks, so it reveals nothing about what the caller cannot list. The
 * walk runs in time slices; like HDFS's, its totals are not a snapshot of a tree that changes meanwhile.
 */
export const getContentSummary: Operation = {
  method: "GET",
  async run(req) {
    const node = existing(req);
    const totals = { directories: 0, files: 0, bytes: 0 };
    if (node.kind === "file") {
      totals.files = 1;
      totals.bytes = node.length;
    } else {
      await walkInSlices(req.store.meta, node, {
        directory(dir) {
          requireAccess(req, dir, READ | EXECUTE);
          totals.directories++;
        },
        entries(_dir, page) {
          for (const row of page) {
            if (row.kind !== "file") continue;
            totals.files++;
            totals.bytes += row.length;
          }
        },
      });
    }
    sendJson(req.ctx.res, 200, {
      ContentSummary: {
        directoryCount: totals.directories,
        fileCount: totals.files,
        length: totals.bytes,
        quota: -1,
        spaceConsumed: totals.bytes,
        spaceQuota: -1,
      },
    });
  },
};
