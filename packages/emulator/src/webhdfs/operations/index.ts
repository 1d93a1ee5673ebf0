import type { Operation } from "../fs-request.js";
import {
  getAclStatus,
  modifyAclEntriesOp,
  removeAclEntriesOp,
  removeAclOp,
  removeDefaultAclOp,
  setAclOp,
} from "./acl.js";
import { concat, msConcat } from "./concat.js";
import { append, concurrentAppend, create } from "./create-append.js";
import { setExpiry } from "./expiry.js";
import { listStatus as list } from "./list.js";
import { mkdirs } from "./mkdirs.js";
import { open } from "./open.js";
import { checkAccess, setOwner, setPermission, setTimes } from "./permissions.js";
import { deletePath, rename } from "./rename-delete.js";
import { getContentSummary, getFileStatus } from "./status.js";

/** Every operation the emulator serves, by upper-case `op` (§4.0). Routed on `op`, under either prefix. */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ["GETFILESTATUS", getFileStatus],
  ["MSGETFILESTATUS", getFileStatus],
  ["LISTSTATUS", list],
  ["MSLISTSTATUS", list],
  ["MKDIRS", mkdirs],
  ["CREATE", create],
  ["APPEND", append],
  ["CONCURRENTAPPEND", concurrentAppend],
  ["OPEN", open],
  ["RENAME", rename],
  ["DELETE", deletePath],
  ["MSCONCAT", msConcat],
  ["CONCAT", concat],
  ["SETEXPIRY", setExpiry],
  ["CHECKACCESS", checkAccess],
  ["GETCONTENTSUMMARY", getContentSummary],
  ["GETACLSTATUS", getAclStatus],
  ["MSGETACLSTATUS", getAclStatus],
  ["SETACL", setAclOp],
  ["MODIFYACLENTRIES", modifyAclEntriesOp],
  ["REMOVEACLENTRIES", removeAclEntriesOp],
  ["REMOVEACL", removeAclOp],
  ["REMOVEDEFAULTACL", removeDefaultAclOp],
  ["SETPERMISSION", setPermission],
  ["SETOWNER", setOwner],
  ["SETTIMES", setTimes],
]);

/** Known WebHDFS operations that ADLS (and so the emulator) does not serve: 400 UnsupportedOperationException. */
export const UNSUPPORTED = new Set([
  "ENUMERATEDELETEDITEMS",
  "RESTOREDELETEDITEMS",
  "GETFILECHECKSUM",
  "GETHOMEDIRECTORY",
  "GETDELEGATIONTOKEN",
  "RENEWDELEGATIONTOKEN",
  "CANCELDELEGATIONTOKEN",
  "CREATESYMLINK",
  "SETREPLICATION",
  "TRUNCATE",
  "GETXATTRS",
  "SETXATTR",
  "REMOVEXATTR",
  "LISTXATTRS",
  "CREATESNAPSHOT",
  "DELETESNAPSHOT",
  "RENAMESNAPSHOT",
  "CREATENONRECURSIVE",
  "GETFILEINFO",
]);
