import { sendEmpty } from "../../http/respond.js";
import { WRITE } from "../../store/acl.js";
import type { Operation } from "../fs-request.js";
import { remoteErrors } from "../remote-exception.js";
import { existing, requireAccess } from "../tree.js";
import { requiredParam } from "./params.js";

const OPTIONS = ["neverexpire", "relativetonow", "relativetocreationdate", "absolute"] as const;

/** SETEXPIRY (§4.12): files only; the instant is stored absolute (`msExpirationTime`), 0 = never. */
export const setExpiry: Operation = {
  method: "PUT",
  async run(req) {
    const optionText = requiredParam(req, "expiryOption");
    const option = OPTIONS.find((o) => o === optionText.toLowerCase());
    if (!option) throw remoteErrors.illegalArgument(req.op, `Invalid expiryOption '${optionText}'`);
    const expireTime = req.params.integer("expireTime", { min: 0 });
    if (option !== "neverexpire" && expireTime === undefined) {
      throw remoteErrors.illegalArgument(req.op, `expireTime is required with expiryOption ${optionText}`);
    }
    await req.store.meta.commit(() => {
      const node = existing(req);
      if (node.kind !== "file") throw remoteErrors.illegalArgument(req.op, "Only files can expire");
      requireAccess(req, node, WRITE);
      const at =
        option === "neverexpire"
          ? 0
          : option === "absolute"
            ? expireTime!
            : option === "relativetonow"
              ? Date.now() + expireTime!
              : node.created + expireTime!;
      req.store.meta.setExpiry(node.id, at);
    });
    sendEmpty(req.ctx.res, 200);
  },
};
