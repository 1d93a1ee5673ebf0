import { randomUUID } from "node:crypto";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { AclState } from "./acl.js";

/**
 * The SQL of an account's namespace: its tables, the statements the metadata store runs, and the upgrades an
 * older data directory gets when it is opened. The schema version lives in `PRAGMA user_version`: 0 is a
 * database from before versions were kept (or a new one).
 */

/** The latest instant stored: the end of year 9999, the last the service's clients (and .NET's DateTime) show. */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const SCHEMA_VERSION = 2;

const COLUMNS =
  "id, parent, name, kind, length, created, modified, owner, grp, acl, expiry, lease, lease_time, context_id";

/** Creates the tables if needed and upgrades an older database. */
export function openSchema(db: DatabaseSync): void {
  db.exec(`PRAGMA foreign_keys=OFF;
    CREATE TABLE IF NOT EXISTS nodes (
      id INTEGER PRIMARY KEY, parent INTEGER, name TEXT NOT NULL, kind TEXT NOT NULL, length INTEGER NOT NULL,
      created INTEGER NOT NULL, modified INTEGER NOT NULL, owner TEXT NOT NULL, grp TEXT NOT NULL, acl TEXT NOT NULL,
      expiry INTEGER NOT NULL DEFAULT 0, lease TEXT, lease_time INTEGER NOT NULL DEFAULT 0, context_id TEXT NOT NULL);
    CREATE UNIQUE INDEX IF NOT EXISTS nodes_by_parent ON nodes(parent, name);
    CREATE INDEX IF NOT EXISTS nodes_by_expiry ON nodes(expiry) WHERE expiry > 0;
    CREATE TABLE IF NOT EXISTS extents (
      node INTEGER NOT NULL, seq INTEGER NOT NULL, blob TEXT NOT NULL, length INTEGER NOT NULL,
      PRIMARY KEY (node, seq)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS props (node INTEGER PRIMARY KEY, etag TEXT NOT NULL, data TEXT NOT NULL);
    CREATE TRIGGER IF NOT EXISTS props_of_removed AFTER DELETE ON nodes
      BEGIN DELETE FROM props WHERE node = old.id; END;
    CREATE TABLE IF NOT EXISTS leases (node INTEGER PRIMARY KEY, data TEXT NOT NULL);
    CREATE TRIGGER IF NOT EXISTS leases_of_removed AFTER DELETE ON nodes
      BEGIN DELETE FROM leases WHERE node = old.id; END;
    CREATE TABLE IF NOT EXISTS blocks (
      fs INTEGER NOT NULL, path TEXT NOT NULL, block_id TEXT NOT NULL, blob TEXT NOT NULL, length INTEGER NOT NULL,
      PRIMARY KEY (fs, path, block_id)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS block_paths (
      fs INTEGER NOT NULL, path TEXT NOT NULL, staged INTEGER NOT NULL, PRIMARY KEY (fs, path)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS block_paths_by_staged ON block_paths(staged);
    CREATE TABLE IF NOT EXISTS block_lists (node INTEGER PRIMARY KEY, data TEXT NOT NULL);
    CREATE TRIGGER IF NOT EXISTS block_lists_of_removed AFTER DELETE ON nodes
      BEGIN DELETE FROM block_lists WHERE node = old.id; END;`);
  const version = (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  if (version >= SCHEMA_VERSION) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    if (version < 1) repairPoisonedTimes(db);
    if (version < 2) datePendingBlocks(db);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec("COMMIT");
  } catch (err) {
    db.exec("ROLLBACK");
    throw err;
  }
}

/**
 * Emulators before version 1 stored any 16-digit SETEXPIRY or SETTIMES value; node:sqlite throws on reading an
 * integer past 2^53, which made every request of the account fail. Such times are clamped to the end of year
 * 9999 (what they meant: "very late"), so the account serves again and the files can be deleted.
 */
function repairPoisonedTimes(db: DatabaseSync): void {
  db.prepare(
    `UPDATE nodes SET created = MIN(created, ?), modified = MIN(modified, ?), expiry = MIN(expiry, ?)
     WHERE created > ? OR modified > ? OR expiry > ?`,
  ).run(...Array<number>(6).fill(MAX_TIME_MS));
}

/**
 * Version 2 keeps, per path with uncommitted blocks, when a block was last staged (`block_paths`), so that they
 * expire as the service's do. Blocks staged before the upgrade count as staged at the upgrade: their clock starts
 * then rather than at an unknown earlier time, so none is discarded on the first start of the new version.
 */
function datePendingBlocks(db: DatabaseSync): void {
  db.prepare(
    "INSERT OR IGNORE INTO block_paths (fs, path, staged) SELECT DISTINCT fs, path, ? FROM blocks",
  ).run(Date.now());
}

/** The statements of the metadata store, by name. */
export function prepareStatements(db: DatabaseSync): Record<string, StatementSync> {
  const p = (sql: string) => db.prepare(sql);
  return {
    byId: p(`SELECT ${COLUMNS} FROM nodes WHERE id = ?`),
    child: p(`SELECT ${COLUMNS} FROM nodes WHERE parent = ? AND name = ?`),
    childPage: p(
      "SELECT id, name, kind, length FROM nodes WHERE parent = ? AND name > ? ORDER BY name LIMIT ?",
    ),
    anyChildren: p("SELECT id, kind FROM nodes WHERE parent = ? LIMIT ?"),
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
    deleteNode: p("DELETE FROM nodes WHERE id = ?"),
    // Rows with a negative seq are staged (appended but not flushed) Gen2 data: see path-state.ts.
    extents: p("SELECT seq, blob, length FROM extents WHERE node = ? AND seq >= 0 ORDER BY seq"),
    lastExtent: p(
      "SELECT seq, blob, length FROM extents WHERE node = ? AND seq >= 0 ORDER BY seq DESC LIMIT 1",
    ),
    putExtent: p("INSERT OR REPLACE INTO extents (node, seq, blob, length) VALUES (?, ?, ?, ?)"),
    deleteExtents: p("DELETE FROM extents WHERE node = ?"),
    takeExtents: p("DELETE FROM extents WHERE node = ? RETURNING blob"),
    // Uncommitted Gen2 blocks (path-state.ts) hold blobs too: the orphan sweep must keep them.
    allBlobs: p("SELECT blob FROM extents UNION ALL SELECT blob FROM blocks"),
    takeBlocks: p("DELETE FROM blocks WHERE fs = ? RETURNING blob"),
    takeBlockPaths: p("DELETE FROM block_paths WHERE fs = ?"),
    expired: p("SELECT id FROM nodes WHERE expiry > 0 AND expiry <= ? LIMIT ?"),
  };
}

/** Creates the root directory of a new namespace. */
export function ensureRoot(
  db: DatabaseSync,
  id: number,
  root: { owner: string; group: string; acl: AclState },
): void {
  if (db.prepare("SELECT 1 AS x FROM nodes WHERE id = ?").get(id)) return;
  const now = Date.now();
  db.prepare(
    `INSERT INTO nodes (${COLUMNS}) VALUES (?, NULL, '', 'directory', 0, ?, ?, ?, ?, ?, 0, NULL, 0, ?)`,
  ).run(id, now, now, root.owner, root.group, JSON.stringify(root.acl), randomUUID());
}

/** Rows as arrays of column values where node:sqlite can (see ListRow). */
function asArrays(statement: StatementSync): StatementSync {
  const withArrays = statement as StatementSync & { setReturnArrays?: (on: boolean) => void };
  withArrays.setReturnArrays?.(true);
  return statement;
}
