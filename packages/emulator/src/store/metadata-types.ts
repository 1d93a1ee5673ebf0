import type { AclState } from "./acl.js";

/** The shapes the metadata store reads and writes. */

/** One file or directory, as stored. Times are epoch milliseconds. */
export interface FsNode {
  id: number;
  parent: number | null;
  name: string;
  kind: "file" | "directory";
  length: number;
  /** Creation time; reported as `accessTime`. */
  created: number;
  modified: number;
  owner: string;
  group: string;
  acl: AclState;
  /** Absolute expiry instant; 0 = never. Files only. */
  expiry: number;
  /** The lease of the writer whose stream is open (CREATE/APPEND without CLOSE), if any. */
  lease: string | null;
  leaseTime: number;
  /** Changes whenever the file is (re)created. */
  contextId: string;
}

/** A run of a file's bytes: the first `length` bytes of a blob on disk. A file is its extents in `seq` order. */
export interface Extent {
  seq: number;
  blob: string;
  length: number;
}

export type NewNode = Omit<FsNode, "id" | "contextId" | "lease" | "leaseTime" | "expiry" | "length"> &
  Partial<Pick<FsNode, "lease" | "leaseTime" | "length">>;

export interface NodeRow {
  id: number;
  parent: number | null;
  name: string;
  kind: string;
  length: number;
  created: number;
  modified: number;
  owner: string;
  grp: string;
  acl: string;
  expiry: number;
  lease: string | null;
  lease_time: number;
  context_id: string;
}

/**
 * One LISTSTATUS row: only what a `FileStatus` shows, the ACL still as its stored JSON text. An array, not an
 * object: node:sqlite builds row objects with per-row property names (dictionary-mode objects, megamorphic
 * reads), which made up half of a listing's cost (100,000 entries: ~205 ms as objects, ~120 ms as arrays).
 */
export type ListRow = readonly [
  name: NodeRow["name"],
  kind: NodeRow["kind"],
  length: NodeRow["length"],
  created: NodeRow["created"],
  modified: NodeRow["modified"],
  owner: NodeRow["owner"],
  grp: NodeRow["grp"],
  acl: NodeRow["acl"],
  expiry: NodeRow["expiry"],
];

/** Which entries a listing returns: names strictly after `after` and before `before`, at most `limit`. */
export interface ChildrenPage {
  after?: string;
  before?: string;
  limit?: number;
}

/** One entry of a directory, as a walk over a tree needs it. */
export interface ChildRow {
  id: number;
  name: string;
  kind: "file" | "directory";
  length: number;
}

/** A value the store refuses to write because node:sqlite could not read it back (not a safe integer). */
export class UnstorableValueError extends RangeError {
  override name = "UnstorableValueError";
}

/**
 * Ids of items whose entries or permissions changed since the watch began: the parent of every item inserted or
 * moved, and every item whose ACL or owner changed. A check that walked a tree outside a transaction is still
 * valid when none of the directories it walked is among them.
 */
export interface ChangeWatch {
  readonly touched: ReadonlySet<number>;
  stop(): void;
}
