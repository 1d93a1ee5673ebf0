import type { ServerResponse } from "node:http";
import { sendJson } from "../../http/respond.js";
import { requireAccess } from "../../namespace/tree.js";
import { EXECUTE, READ } from "../../store/acl.js";
import { TimeSlice } from "../../store/time-slice.js";
import { existing } from "../existing.js";
import { fileStatus, fileStatusesBody } from "../file-status.js";
import type { Operation } from "../fs-request.js";

/** Entries read and rendered per slice of a listing (a few milliseconds of work). */
const ROWS_PER_SLICE = 2000;

/**
 * LISTSTATUS (§4.2): children in ordinal name order, paged by `listSize`/`listAfter`/`listBefore`. The token is
 * the last name returned when the page is full, else "" (observed rule). A file lists as itself. A long listing
 * is read and rendered in slices, each continuing after the last name of the one before (as a client's pages
 * do), with other requests served in between.
 */
export const listStatus: Operation = {
  method: "GET",
  async run(req) {
    const node = existing(req);
    if (node.kind === "file") {
      sendJson(req.ctx.res, 200, {
        FileStatuses: { continuationToken: "", FileStatus: [fileStatus(node, "")] },
      });
      return;
    }
    requireAccess(req, node, READ | EXECUTE);
    const limit = req.params.integer("listSize");
    const before = req.params.get("listBefore") || undefined;
    const aclOf = (text: string) => req.store.meta.acl(text);
    const slice = new TimeSlice();
    const parts: Buffer[] = [];
    let after = req.params.get("listAfter") || undefined;
    let listed = 0;
    for (;;) {
      const want = Math.min(ROWS_PER_SLICE, limit === undefined ? ROWS_PER_SLICE : limit - listed);
      const rows = req.store.meta.listPage(node.id, {
        ...(after !== undefined ? { after } : {}),
        ...(before !== undefined ? { before } : {}),
        limit: want,
      });
      if (rows.length === 0) break;
      // Rendered straight into bytes: one template per entry instead of an object per entry and a JSON.stringify.
      parts.push(fileStatusesBody(listed === 0 ? "" : ",", rows, aclOf, ""));
      listed += rows.length;
      after = rows[rows.length - 1]![0];
      if (rows.length < want || listed === limit) break;
      await slice.pause();
    }
    const token = limit !== undefined && listed === limit ? after! : "";
    const head = Buffer.from(`{"FileStatuses":{"continuationToken":${JSON.stringify(token)},"FileStatus":[`);
    await sendParts(req.ctx.res, [head, ...parts, Buffer.from("]}}")]);
  },
};

/**
 * Sends a JSON body made of `parts` with its exact Content-Length, one part at a time as the connection takes
 * them, so that encrypting a long listing for the socket is spread over many turns of the event loop.
 */
async function sendParts(res: ServerResponse, parts: Buffer[]): Promise<void> {
  res.writeHead(200, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": parts.reduce((sum, part) => sum + part.byteLength, 0),
  });
  const closed = new Promise<void>((resolve) => res.once("close", resolve));
  for (const part of parts) {
    if (res.destroyed) return;
    if (!res.write(part)) await Promise.race([new Promise((resolve) => res.once("drain", resolve)), closed]);
  }
  res.end();
}
