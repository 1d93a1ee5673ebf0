import type { StatementSync } from "node:sqlite";
import type { ArmStore } from "../store.js";
import type { AccountSettings, Kind, SkuName } from "./model.js";

/** The two account keys: 64 random bytes each, base64, with when each was (re)generated. */
export interface AccountKeys {
  key1: string;
  key2: string;
  key1CreatedAt: string;
  key2CreatedAt: string;
}

export interface StorageAccountRow extends AccountSettings {
  /** Lower-case name: the global key (account names are DNS labels, unique across subscriptions). */
  key: string;
  /** As spelled at creation. */
  name: string;
  subscription: string;
  groupKey: string;
  state: "Creating" | "Succeeded" | "Failed";
  /** The tenant that owns the subscription. */
  tenant: string;
  /** Object id of the principal that created the account: the superuser of its filesystems. */
  creator: string;
  keys: AccountKeys;
  /** The creation's long-running operation. */
  operationId: string;
  createdAt: string;
}

type Row = Record<string, string | number | null>;

/**
 * Storage accounts in the ARM database (DIR/arm.db), beside resource groups, so that a group deletion removes
 * them in the same transaction. Keys live here and nowhere else on disk.
 */
export class StorageStore {
  readonly #arm: ArmStore;
  readonly #byName: StatementSync;

  constructor(arm: ArmStore) {
    this.#arm = arm;
    const db = arm.database;
    db.exec(`CREATE TABLE IF NOT EXISTS storage_accounts (key TEXT PRIMARY KEY, name TEXT NOT NULL,
        subscription TEXT NOT NULL, group_key TEXT NOT NULL, location TEXT NOT NULL, kind TEXT NOT NULL,
        sku TEXT NOT NULL, tags TEXT NOT NULL, identity TEXT, properties TEXT NOT NULL, state TEXT NOT NULL,
        extra TEXT NOT NULL, tenant TEXT NOT NULL, creator TEXT NOT NULL, keys TEXT NOT NULL,
        operation_id TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS storage_accounts_by_group ON storage_accounts (subscription, group_key);`);
    // Prepared once: the data plane looks an account up on every request.
    this.#byName = db.prepare("SELECT * FROM storage_accounts WHERE key = ?");
  }

  account(name: string): StorageAccountRow | undefined {
    const row = this.#byName.get(name.toLowerCase()) as Row | undefined;
    return row ? toRow(row) : undefined;
  }

  /** Accounts of a subscription, or of one of its resource groups, ordered by name. */
  accounts(subscription: string, groupKey?: string): StorageAccountRow[] {
    const db = this.#arm.database;
    const rows = groupKey
      ? db
          .prepare("SELECT * FROM storage_accounts WHERE subscription = ? AND group_key = ? ORDER BY key")
          .all(subscription, groupKey)
      : db.prepare("SELECT * FROM storage_accounts WHERE subscription = ? ORDER BY key").all(subscription);
    return (rows as Row[]).map(toRow);
  }

  /** Names (lower-case) of the accounts whose creation finished, in every subscription. */
  provisionedNames(): string[] {
    const rows = this.#arm.database
      .prepare("SELECT key FROM storage_accounts WHERE state = 'Succeeded' ORDER BY key")
      .all() as Array<{ key: string }>;
    return rows.map((row) => row.key);
  }

  put(a: StorageAccountRow): void {
    this.#arm.database
      .prepare(
        `INSERT OR REPLACE INTO storage_accounts (key, name, subscription, group_key, location, kind, sku, tags,
          identity, properties, extra, state, tenant, creator, keys, operation_id, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.key,
        a.name,
        a.subscription,
        a.groupKey,
        a.location,
        a.kind,
        a.sku,
        JSON.stringify(a.tags),
        a.identity ? JSON.stringify(a.identity) : null,
        JSON.stringify(a.properties),
        JSON.stringify(a.extra),
        a.state,
        a.tenant,
        a.creator,
        JSON.stringify(a.keys),
        a.operationId,
        a.createdAt,
      );
  }

  delete(key: string): void {
    this.#arm.database.prepare("DELETE FROM storage_accounts WHERE key = ?").run(key);
  }

  transaction<T>(fn: () => T): T {
    return this.#arm.transaction(fn);
  }
}

function toRow(r: Row): StorageAccountRow {
  return {
    key: String(r.key),
    name: String(r.name),
    subscription: String(r.subscription),
    groupKey: String(r.group_key),
    location: String(r.location),
    kind: String(r.kind) as Kind,
    sku: String(r.sku) as SkuName,
    tags: JSON.parse(String(r.tags)),
    identity: r.identity === null ? null : JSON.parse(String(r.identity)),
    properties: JSON.parse(String(r.properties)),
    extra: JSON.parse(String(r.extra)),
    state: r.state as StorageAccountRow["state"],
    tenant: String(r.tenant),
    creator: String(r.creator),
    keys: JSON.parse(String(r.keys)),
    operationId: String(r.operation_id),
    createdAt: String(r.created_at),
  };
}
