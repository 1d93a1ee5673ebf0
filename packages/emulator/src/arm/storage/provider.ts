import type { StorageAccounts } from "./registry.js";
import type { StorageStore } from "./store.js";

/**
 * The Microsoft.Storage provider's state: its table in arm.db and the registry the data plane reads. A leaf
 * module, so that the ARM call context can name it without importing the provider's handlers (which import the
 * call context back).
 */
export interface StorageProvider {
  readonly store: StorageStore;
  readonly registry: StorageAccounts;
}
