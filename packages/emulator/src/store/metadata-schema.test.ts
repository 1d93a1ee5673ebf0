import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { openSchema } from "./metadata-schema.js";

/** The upgrade of a version-1 namespace database (before uncommitted blocks were dated) to version 2. */
describe("metadata schema upgrades", () => {
  it("version 1 -> 2: each path with uncommitted blocks gets a block_paths row dated at the upgrade", () => {
    const db = new DatabaseSync(":memory:");
    db.exec(`CREATE TABLE blocks (
      fs INTEGER NOT NULL, path TEXT NOT NULL, block_id TEXT NOT NULL, blob TEXT NOT NULL, length INTEGER NOT NULL,
      PRIMARY KEY (fs, path, block_id)) WITHOUT ROWID;
      INSERT INTO blocks VALUES (7, 'a/b.txt', 'QQ==', 'blob-1', 3), (7, 'a/b.txt', 'Qg==', 'blob-2', 4),
        (9, 'c.txt', 'QQ==', 'blob-3', 1);
      PRAGMA user_version = 1;`);
    const before = Date.now();
    openSchema(db);
    const rows = db.prepare("SELECT fs, path, staged FROM block_paths ORDER BY fs").all() as Array<{
      fs: number;
      path: string;
      staged: number;
    }>;
    expect(rows.map((r) => [r.fs, r.path])).toEqual([
      [7, "a/b.txt"],
      [9, "c.txt"],
    ]);
    for (const r of rows) expect(r.staged).toBeGreaterThanOrEqual(before);
    expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: 2 });
    // Opening it again changes nothing.
    db.exec("UPDATE block_paths SET staged = 5");
    openSchema(db);
    expect(db.prepare("SELECT COUNT(*) AS n FROM block_paths WHERE staged = 5").get()).toEqual({ n: 2 });
    db.close();
  });

  it("a new database starts at version 2 with no dated paths", () => {
    const db = new DatabaseSync(":memory:");
    openSchema(db);
    expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: 2 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM block_paths").get()).toEqual({ n: 0 });
    db.close();
  });
});
