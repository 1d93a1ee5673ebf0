import { sendEmpty, sendJson } from "../../http/respond.js";
import { requireOwner } from "../../namespace/tree.js";
import {
  AclSpecError,
  type AclState,
  aclEntries,
  checkAclSize,
  modifyAcl,
  parseAclSpec,
  permissionString,
  removeAcl,
  removeAclEntries,
  removeDefaultAcl,
  type SpecEntry,
  setAcl,
} from "../../store/acl.js";
import type { FsNode } from "../../store/metadata-store.js";
import { existing } from "../existing.js";
import type { FsRequest, Operation } from "../fs-request.js";
import { remoteErrors } from "../remote-exception.js";
import { requiredParam } from "./params.js";

/** GETACLSTATUS / MSGETACLSTATUS (§4.15): the same document, base entries included. */
export const getAclStatus: Operation = {
  method: "GET",
  run(req) {
    const node = existing(req);
    sendJson(req.ctx.res, 200, {
      AclStatus: {
        entries: aclEntries(node.acl),
        owner: node.owner,
        group: node.group,
        permission: permissionString(node.acl),
        stickyBit: node.acl.sticky,
      },
    });
  },
};

/** An ACL change: only the owner or a super-user may make it; a bad spec is 400 and changes nothing. */
function aclChange(change: (req: FsRequest, node: FsNode) => AclState): Operation {
  return {
    method: "PUT",
    async run(req) {
      await req.store.meta.commit(() => {
        const node = existing(req);
        requireOwner(req, node);
        let next: AclState;
        try {
          next = checkAclSize(change(req, node));
        } catch (err) {
          if (err instanceof AclSpecError) throw remoteErrors.illegalArgument(req.op, err.message);
          throw err;
        }
        req.store.meta.setAcl(node.id, next);
      });
      sendEmpty(req.ctx.res, 200);
    },
  };
}

function spec(req: FsRequest, withPermissions: boolean): SpecEntry[] {
  return parseAclSpec(requiredParam(req, "aclSpec"), { withPermissions });
}

export const setAclOp = aclChange((req, node) => setAcl(node.acl, spec(req, true), node.kind));
export const modifyAclEntriesOp = aclChange((req, node) => modifyAcl(node.acl, spec(req, true), node.kind));
export const removeAclEntriesOp = aclChange((req, node) => removeAclEntries(node.acl, spec(req, false)));
export const removeAclOp = aclChange((_req, node) => removeAcl(node.acl));
export const removeDefaultAclOp = aclChange((_req, node) => removeDefaultAcl(node.acl));
