import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { AccountRecord } from "../accounts.js";
import { newItemAcl } from "./acl.js";
import { BlobStore } from "./blob-store.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { MetadataStore } from "./metadata-store.js";
import { TrashReaper } from "./trash-reaper.js";

/** The owner of a root whose account has no recorded creator. */
export const NOBODY = "00000000-0000-0000-0000-000000000000";

/** Everything one account's filesystem keeps: its namespace, its bytes and the per-file write locks. */
export interface AccountStore {
  readonly account: string;
  readonly meta: MetadataStore;
  readonly blobs: BlobStore;
  readonly locks: KeyedMutex<number>;
  readonly reaper: TrashReaper;
  /** Set when the account was deleted: requests still running on it find its data gone. */
  dropped: boolean;
}

const SAFE_ACCOUNT = /^[a-z0-9]{1,64}$/;

/** Opens account stores on first use under `DIR/fs/{account}/` and deletes them when the account goes. */
export class AccountStores {
  readonly #root: string;
  readonly #open = new Map<string, AccountStore>();

  constructor(root: string) {
    this.#root = root;
  }

  /** `account`: a Gen1 account record, or anything with a name and the owner of its root (Gen2). */
  get(account: Pick<AccountRecord, "name" | "ownerObjectId">): AccountStore {
    const existing = this.#open.get(account.name);
    if (existing) return existing;
    if (!SAFE_ACCOUNT.test(account.name))
      throw new Error(`refusing to store data for account name '${account.name}'`);
    const dir = path.join(this.#root, account.name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const owner = account.ownerObjectId ?? NOBODY;
    const meta = new MetadataStore(path.join(dir, "metadata.db"), {
      owner,
      group: owner,
      acl: newItemAcl(undefined, "directory"),
    });
    const blobs = new BlobStore(path.join(dir, "blobs"));
    blobs.sweepOrphans(meta.allBlobs());
    const store: AccountStore = {
      account: account.name,
      meta,
      blobs,
      locks: new KeyedMutex(),
      reaper: new TrashReaper(meta, blobs),
      dropped: false,
    };
    this.#open.set(account.name, store);
    return store;
  }

  /** Closes and deletes an account's data (the account was removed). */
  drop(name: string): void {
    const store = this.#open.get(name);
    if (store) {
      store.dropped = true;
      store.meta.close();
      void store.blobs.close();
    }
    this.#open.delete(name);
    if (SAFE_ACCOUNT.test(name)) rmSync(path.join(this.#root, name), { recursive: true, force: true });
  }

  close(): void {
    for (const store of this.#open.values()) {
      store.meta.close();
      void store.blobs.close(); // the writers kept open between APPENDs; everything they wrote is synced
    }
    this.#open.clear();
  }
}
