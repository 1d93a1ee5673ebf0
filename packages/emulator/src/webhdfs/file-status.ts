import { hasExtendedAcl, permissionString } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";

/** Fixed `blockSize` ADLS reports for files. */
export const FILE_BLOCK_SIZE = 268435456;

/** The `FileStatus` object (§3.1), keys in the order the service sends them. */
export function fileStatus(node: FsNode, pathSuffix: string): Record<string, unknown> {
  const isFile = node.kind === "file";
  return {
    length: isFile ? node.length : 0,
    pathSuffix,
    type: isFile ? "FILE" : "DIRECTORY",
    blockSize: isFile ? FILE_BLOCK_SIZE : 0,
    accessTime: node.created,
    modificationTime: node.modified,
    replication: isFile ? 1 : 0,
    permission: permissionString(node.acl),
    owner: node.owner,
    group: node.group,
    ...(isFile ? { msExpirationTime: node.expiry } : {}),
    aclBit: hasExtendedAcl(node.acl),
  };
}
