import path from "node:path";
import { DatabaseSync } from "node:sqlite";

/**
 * Test set-up below the HTTP layer: adds many entries to an account's namespace with one SQL statement, so a
 * test can build trees of hundreds of thousands of entries in a second instead of as many requests. The rows
 * copy owner, group and ACL from an entry made through the API (`template`), so they are what the emulator
 * itself would have written. Call it only while no request is running.
 */
export function addEntries(
  dataDir: string,
  account: string,
  options: {
    /** The directory that receives the entries, e.g. "/big/d7". */
    parent: string;
    /** An existing entry of the kind to add, whose owner, group and ACL the new entries get. */
    template: string;
    kind: "file" | "directory";
    count: number;
    /** Names are `{prefix}{i}`. */
    prefix?: string;
  },
): void {
  const db = new DatabaseSync(path.join(dataDir, "fs", account, "metadata.db"));
  try {
    db.exec("PRAGMA busy_timeout=5000");
    const template = db
      .prepare("SELECT owner, grp, acl FROM nodes WHERE id = ?")
      .get(idOf(db, options.template)) as { owner: string; grp: string; acl: string };
    const now = Date.now();
    db.exec("BEGIN IMMEDIATE");
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
       INSERT INTO nodes (parent, name, kind, length, created, modified, owner, grp, acl, expiry, lease, lease_time, context_id)
       SELECT ?, ? || i, ?, 0, ?, ?, ?, ?, ?, 0, NULL, 0, lower(hex(randomblob(16))) FROM n`,
    ).run(
      options.count,
      idOf(db, options.parent),
      options.prefix ?? (options.kind === "file" ? "f" : "d"),
      options.kind,
      now,
      now,
      template.owner,
      template.grp,
      template.acl,
    );
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

/** The node id of an absolute path (the root is the one node without a parent). */
function idOf(db: DatabaseSync, p: string): number {
  let id = (db.prepare("SELECT id FROM nodes WHERE parent IS NULL AND name = ''").get() as { id: number }).id;
  for (const name of p.split("/").filter((s) => s !== "")) {
    const row = db.prepare("SELECT id FROM nodes WHERE parent = ? AND name = ?").get(id, name) as
      | { id: number }
      | undefined;
    if (!row) throw new Error(`addEntries: ${p} does not exist`);
    id = row.id;
  }
  return id;
}
