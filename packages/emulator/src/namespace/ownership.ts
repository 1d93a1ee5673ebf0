import type { FsNode } from "../store/metadata-store.js";
import type { NamespaceCaller } from "./caller.js";

/**
 * The one rule for changing an item's owner or group (Gen1 SETOWNER, Gen2 setAccessControl `x-ms-owner` /
 * `x-ms-group`): only super-users change the owner; the owner may change the group to one it belongs to (the
 * emulator knows no group directory, so a principal belongs only to the group named by its own id).
 */
export function requireOwnershipChange(
  req: NamespaceCaller,
  node: FsNode,
  change: { owner: string | undefined; group: string | undefined },
): void {
  const me = req.principal;
  if (me.superUser) return;
  const changesOwner = change.owner !== undefined && change.owner !== node.owner;
  const changesGroup = change.group !== undefined && change.group !== node.group;
  if (changesOwner || (changesGroup && (me.objectId !== node.owner || change.group !== me.objectId)))
    throw req.denied();
}
