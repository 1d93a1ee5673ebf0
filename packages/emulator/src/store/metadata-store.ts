import { randomUUID } from "node:crypto";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { AclState } from "./acl.js";
import { DurableDatabase } from "./durable-db.js";
import { ensureRoot, openSchema, prepareStatements } from "./metadata-schema.js";
import type {
  ChangeWatch,
  ChildRow,
  ChildrenPage,
  Extent,
  FsNode,
  ListRow,
  NewNode,
  NodeRow,
} from "./metadata-types.js";
import { UnstorableValueError } from "./metadata-types.js";

export { MAX_TIME_MS } from "./metadata-schema.js";
export * from "./metadata-types.js";

/** The first five parameters of the listing query: parent, after, before (twice: `? IS NULL OR name < ?`), limit. */
function pageBounds(
  parent: number,
  page: ChildrenPage,
): [number, string, string | null, string | null, number] {
  const before = page.before ?? null;
  return [parent, page.after ?? "", before, before, page.limit ?? -1];
}

const ROOT_ID = 1;
/**
 * The parent of removed directories that still have entries: no row has this id, so nothing below it is
 * reachable from the root, and `reapTrash` deletes it in bounded batches.
 */
const TRASH_ID = 0;
/** Distinct ACL texts whose parsed form is kept (most items share a handful of ACLs). */
const ACL_CACHE_SIZE = 512;

/**
 * The namespace of one account in SQLite: items keyed by (parent, name), so a rename of a whole subtree is one
 * row update, and file extents. All calls are synchronous and therefore atomic with respect to other requests;
 * changes go through `commit()` (or `transaction()` followed by `flush()`).
 *
 * Durability: see DurableDatabase. Every request awaits `flush()` before it answers, and blobs freed by a change
 * are unlinked only after it (so a lost commit can never point at a deleted blob). Blob bytes are fdatasynced
 * before the transaction that references them commits, so metadata never describes bytes that are not on disk.
 *
 * Long because: every statement on the namespace tables is a method here, so the transaction and flush rules
 * that all of them follow are kept in one place.
 */
export class MetadataStore {
  readonly #durable: DurableDatabase;
  readonly #db: DatabaseSync;
  readonly #s: Record<string, StatementSync>;
  /** Parsed ACLs by their stored text, frozen because they are shared between nodes. */
  readonly #acls = new Map<string, AclState>();
  /** No file expires before this instant (a lower bound: Infinity when none has an expiry). */
  #nextExpiry = 0;
  readonly #watches = new Set<Set<number>>();
  /** Called (inside the transaction) when a directory went to the trash. */
  onTrashed: (() => void) | undefined;

  constructor(file: string, root: { owner: string; group: string; acl: AclState }) {
    this.#durable = new DurableDatabase(file);
    this.#db = this.#durable.db;
    openSchema(this.#db);
    this.#s = prepareStatements(this.#db);
    ensureRoot(this.#db, ROOT_ID, root);
  }

  root(): FsNode {
    return this.byId(ROOT_ID)!;
  }

  byId(id: number): FsNode | undefined {
    return this.#toNode(this.#s.byId!.get(id) as NodeRow | undefined);
  }

  child(parent: number, name: string): FsNode | undefined {
    return this.#toNode(this.#s.child!.get(parent, name) as NodeRow | undefined);
  }

  /** Up to `limit` entries of a directory named after `after`, in name order: one page of a tree walk. */
  childPage(parent: number, after: string, limit: number): ChildRow[] {
    return this.#s.childPage!.all(parent, after, limit) as unknown as ChildRow[];
  }

  /** One LISTSTATUS page in name order, as lean rows for `FileStatus` rendering. */
  listPage(parent: number, page: ChildrenPage = {}): ListRow[] {
    const [owner, grp, acl] = this.#listed;
    const found = this.#s.listPage!.all(owner, grp, acl, ...pageBounds(parent, page));
    // Node versions without setReturnArrays (before 22.16/24) return objects, in column order.
    const rows = (Array.isArray(found[0])
      ? found
      : found.map((row) => Object.values(row))) as unknown as Array<
      [string, string, number, number, number, string | null, string | null, string | null, number]
    >;
    // SQLite answered NULL where a value equals the last listed one (no new JS string per row and column).
    for (const row of rows) {
      row[5] ??= owner;
      row[6] ??= grp;
      row[7] ??= acl;
    }
    const last = rows.at(-1);
    if (last) this.#listed = [last[5] as string, last[6] as string, last[7] as string];
    return rows as unknown as ListRow[];
  }

  /**
   * Owner, group and ACL text of the last row listed. Siblings nearly always share them, and a string SQLite
   * hands to JS costs an allocation and a copy per row and column: the listing query answers NULL for a value
   * equal to these, which costs nothing (100,000 entries: ~75 -> ~58 ms in the query).
   */
  #listed: [owner: string, grp: string, acl: string] = ["", "", ""];

  /** The parsed form of a stored ACL text (shared and frozen: ACL functions return new objects). */
  acl(text: string): AclState {
    let acl = this.#acls.get(text);
    if (!acl) {
      if (this.#acls.size >= ACL_CACHE_SIZE) this.#acls.clear();
      acl = deepFreeze(JSON.parse(text) as AclState);
      this.#acls.set(text, acl);
    }
    return acl;
  }

  #toNode(row: NodeRow | undefined): FsNode | undefined {
    if (!row) return undefined;
    return {
      id: row.id,
      parent: row.parent,
      name: row.name,
      kind: row.kind === "file" ? "file" : "directory",
      length: row.length,
      created: row.created,
      modified: row.modified,
      owner: row.owner,
      group: row.grp,
      acl: this.acl(row.acl),
      expiry: row.expiry,
      lease: row.lease,
      leaseTime: row.lease_time,
      contextId: row.context_id,
    };
  }

  hasChildren(id: number): boolean {
    return this.#s.hasChildren!.get(id) !== undefined;
  }

  insert(node: NewNode): FsNode {
    this.#touched(node.parent);
    const result = this.#s.insert!.run(
      node.parent,
      node.name,
      node.kind,
      storable(node.length ?? 0),
      storable(node.created),
      storable(node.modified),
      node.owner,
      node.group,
      JSON.stringify(node.acl),
      0,
      node.lease ?? null,
      storable(node.leaseTime ?? 0),
      randomUUID(),
    );
    return this.byId(Number(result.lastInsertRowid))!;
  }

  move(id: number, parent: number, name: string): void {
    this.#touched(parent);
    this.#s.move!.run(parent, name, id);
  }

  touch(id: number, time: number): void {
    this.#s.touch!.run(storable(time), id);
  }

  setTimes(id: number, modified: number, created: number): void {
    this.#s.setTimes!.run(storable(modified), storable(created), id);
  }

  setLength(id: number, length: number, modified: number, lease: string | null, leaseTime: number): void {
    this.#s.setLength!.run(storable(length), storable(modified), lease, storable(leaseTime), id);
  }

  setAcl(id: number, acl: AclState): void {
    this.#touched(id);
    this.#s.setAcl!.run(JSON.stringify(acl), id);
  }

  setOwner(id: number, owner: string, group: string): void {
    this.#touched(id);
    this.#s.setOwner!.run(owner, group, id);
  }

  setExpiry(id: number, expiry: number): void {
    this.#s.setExpiry!.run(storable(expiry), id);
    // Lowered at once; raised only by a query (a rolled-back transaction leaves it lower, which is safe).
    if (expiry > 0 && expiry < this.#nextExpiry) this.#nextExpiry = expiry;
  }

  extents(id: number): Extent[] {
    return this.#s.extents!.all(id) as unknown as Extent[];
  }

  lastExtent(id: number): Extent | undefined {
    return this.#s.lastExtent!.get(id) as Extent | undefined;
  }

  putExtent(id: number, extent: Extent): void {
    this.#s.putExtent!.run(id, storable(extent.seq), extent.blob, storable(extent.length));
  }

  /** Replaces a file's extents (concatenation). */
  replaceExtents(id: number, extents: Extent[]): void {
    this.#s.deleteExtents!.run(id);
    for (const extent of extents) this.putExtent(id, extent);
  }

  /**
   * Removes an item and everything below it; returns the blobs to free once the change is durable. A file or an
   * empty directory goes at once; a directory with entries moves to the trash in one row update, whatever its
   * size, and `reapTrash` reclaims it afterwards in bounded batches.
   */
  remove(node: Pick<FsNode, "id" | "kind">): string[] {
    if (node.kind === "directory" && this.hasChildren(node.id)) {
      this.#s.move!.run(TRASH_ID, String(node.id), node.id);
      this.onTrashed?.();
      return [];
    }
    return this.#deleteRow(node.id);
  }

  /**
   * Deletes up to `limit` items from the trash, leaves first (a directory only once it is empty, so nothing is
   * ever left without a parent); returns their blobs and whether the trash is now empty.
   */
  reapTrash(limit: number): { blobs: string[]; done: boolean } {
    const blobs: string[] = [];
    const path = [TRASH_ID];
    let budget = limit;
    while (budget > 0) {
      const dir = path[path.length - 1]!;
      const rows = this.#s.anyChildren!.all(dir, budget) as Array<{ id: number; kind: string }>;
      if (rows.length === 0) {
        if (dir === TRASH_ID) return { blobs, done: true };
        blobs.push(...this.#deleteRow(dir));
        path.pop();
        budget--;
        continue;
      }
      for (const row of rows) {
        if (row.kind === "directory" && this.hasChildren(row.id)) {
          path.push(row.id);
          break;
        }
        blobs.push(...this.#deleteRow(row.id));
        budget--;
      }
    }
    return { blobs, done: false };
  }

  /** Whether removed directories are still waiting in the trash (after a restart, for instance). */
  hasTrash(): boolean {
    return this.hasChildren(TRASH_ID);
  }

  #deleteRow(id: number): string[] {
    const blobs = (this.#s.takeExtents!.all(id) as Array<{ blob: string }>).map((row) => row.blob);
    // A Gen2 filesystem's uncommitted blocks are keyed by it, not by a node of their own.
    for (const row of this.#s.takeBlocks!.all(id) as Array<{ blob: string }>) blobs.push(row.blob);
    this.#s.takeBlockPaths!.run(id);
    this.#s.deleteNode!.run(id);
    return blobs;
  }

  /** Starts recording which items change (see ChangeWatch); call `stop()` when done. */
  watchChanges(): ChangeWatch {
    const touched = new Set<number>();
    this.#watches.add(touched);
    return { touched, stop: () => this.#watches.delete(touched) };
  }

  #touched(id: number | null): void {
    if (this.#watches.size === 0 || id === null) return;
    for (const watch of this.#watches) watch.add(id);
  }

  /**
   * Up to `limit` files whose expiry has passed. Most calls answer from memory: nothing expires before
   * `#nextExpiry`.
   */
  expiredIds(now: number, limit: number): number[] {
    if (now < this.#nextExpiry) return [];
    const ids = (this.#s.expired!.all(now, limit) as Array<{ id: number }>).map((row) => row.id);
    // Recomputed from what is left after the caller deletes these; until then `now` is a safe lower bound.
    const first = (this.#s.firstExpiry!.get() as { at: number | null }).at;
    this.#nextExpiry = ids.length > 0 ? now : (first ?? Number.POSITIVE_INFINITY);
    return ids;
  }

  allBlobs(): Set<string> {
    return new Set((this.#s.allBlobs!.all() as Array<{ blob: string }>).map((row) => row.blob));
  }

  /**
   * Runs `fn` in one write transaction; rolls back if it throws. The change is visible at once and survives a
   * crash of the process; call `flush()` (or use `commit()`) before acknowledging it.
   */
  transaction<T>(fn: () => T): T {
    return this.#durable.transaction(fn);
  }

  /** `transaction(fn)`, then `flush()`: the change is durable when the promise resolves. */
  commit<T>(fn: () => T): Promise<T> {
    return this.#durable.commit(fn);
  }

  /**
   * A statement on this namespace's database, for tables that extend it (path-state.ts), so their changes
   * commit in the same transactions as the namespace's.
   */
  prepare(sql: string): StatementSync {
    return this.#db.prepare(sql);
  }

  /** Makes every transaction committed so far durable. */
  flush(): Promise<void> {
    return this.#durable.flush();
  }

  get isOpen(): boolean {
    return this.#db.isOpen;
  }

  close(): void {
    this.#durable.close();
  }
}

function storable(value: number): number {
  if (!Number.isSafeInteger(value)) throw new UnstorableValueError(`The value ${value} is out of range`);
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
