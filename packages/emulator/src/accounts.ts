import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";

export interface AccountRecord {
  /** Lower-case account name, 3-24 letters and digits. */
  name: string;
  /** Object id of the principal that owns the account root (the creator); super-user on this account. */
  ownerObjectId: string | null;
  /** Where the account came from: the emulator config, or Resource Manager. */
  source: "config" | "arm";
  /**
   * The subscription the account belongs to (config accounts: the default one); its tenant is the account's, and
   * only that tenant's tokens are accepted by the filesystem. Null only for a record written before subscriptions
   * were kept, until the next start fills it in.
   */
  subscription: string | null;
  createdAt: string;
}

type Row = {
  name: string;
  owner: string | null;
  source: "config" | "arm";
  subscription: string | null;
  created_at: string;
};

/**
 * The Data Lake accounts whose filesystem endpoints are alive. Resource Manager adds and removes accounts;
 * the filesystem asks it whether an account exists. Kept in SQLite so it survives restarts.
 */
export class AccountDirectory {
  readonly #db: DatabaseSync;
  readonly #select: StatementSync;
  readonly #listeners = new Set<(event: { type: "removed"; name: string }) => void>();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new DatabaseSync(path.join(dataDir, "accounts.db"));
    this.#db.exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
      CREATE TABLE IF NOT EXISTS accounts (
        name TEXT PRIMARY KEY, owner TEXT, source TEXT NOT NULL, created_at TEXT NOT NULL)`);
    // Added after the first release: databases written before it get the column here (filled in at start).
    const columns = this.#db.prepare("PRAGMA table_info(accounts)").all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === "subscription"))
      this.#db.exec("ALTER TABLE accounts ADD COLUMN subscription TEXT");
    // Prepared once: every filesystem request looks its account up.
    this.#select = this.#db.prepare(
      "SELECT name, owner, source, subscription, created_at FROM accounts WHERE name = ?",
    );
  }

  get(name: string): AccountRecord | undefined {
    const row = this.#select.get(name.toLowerCase()) as Row | undefined;
    return row
      ? {
          name: row.name,
          ownerObjectId: row.owner,
          source: row.source,
          subscription: row.subscription,
          createdAt: row.created_at,
        }
      : undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  list(): AccountRecord[] {
    return (this.#db.prepare("SELECT name FROM accounts ORDER BY name").all() as Array<{ name: string }>).map(
      (row) => this.get(row.name)!,
    );
  }

  /**
   * Adds an account of `subscription` (idempotent: an existing record keeps its owner; one written before
   * subscriptions were kept gets this one).
   */
  add(
    name: string,
    source: AccountRecord["source"],
    ownerObjectId: string | null,
    subscription: string,
  ): AccountRecord {
    const key = name.toLowerCase();
    this.#db
      .prepare(
        "INSERT OR IGNORE INTO accounts (name, owner, source, subscription, created_at) VALUES (?, ?, ?, ?, ?)",
      )
      .run(key, ownerObjectId, source, subscription.toLowerCase(), new Date().toISOString());
    this.#db
      .prepare("UPDATE accounts SET subscription = ? WHERE name = ? AND subscription IS NULL")
      .run(subscription.toLowerCase(), key);
    return this.get(name)!;
  }

  /** Removes an account; listeners (the filesystem store) then drop its data. */
  remove(name: string): boolean {
    const result = this.#db.prepare("DELETE FROM accounts WHERE name = ?").run(name.toLowerCase());
    if (result.changes > 0)
      for (const listener of this.#listeners) listener({ type: "removed", name: name.toLowerCase() });
    return result.changes > 0;
  }

  onChange(listener: (event: { type: "removed"; name: string }) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#db.close();
  }
}
