import { sendJson, sendJsonBytes } from "../../http/respond.js";
import { EXECUTE, READ } from "../../store/acl.js";
import { fileStatus, fileStatusesBody } from "../file-status.js";
import type { Operation } from "../fs-request.js";
import { existing, requireAccess } from "../tree.js";

/**
 * LISTSTATUS (§4.2): children in ordinal name order, paged by `listSize`/`listAfter`/`listBefore`. The token is
 * the last name returned when the page is full, else "" (observed rule). A file lists as itself.
 */
export const listStatus: Operation = {
  method: "GET",
  run(req) {
    const node = existing(req);
    if (node.kind === "file") {
      sendJson(req.ctx.res, 200, {
        FileStatuses: { continuationToken: "", FileStatus: [fileStatus(node, "")] },
      });
      return;
    }
    requireAccess(req, node, READ | EXECUTE);
    const limit = req.params.integer("listSize", { min: 1 });
    const after = req.params.get("listAfter");
    const before = req.params.get("listBefore");
    const rows = req.store.meta.listPage(node.id, {
      ...(after ? { after } : {}),
      ...(before ? { before } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    const full = limit !== undefined && rows.length === limit;
    const token = full ? rows[rows.length - 1]![0] : "";
    // Rendered straight into bytes: one template per entry instead of an object per entry and a JSON.stringify.
    const head = `{"FileStatuses":{"continuationToken":${JSON.stringify(token)},"FileStatus":[`;
    sendJsonBytes(
      req.ctx.res,
      200,
      fileStatusesBody(head, rows, (text) => req.store.meta.acl(text), "]}}"),
    );
  },
};
