import { sendJson } from "../../http/respond.js";
import { EXECUTE, READ } from "../../store/acl.js";
import { fileStatus } from "../file-status.js";
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
    const children = req.store.meta.children(node.id, {
      ...(after ? { after } : {}),
      ...(before ? { before } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    const full = limit !== undefined && children.length === limit;
    sendJson(req.ctx.res, 200, {
      FileStatuses: {
        continuationToken: full ? children[children.length - 1]!.name : "",
        FileStatus: children.map((child) => fileStatus(child, child.name)),
      },
    });
  },
};
