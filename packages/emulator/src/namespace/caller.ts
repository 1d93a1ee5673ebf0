import type { AccountStore } from "../store/account-stores.js";
import type { Principal } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";

/** Permission bits with the sticky bit, as items are created with. */
export interface Permission {
  sticky: boolean;
  bits: number;
}

/**
 * Who works on a namespace, as the shared rules (tree.ts, removal.ts) need it: the store, the principal whose
 * rights are checked, and the wire errors of the API that asked (a Gen1 RemoteException, a Gen2 JSON or XML
 * error), so each rule lives once and each API still answers in its own shape.
 */
export interface NamespaceCaller {
  readonly store: AccountStore;
  readonly principal: Principal;
  /** The directory paths start from: the account's root (Gen1), or one filesystem (Gen2). */
  top(): FsNode;
  /**
   * The mode of an item created without an explicit one (the directories `mkdir -p` adds); undefined, or no
   * function: the account default (acl.ts DEFAULT_MODE).
   */
  defaultMode?(parent: FsNode, kind: FsNode["kind"]): Permission | undefined;
  /** The error for a refused permission check. */
  denied(): Error;
  /** The error for a file met where `mkdir -p` needs a directory (`path` is the file's, `/a/b`). */
  fileInTheWay(path: string): Error;
}
