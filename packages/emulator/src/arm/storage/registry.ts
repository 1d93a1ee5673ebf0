import type { StorageStore } from "./store.js";

/** What the Gen2 data plane (DFS and Blob endpoints) needs to know about one storage account. */
export interface StorageAccountInfo {
  /** Lower-case account name, as in host names and Shared Key signatures. */
  readonly name: string;
  readonly subscription: string;
  /** The tenant owning the subscription: bearer tokens for the account must come from it. */
  readonly tenant: string;
  /** The current keys (base64 of 64 bytes each) for Shared Key and SAS signatures. Never log them. */
  readonly keys: { readonly key1: string; readonly key2: string };
  readonly isHnsEnabled: boolean;
  /** `properties.allowSharedKeyAccess`: when false, Shared Key and key-signed SAS are refused (absent = true). */
  readonly allowSharedKeyAccess: boolean;
  /** Object id of the principal that created the account: the superuser of its ACLs (like Storage Blob Data Owner). */
  readonly owner: string;
}

/**
 * The storage accounts as the Gen2 data plane sees them, served by Resource Manager (createArmHandler returns
 * it). `lookup` reads the database on every call, so a regenerated key or a deletion takes effect at once;
 * `onDeleted` lets the data plane drop an account's data once its deletion (of the account or of its
 * resource group) has been committed.
 */
export interface StorageAccountRegistry {
  /** A provisioned account (creation finished) by name, case-insensitively; undefined otherwise. */
  lookup(name: string): StorageAccountInfo | undefined;
  /** The provisioned accounts' names, lower-case, in name order. */
  names(): string[];
  /** Calls `listener` with the lower-case name of every account deleted from now on; returns the unsubscribe. */
  onDeleted(listener: (name: string) => void): () => void;
}

export class StorageAccounts implements StorageAccountRegistry {
  readonly #store: StorageStore;
  readonly #listeners = new Set<(name: string) => void>();

  constructor(store: StorageStore) {
    this.#store = store;
  }

  lookup(name: string): StorageAccountInfo | undefined {
    const row = this.#store.account(name);
    if (row?.state !== "Succeeded") return undefined;
    return {
      name: row.key,
      subscription: row.subscription,
      tenant: row.tenant,
      keys: { key1: row.keys.key1, key2: row.keys.key2 },
      isHnsEnabled: row.properties.isHnsEnabled === true,
      allowSharedKeyAccess: row.properties.allowSharedKeyAccess !== false,
      owner: row.creator,
    };
  }

  names(): string[] {
    return this.#store.provisionedNames();
  }

  onDeleted(listener: (name: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Tells the listeners about committed deletions. Never throws: the account is already gone from ARM, so a
   * listener's failure (data left on disk) must not turn the ARM call into an error. Returns what failed.
   */
  deleted(names: readonly string[]): string[] {
    const failures: string[] = [];
    for (const name of names) {
      for (const listener of this.#listeners) {
        try {
          listener(name.toLowerCase());
        } catch (err) {
          failures.push(`dropping the data of storage account '${name}' failed: ${(err as Error).message}`);
        }
      }
    }
    return failures;
  }
}
