import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

import type { AccountRow, GroupRow, OperationRow, RuleKind, RuleRow } from "./models.js";

type Row = Record<string, string | number | null>;
const json = (value: unknown) => JSON.stringify(value);
const parse = <T>(text: unknown): T => JSON.parse(String(text)) as T;

/**
 * Resource Manager state in DIR/arm.db (WAL, synchronous FULL): provider registrations, resource groups,
 * accounts, their rules and long-running-operation records. Every call is synchronous, so one request's
 * changes cannot interleave with another's; multi-row changes go through `transaction()`.
 */
export class ArmStore {
  readonly #db: DatabaseSync;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new DatabaseSync(path.join(dataDir, "arm.db"));
    this.#db.exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
      CREATE TABLE IF NOT EXISTS providers (subscription TEXT NOT NULL, namespace TEXT NOT NULL, state TEXT NOT NULL,
        PRIMARY KEY (subscription, namespace));
      CREATE TABLE IF NOT EXISTS resource_groups (subscription TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL,
        location TEXT NOT NULL, tags TEXT NOT NULL, managed_by TEXT, state TEXT NOT NULL, PRIMARY KEY (subscription, key));
      CREATE TABLE IF NOT EXISTS accounts (key TEXT PRIMARY KEY, name TEXT NOT NULL, subscription TEXT NOT NULL,
        group_key TEXT NOT NULL, location TEXT NOT NULL, tags TEXT NOT NULL, identity TEXT, settings TEXT NOT NULL,
        state TEXT NOT NULL, account_id TEXT NOT NULL, creator TEXT NOT NULL, created_at TEXT, modified_at TEXT);
      CREATE INDEX IF NOT EXISTS accounts_by_group ON accounts (subscription, group_key);
      CREATE TABLE IF NOT EXISTS rules (account_key TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL,
        properties TEXT NOT NULL, PRIMARY KEY (account_key, kind, key));
      CREATE TABLE IF NOT EXISTS operations (id TEXT PRIMARY KEY, subscription TEXT NOT NULL, kind TEXT NOT NULL,
        location_key TEXT NOT NULL, target TEXT NOT NULL, status TEXT NOT NULL, polls_remaining INTEGER NOT NULL,
        deadline INTEGER NOT NULL, error TEXT, started_at TEXT NOT NULL, ended_at TEXT, seq INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS operations_by_location ON operations (location_key, seq);`);
    // Added after the first release: databases written before it get the column here.
    const columns = this.#db.prepare("PRAGMA table_info(operations)").all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === "fail_with"))
      this.#db.exec("ALTER TABLE operations ADD COLUMN fail_with TEXT");
  }

  /** The database, for providers that keep their own tables in arm.db (storage/) and share its transactions. */
  get database(): DatabaseSync {
    return this.#db;
  }

  /** Runs `fn` atomically: all of it reaches the disk, or none of it. Nested calls join the outer one. */
  transaction<T>(fn: () => T): T {
    if (this.#db.isTransaction) return fn();
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      return result;
    } catch (err) {
      this.#db.exec("ROLLBACK");
      throw err;
    }
  }

  // --- provider registrations ---

  providerState(subscription: string, namespace: string): string | undefined {
    const row = this.#db
      .prepare("SELECT state FROM providers WHERE subscription = ? AND namespace = ?")
      .get(subscription.toLowerCase(), namespace.toLowerCase()) as Row | undefined;
    return row ? String(row.state) : undefined;
  }

  setProviderState(subscription: string, namespace: string, state: string): void {
    this.#db
      .prepare("INSERT OR REPLACE INTO providers (subscription, namespace, state) VALUES (?, ?, ?)")
      .run(subscription.toLowerCase(), namespace.toLowerCase(), state);
  }

  // --- resource groups ---

  group(subscription: string, name: string): GroupRow | undefined {
    const row = this.#db
      .prepare("SELECT * FROM resource_groups WHERE subscription = ? AND key = ?")
      .get(subscription.toLowerCase(), name.toLowerCase()) as Row | undefined;
    return row ? toGroup(row) : undefined;
  }

  groups(subscription: string): GroupRow[] {
    const rows = this.#db
      .prepare("SELECT * FROM resource_groups WHERE subscription = ? ORDER BY key")
      .all(subscription.toLowerCase());
    return (rows as Row[]).map(toGroup);
  }

  putGroup(g: GroupRow): void {
    this.#db
      .prepare(
        "INSERT OR REPLACE INTO resource_groups (subscription, key, name, location, tags, managed_by, state) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(g.subscription, g.key, g.name, g.location, json(g.tags), g.managedBy, g.state);
  }

  deleteGroup(subscription: string, key: string): void {
    this.#db.prepare("DELETE FROM resource_groups WHERE subscription = ? AND key = ?").run(subscription, key);
  }

  // --- accounts ---

  account(name: string): AccountRow | undefined {
    const row = this.#db.prepare("SELECT * FROM accounts WHERE key = ?").get(name.toLowerCase()) as
      | Row
      | undefined;
    return row ? toAccount(row) : undefined;
  }

  /** Accounts of a subscription, or of one of its resource groups, ordered by name. */
  accounts(subscription: string, groupKey?: string): AccountRow[] {
    const rows = groupKey
      ? this.#db
          .prepare("SELECT * FROM accounts WHERE subscription = ? AND group_key = ? ORDER BY key")
          .all(subscription, groupKey)
      : this.#db.prepare("SELECT * FROM accounts WHERE subscription = ? ORDER BY key").all(subscription);
    return (rows as Row[]).map(toAccount);
  }

  allAccounts(): AccountRow[] {
    return (this.#db.prepare("SELECT * FROM accounts ORDER BY key").all() as Row[]).map(toAccount);
  }

  putAccount(a: AccountRow): void {
    this.#db
      .prepare(
        `INSERT OR REPLACE INTO accounts (key, name, subscription, group_key, location, tags, identity, settings, state,
          account_id, creator, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.key,
        a.name,
        a.subscription,
        a.groupKey,
        a.location,
        json(a.tags),
        a.identity ? json(a.identity) : null,
        json(a.settings),
        a.state,
        a.accountId,
        a.creator,
        a.createdAt,
        a.modifiedAt,
      );
  }

  /** Deletes an account with its rules. */
  deleteAccount(key: string): void {
    this.#db.prepare("DELETE FROM rules WHERE account_key = ?").run(key);
    this.#db.prepare("DELETE FROM accounts WHERE key = ?").run(key);
  }

  // --- rules (firewall, virtual network, trusted identity providers) ---

  rules(accountKey: string, kind: RuleKind): RuleRow[] {
    const rows = this.#db
      .prepare("SELECT * FROM rules WHERE account_key = ? AND kind = ? ORDER BY key")
      .all(accountKey, kind);
    return (rows as Row[]).map(toRule);
  }

  rule(accountKey: string, kind: RuleKind, name: string): RuleRow | undefined {
    const row = this.#db
      .prepare("SELECT * FROM rules WHERE account_key = ? AND kind = ? AND key = ?")
      .get(accountKey, kind, name.toLowerCase()) as Row | undefined;
    return row ? toRule(row) : undefined;
  }

  putRule(r: RuleRow): void {
    this.#db
      .prepare(
        "INSERT OR REPLACE INTO rules (account_key, kind, key, name, properties) VALUES (?, ?, ?, ?, ?)",
      )
      .run(r.accountKey, r.kind, r.key, r.name, json(r.properties));
  }

  deleteRule(accountKey: string, kind: RuleKind, key: string): boolean {
    return (
      this.#db
        .prepare("DELETE FROM rules WHERE account_key = ? AND kind = ? AND key = ?")
        .run(accountKey, kind, key).changes > 0
    );
  }

  deleteRules(accountKey: string, kind: RuleKind): void {
    this.#db.prepare("DELETE FROM rules WHERE account_key = ? AND kind = ?").run(accountKey, kind);
  }

  // --- long-running operations ---

  insertOperation(op: OperationRow): void {
    this.#db
      .prepare(
        `INSERT INTO operations (id, subscription, kind, location_key, target, status, polls_remaining, deadline, error,
          fail_with, started_at, ended_at, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM operations))`,
      )
      .run(
        op.id,
        op.subscription,
        op.kind,
        op.locationKey,
        json(op.target),
        op.status,
        op.pollsRemaining,
        op.deadline,
        op.error ? json(op.error) : null,
        op.failWith ? json(op.failWith) : null,
        op.startedAt,
        op.endedAt,
      );
  }

  updateOperation(op: OperationRow): void {
    this.#db
      .prepare("UPDATE operations SET status = ?, polls_remaining = ?, error = ?, ended_at = ? WHERE id = ?")
      .run(op.status, op.pollsRemaining, op.error ? json(op.error) : null, op.endedAt, op.id);
  }

  operation(id: string): OperationRow | undefined {
    const row = this.#db.prepare("SELECT * FROM operations WHERE id = ?").get(id) as Row | undefined;
    return row ? toOperation(row) : undefined;
  }

  /** The newest operation behind a `Location` URL. */
  operationByLocation(locationKey: string): OperationRow | undefined {
    const row = this.#db
      .prepare("SELECT * FROM operations WHERE location_key = ? ORDER BY seq DESC LIMIT 1")
      .get(locationKey) as Row | undefined;
    return row ? toOperation(row) : undefined;
  }

  /** Running operations whose deadline has passed, oldest first. */
  dueOperations(now: number): OperationRow[] {
    const rows = this.#db
      .prepare("SELECT * FROM operations WHERE status = 'InProgress' AND deadline <= ? ORDER BY seq")
      .all(now);
    return (rows as Row[]).map(toOperation);
  }

  runningOperations(kind: OperationRow["kind"]): OperationRow[] {
    const rows = this.#db
      .prepare("SELECT * FROM operations WHERE status = 'InProgress' AND kind = ? ORDER BY seq")
      .all(kind);
    return (rows as Row[]).map(toOperation);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

function toGroup(r: Row): GroupRow {
  return {
    subscription: String(r.subscription),
    key: String(r.key),
    name: String(r.name),
    location: String(r.location),
    tags: parse(r.tags),
    managedBy: r.managed_by === null ? null : String(r.managed_by),
    state: r.state as GroupRow["state"],
  };
}

function toAccount(r: Row): AccountRow {
  return {
    key: String(r.key),
    name: String(r.name),
    subscription: String(r.subscription),
    groupKey: String(r.group_key),
    location: String(r.location),
    tags: parse(r.tags),
    identity: r.identity === null ? null : parse(r.identity),
    settings: parse(r.settings),
    state: r.state as AccountRow["state"],
    accountId: String(r.account_id),
    creator: String(r.creator),
    createdAt: r.created_at === null ? null : String(r.created_at),
    modifiedAt: r.modified_at === null ? null : String(r.modified_at),
  };
}

function toRule(r: Row): RuleRow {
  return {
    accountKey: String(r.account_key),
    kind: r.kind as RuleKind,
    key: String(r.key),
    name: String(r.name),
    properties: parse(r.properties),
  };
}

function toOperation(r: Row): OperationRow {
  return {
    id: String(r.id),
    subscription: String(r.subscription),
    kind: r.kind as OperationRow["kind"],
    locationKey: String(r.location_key),
    target: parse(r.target),
    status: r.status as OperationRow["status"],
    pollsRemaining: Number(r.polls_remaining),
    deadline: Number(r.deadline),
    error: r.error === null ? null : parse(r.error),
    failWith: r.fail_with === null || r.fail_with === undefined ? null : parse(r.fail_with),
    startedAt: String(r.started_at),
    endedAt: r.ended_at === null ? null : String(r.ended_at),
  };
}
