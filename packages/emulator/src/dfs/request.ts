import type { IncomingHttpHeaders } from "node:http";
import type { StorageAccountInfo } from "../arm/storage/registry.js";
import type { RequestContext } from "../http/context.js";
import type { NamespaceCaller } from "../namespace/caller.js";
import type { StorageTarget as SignedTarget, StorageOperation } from "../storage-auth/index.js";
import type { FsNode } from "../store/metadata-store.js";
import type { PathState } from "../store/path-state.js";
import type { Caller } from "./credentials.js";
import type { StorageApi } from "./errors.js";
import { storageErrors } from "./errors.js";
import type { StorageQuery } from "./params.js";

/**
 * One Gen2 request after routing, authentication and path parsing: what the DFS and Blob operations work on.
 * As a NamespaceCaller its top directory is the request's filesystem (404 FilesystemNotFound when it is gone).
 */
export interface StorageRequest extends NamespaceCaller {
  readonly ctx: RequestContext;
  /** Which API the request belongs to: decides the error shape and the codes. */
  readonly api: StorageApi;
  readonly account: StorageAccountInfo;
  readonly query: StorageQuery;
  readonly headers: IncomingHttpHeaders;
  readonly state: PathState;
  /** The filesystem (container) named by the URL; "" for account-level requests. */
  readonly filesystem: string;
  /** Path segments inside the filesystem, normalised; `[]` is its root directory. */
  readonly segments: string[];
  /** The path inside the filesystem as the service names it: `dir/file`, "" for the root. */
  readonly path: string;
  /** Who is calling, and with which credential. */
  readonly caller: Caller;
  /**
   * Refuses (403) unless the credential allows `operation` on `target` (default: the request's own). Only a SAS
   * can refuse here; ACLs are checked by the namespace rules, for `principal`.
   */
  authorize(operation: StorageOperation, target?: SignedTarget): void;
}

/** The filesystem's node (a directory right below the account's root), or undefined. */
export function filesystemNode(req: Pick<StorageRequest, "store">, name: string): FsNode | undefined {
  const node = req.store.meta.child(req.store.meta.root().id, name);
  return node?.kind === "directory" ? node : undefined;
}

/** The request's filesystem node, or 404 FilesystemNotFound. */
export function requireFilesystem(req: StorageRequest): FsNode {
  const node = filesystemNode(req, req.filesystem);
  if (!node) throw storageErrors.filesystemNotFound();
  return node;
}

/** 403 unless the caller holds the account-level right. */
export function requireAccountRight(req: StorageRequest): void {
  if (!req.caller.accountRight) throw storageErrors.permissionMismatch();
}
