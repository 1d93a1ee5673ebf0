import { sendJson } from "../../http/respond.js";
import { ensureDirectory } from "../../namespace/tree.js";
import type { Operation } from "../fs-request.js";

/** MKDIRS (§4.3): `mkdir -p`; an existing directory is fine, a file on the way is 403 FileAlreadyExists. */
export const mkdirs: Operation = {
  method: "PUT",
  async run(req) {
    const permission = req.params.permission();
    await req.store.meta.commit(() => ensureDirectory(req, req.segments, Date.now(), permission));
    sendJson(req.ctx.res, 200, { boolean: true });
  },
};
