import { sendEmpty } from "../../http/respond.js";
import { requireRemoval } from "../../namespace/removal.js";
import { lookup, requireAccess } from "../../namespace/tree.js";
import { WRITE } from "../../store/acl.js";
import type { Operation } from "../fs-request.js";
import { checkInstant } from "../parse-request.js";
import { remoteErrors } from "../remote-exception.js";
import { requiredParam } from "./params.js";

const OPTIONS = ["neverexpire", "relativetonow", "relativetocreationdate", "absolute"] as const;

/**
 * SETEXPIRY (§4.12): files only; the instant is stored absolute (`msExpirationTime`), 0 = never. Needs write on
 * the file; an expiry is a removal at a later time (the purge carries it out for nobody in particular), so
 * setting one also needs what removing the file needs (removal.ts: the parent's write+execute, the sticky bit).
 */
export const setExpiry: Operation = {
  method: "PUT",
  async run(req) {
    const optionText = requiredParam(req, "expiryOption");
    const option = OPTIONS.find((o) => o === optionText.toLowerCase());
    if (!option) throw remoteErrors.illegalArgument(req.op, `Invalid expiryOption '${optionText}'`);
    const expireTime = req.params.integer("expireTime");
    if (option !== "neverexpire" && expireTime === undefined) {
      throw remoteErrors.illegalArgument(req.op, `expireTime is required with expiryOption ${optionText}`);
    }
    await req.store.meta.commit(() => {
      const { node, parent } = lookup(req, req.segments);
      if (!node) throw remoteErrors.notFound(req.path);
      if (node.kind !== "file") throw remoteErrors.illegalArgument(req.op, "Only files can expire");
      requireAccess(req, node, WRITE);
      if (option !== "neverexpire") requireRemoval(req, parent!, node);
      const at =
        option === "neverexpire"
          ? 0
          : option === "absolute"
            ? expireTime!
            : checkInstant(
                "expireTime",
                (option === "relativetonow" ? Date.now() : node.created) + expireTime!,
              );
      req.store.meta.setExpiry(node.id, at);
    });
    sendEmpty(req.ctx.res, 200);
  },
};
