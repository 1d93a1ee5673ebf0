import { sendEmpty } from "../../http/respond.js";
import { requireOwnershipChange } from "../../namespace/ownership.js";
import { requireAccess, requireOwner } from "../../namespace/tree.js";
import { allows, WRITE, withPermission } from "../../store/acl.js";
import { existing } from "../existing.js";
import type { Operation } from "../fs-request.js";
import { remoteErrors } from "../remote-exception.js";
import { requiredParam } from "./params.js";

/** SETPERMISSION (§4.17): owner or super-user; the group digit sets the mask when the item has one. */
export const setPermission: Operation = {
  method: "PUT",
  async run(req) {
    requiredParam(req, "permission");
    const permission = req.params.permission()!;
    await req.store.meta.commit(() => {
      const node = existing(req);
      requireOwner(req, node);
      req.store.meta.setAcl(node.id, withPermission(node.acl, permission));
    });
    sendEmpty(req.ctx.res, 200);
  },
};

/** SETOWNER (§4.18), by the rule of namespace/ownership.ts. */
export const setOwner: Operation = {
  method: "PUT",
  async run(req) {
    const owner = req.params.get("owner") || undefined;
    const group = req.params.get("group") || undefined;
    if (!owner && !group) throw remoteErrors.illegalArgument(req.op, "owner or group is required");
    await req.store.meta.commit(() => {
      const node = existing(req);
      requireOwnershipChange(
        { ...req, denied: () => remoteErrors.accessDenied("Set Owner failed with ") },
        node,
        {
          owner,
          group,
        },
      );
      req.store.meta.setOwner(node.id, owner ?? node.owner, group ?? node.group);
    });
    sendEmpty(req.ctx.res, 200);
  },
};

/** SETTIMES (§4.19): `modificationtime`/`accesstime` in ms; -1 or absent leaves a time unchanged. */
export const setTimes: Operation = {
  method: "PUT",
  async run(req) {
    const modified = req.params.integer("modificationtime");
    const accessed = req.params.integer("accesstime");
    await req.store.meta.commit(() => {
      const node = existing(req);
      if (req.principal.objectId !== node.owner) requireAccess(req, node, WRITE);
      const keep = (value: number | undefined, current: number) =>
        value === undefined || value === -1 ? current : value;
      req.store.meta.setTimes(node.id, keep(modified, node.modified), keep(accessed, node.created));
    });
    sendEmpty(req.ctx.res, 200);
  },
};

/** CHECKACCESS (§4.13): 200 when the caller holds every requested bit of `fsaction` (`r-x` …), else 403. */
export const checkAccess: Operation = {
  method: "GET",
  run(req) {
    const action = requiredParam(req, "fsaction");
    const match = /^([r-])([w-])([x-])$/.exec(action);
    if (!match)
      throw remoteErrors.illegalArgument(
        req.op,
        `Invalid fsaction '${action}': expected something like rwx or r-x`,
      );
    const wanted = (match[1] === "r" ? 4 : 0) | (match[2] === "w" ? 2 : 0) | (match[3] === "x" ? 1 : 0);
    const node = existing(req);
    if (!allows(node.acl, node.owner, node.group, req.principal, wanted))
      throw remoteErrors.accessDenied(req.op);
    sendEmpty(req.ctx.res, 200);
  },
};
