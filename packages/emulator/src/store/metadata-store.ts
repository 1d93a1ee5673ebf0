import { randomUUID } from "node:crypto";
import { closeSync, fdatasync, openSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { AclState } from "./acl.js";
import { GroupSync } from "./group-sync.js";

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

interface NodeRow {
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

/** Which children a listing query returns: names strictly after `after` and before `before`, at most `limit`. */
export interface ChildrenPage {
  after?: string;
  before?: string;
  limit?: number;
}

/** The first five parameters of the children queries: parent, after, before (twice: `? IS NULL OR name < ?`), limit. */
function pageBounds(
  parent: number,
  page: ChildrenPage,
): [number, string, string | null, string | null, number] {
  const before = page.before ?? null;
  return [parent, page.after ?? "", before, before, page.limit ?? -1];
}

const ROOT_ID = 1;
/** Distinct ACL texts whose parsed form is kept (most items share a handful of ACLs). */
const ACL_CACHE_SIZE = 512;
const COLUMNS =
  "id, parent, name, kind, length, created, modified, owner, grp, acl, expiry, lease, lease_time, context_id";

/**
 * The namespace of one account in SQLite: items keyed by (parent, name), so a rename of a whole subtree is one
 * row update, and file extents. All calls are synchronous and therefore atomic with respect to other requests;
 * changes go through `commit()` (or `transaction()` followed by `flush()`).
 *
 * Durability. The database runs in WAL mode with `synchronous=NORMAL`: a COMMIT appends its frames to the WAL
 * with write(2) and returns without an fsync. That alone already survives a crash of the emulator process
 * (SIGKILL, an uncaught exception, the OOM killer): the bytes are in the kernel's page cache, and SQLite replays
 * the WAL on the next open. To keep the stronger guarantee the emulator always gave (FULL: an acknowledged change
 * also survives power loss or a kernel crash), `flush()` then fdatasyncs the WAL file itself, on the thread pool
 * rather than inside COMMIT on the event loop, and shared by every request that committed meanwhile (group
 * commit). fsync works on the file, not the descriptor, so syncing our own descriptor of `*-wal` makes the frames
 * SQLite wrote durable exactly as its own FULL sync would; SQLite takes no locks on the WAL file, and we close
 * our descriptor only after the database. Every request awaits `flush()` before it answers, and blobs freed by
 * a change are unlinked only after it (so a lost commit can never point at a deleted blob). Blob bytes are
 * fdatasynced before the transaction that references them commits, so metadata never describes bytes that are
 * not on disk, whatever is lost.
 */
export class MetadataStore {
  readonly #db: DatabaseSync;
  readonly #s: Record<string, StatementSync>;
  readonly #walFile: string;
  #walFd: number | undefined;
  /** Commits since the last WAL sync started. */
  #unsynced = false;
  readonly #walSync = new GroupSync(() => this.#syncWal());
  /** Parsed ACLs by their stored text, frozen because they are shared between nodes. */
  readonly #acls = new Map<string, AclState>();
  /** No file expires before this instant (a lower bound: Infinity when none has an expiry). */
  #nextExpiry = 0;

  constructor(file: string, root: { owner: string; group: string; acl: AclState }) {
    this.#db = new DatabaseSync(file);
    this.#walFile = `${file}-wal`;
    this.#db.exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;
      CREATE TABLE IF NOT EXISTS nodes (
        id INTEGER PRIMARY KEY, parent INTEGER, name TEXT NOT NULL, kind TEXT NOT NULL, length INTEGER NOT NULL,
        created INTEGER NOT NULL, modified INTEGER NOT NULL, owner TEXT NOT NULL, grp TEXT NOT NULL, acl TEXT NOT NULL,
        expiry INTEGER NOT NULL DEFAULT 0, lease TEXT, lease_time INTEGER NOT NULL DEFAULT 0, context_id TEXT NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS nodes_by_parent ON nodes(parent, name);
      CREATE INDEX IF NOT EXISTS nodes_by_expiry ON nodes(expiry) WHERE expiry > 0;
      CREATE TABLE IF NOT EXISTS extents (
        node INTEGER NOT NULL, seq INTEGER NOT NULL, blob TEXT NOT NULL, length INTEGER NOT NULL,
        PRIMARY KEY (node, seq)) WITHOUT ROWID;`);
    const p = (sql: string) => this.#db.prepare(sql);
    this.#s = {
      byId: p(`SELECT ${COLUMNS} FROM nodes WHERE id = ?`),
      child: p(`SELECT ${COLUMNS} FROM nodes WHERE parent = ? AND name = ?`),
      children: p(
        `SELECT ${COLUMNS} FROM nodes WHERE parent = ? AND name > ? AND (? IS NULL OR name < ?) ORDER BY name LIMIT ?`,
      ),
      // Plain `?` parameters, bound in the order they appear: node:sqlite before 22.20/24.7 cannot bind
      // numbered ones (`?6`) from positional arguments ("column index out of range").
      listPage: asArrays(
        p(
          `SELECT name, kind, length, created, modified, NULLIF(owner, ?), NULLIF(grp, ?), NULLIF(acl, ?), expiry
         FROM nodes WHERE parent = ? AND name > ? AND (? IS NULL OR name < ?) ORDER BY name LIMIT ?`,
        ),
      ),
      firstExpiry: p("SELECT MIN(expiry) AS at FROM nodes WHERE expiry > 0"),
      hasChildren: p("SELECT 1 AS x FROM nodes WHERE parent = ? LIMIT 1"),
      insert: p(
        `INSERT INTO nodes (${COLUMNS.replace("id, ", "")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      move: p("UPDATE nodes SET parent = ?, name = ? WHERE id = ?"),
      touch: p("UPDATE nodes SET modified = ? WHERE id = ?"),
      setTimes: p("UPDATE nodes SET modified = ?, created = ? WHERE id = ?"),
      setLength: p("UPDATE nodes SET length = ?, modified = ?, lease = ?, lease_time = ? WHERE id = ?"),
      setAcl: p("UPDATE nodes SET acl = ? WHERE id = ?"),
      setOwner: p("UPDATE nodes SET owner = ?, grp = ? WHERE id = ?"),
      setExpiry: p("UPDATE nodes SET expiry = ? WHERE id = ?"),
      subtree: p(
        `WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT n.id FROM nodes n JOIN t ON n.parent = t.id) SELECT id FROM t`,
      ),
      summary:
        p(`WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT n.id FROM nodes n JOIN t ON n.parent = t.id)
        SELECT SUM(kind = 'directory') AS dirs, SUM(kind = 'file') AS files, COALESCE(SUM(length), 0) AS bytes FROM nodes WHERE id IN (SELECT id FROM t)`),
      deleteNode: p("DELETE FROM nodes WHERE id = ?"),
      extents: p("SELECT seq, blob, length FROM extents WHERE node = ? ORDER BY seq"),
      lastExtent: p("SELECT seq, blob, length FROM extents WHERE node = ? ORDER BY seq DESC LIMIT 1"),
      putExtent: p("INSERT OR REPLACE INTO extents (node, seq, blob, length) VALUES (?, ?, ?, ?)"),
      deleteExtents: p("DELETE FROM extents WHERE node = ?"),
      allBlobs: p("SELECT blob FROM extents"),
      expired: p("SELECT id FROM nodes WHERE expiry > 0 AND expiry <= ?"),
    };
    const now = Date.now();
    if (!this.#s.byId!.get(ROOT_ID)) {
      this.#db
        .prepare(
          `INSERT INTO nodes (${COLUMNS}) VALUES (?, NULL, '', 'directory', 0, ?, ?, ?, ?, ?, 0, NULL, 0, ?)`,
        )
        .run(ROOT_ID, now, now, root.owner, root.group, JSON.stringify(root.acl), randomUUID());
    }
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

  /** Children sorted by name (ordinal), strictly after `after` and strictly before `before`. */
  children(parent: number, page: ChildrenPage = {}): FsNode[] {
    const rows = this.#s.children!.all(...pageBounds(parent, page)) as unknown as NodeRow[];
    return rows.map((row) => this.#toNode(row)!);
  }

  /** One LISTSTATUS page (same order and bounds as `children`), as lean rows for `FileStatus` rendering. */
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
    const result = this.#s.insert!.run(
      node.parent,
      node.name,
      node.kind,
      node.length ?? 0,
      node.created,
      node.modified,
      node.owner,
      node.group,
      JSON.stringify(node.acl),
      0,
      node.lease ?? null,
      node.leaseTime ?? 0,
      randomUUID(),
    );
    return this.byId(Number(result.lastInsertRowid))!;
  }

  move(id: number, parent: number, name: string): void {
    this.#s.move!.run(parent, name, id);
  }

  touch(id: number, time: number): void {
    this.#s.touch!.run(time, id);
  }

  setTimes(id: number, modified: number, created: number): void {
    this.#s.setTimes!.run(modified, created, id);
  }

  setLength(id: number, length: number, modified: number, lease: string | null, leaseTime: number): void {
    this.#s.setLength!.run(length, modified, lease, leaseTime, id);
  }

  setAcl(id: number, acl: AclState): void {
    this.#s.setAcl!.run(JSON.stringify(acl), id);
  }

  setOwner(id: number, owner: string, group: string): void {
    this.#s.setOwner!.run(owner, group, id);
  }

  setExpiry(id: number, expiry: number): void {
    this.#s.setExpiry!.run(expiry, id);
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
    this.#s.putExtent!.run(id, extent.seq, extent.blob, extent.length);
  }

  /** Replaces a file's extents (concatenation). */
  replaceExtents(id: number, extents: Extent[]): void {
    this.#s.deleteExtents!.run(id);
    for (const extent of extents) this.putExtent(id, extent);
  }

  /** Deletes an item and everything below it; returns the blobs that no longer belong to anything. */
  deleteSubtree(id: number): string[] {
    const ids = (this.#s.subtree!.all(id) as Array<{ id: number }>).map((row) => row.id);
    const blobs: string[] = [];
    for (const nodeId of ids) {
      for (const extent of this.extents(nodeId)) blobs.push(extent.blob);
      this.#s.deleteExtents!.run(nodeId);
      this.#s.deleteNode!.run(nodeId);
    }
    return blobs;
  }

  /** Directory count (including `id` itself when it is one), file count and total bytes below `id`. */
  summary(id: number): { directories: number; files: number; bytes: number } {
    const row = this.#s.summary!.get(id) as { dirs: number | null; files: number | null; bytes: number };
    return { directories: row.dirs ?? 0, files: row.files ?? 0, bytes: row.bytes };
  }

  /** Files whose expiry has passed. Most calls answer from memory: nothing expires before `#nextExpiry`. */
  expiredIds(now: number): number[] {
    if (now < this.#nextExpiry) return [];
    const ids = (this.#s.expired!.all(now) as Array<{ id: number }>).map((row) => row.id);
    // Recomputed from what is left after the caller deletes these; until then `now` is a safe lower bound.
    const first = (this.#s.firstExpiry!.get() as { at: number | null }).at;
    this.#nextExpiry = ids.length > 0 ? now : (first ?? Number.POSITIVE_INFINITY);
    return ids;
  }

  allBlobs(): Set<string> {
    return new Set((this.#s.allBlobs!.all() as Array<{ blob: string }>).map((row) => row.blob));
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE … COMMIT); rolls back if it throws. The change is visible
   * at once and survives a crash of the process; call `flush()` (or use `commit()`) before acknowledging it.
   */
  transaction<T>(fn: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      this.#unsynced = true;
      return result;
    } catch (err) {
      this.#db.exec("ROLLBACK");
      throw err;
    }
  }

  /** `transaction(fn)`, then `flush()`: the change is durable when the promise resolves. */
  async commit<T>(fn: () => T): Promise<T> {
    const result = this.transaction(fn);
    await this.flush();
    return result;
  }

  /** Makes every transaction committed so far durable (one shared fdatasync of the WAL). */
  flush(): Promise<void> {
    // Nothing committed since the last sync started: that one (if still running) covers everything.
    if (!this.#unsynced) return this.#walSync.running() ?? Promise.resolve();
    return this.#walSync.sync();
  }

  #syncWal(): Promise<void> {
    this.#unsynced = false;
    return new Promise<void>((resolve, reject) => {
      if (!this.#db.isOpen) throw new Error("the metadata store is closed");
      this.#walFd ??= openSync(this.#walFile, "r+");
      fdatasync(this.#walFd, (err) => (err ? reject(err) : resolve()));
    }).catch((err: unknown) => {
      this.#unsynced = true;
      throw err;
    });
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
    if (this.#walFd !== undefined) closeSync(this.#walFd);
    this.#walFd = undefined;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Rows as arrays of column values where node:sqlite can (see ListRow). */
function asArrays(statement: StatementSync): StatementSync {
  const withArrays = statement as StatementSync & { setReturnArrays?: (on: boolean) => void };
  withArrays.setReturnArrays?.(true);
  return statement;
}
