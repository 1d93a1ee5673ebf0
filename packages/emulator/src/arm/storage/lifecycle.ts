import type { SubscriptionCall } from "../call.js";
import type { GroupRow, OperationRow } from "../models.js";
import type { Completer, Failer } from "../operations.js";
import type { ArmStore } from "../store.js";
import type { StorageProvider } from "./provider.js";
import { StorageAccounts } from "./registry.js";
import { type StorageAccountRow, StorageStore } from "./store.js";

export type { StorageProvider } from "./provider.js";

export function createStorageProvider(arm: ArmStore): StorageProvider {
  const store = new StorageStore(arm);
  return { store, registry: new StorageAccounts(store) };
}

/** The account `name` if it lives in this subscription and resource group. */
export function accountIn(
  call: SubscriptionCall,
  group: GroupRow,
  name: string,
): StorageAccountRow | undefined {
  const found = call.arm.storage.store.account(name);
  return found?.subscription === call.subscription.id && found.groupKey === group.key ? found : undefined;
}

/** Key of the operation behind a creation's `Location`/`Azure-AsyncOperation` URLs. */
export function storageLocationKey(operationId: string): string {
  return `storage:${operationId}`;
}

/** Completes a creation: the account becomes Succeeded (its endpoints and keys usable). */
export function storageCreateCompleter(storage: StorageProvider): Completer {
  return (op) => {
    const row = storage.store.account(op.target.accountKey ?? "");
    if (!row || row.operationId !== op.id) {
      const message = "The storage account was deleted before its creation completed.";
      return { status: "Canceled", error: { code: "OperationCanceled", message } };
    }
    storage.store.put({ ...row, state: "Succeeded" });
    return { status: "Succeeded" };
  };
}

/** A creation that fails (`fail-operation` fault): the account stays, provisioning state `Failed`. */
export function storageCreateFailer(storage: StorageProvider): Failer {
  return (op) => {
    const row = storage.store.account(op.target.accountKey ?? "");
    if (row && row.operationId === op.id) storage.store.put({ ...row, state: "Failed" });
  };
}

/**
 * Deletes accounts from ARM state in one transaction, canceling creations still running. The caller tells
 * the registry (`registry.deleted`) once the transaction that contains this has committed.
 */
export function deleteStorageAccounts(
  storage: StorageProvider,
  rows: readonly StorageAccountRow[],
  cancel: (op: OperationRow) => void,
  operation: (id: string) => OperationRow | undefined,
): void {
  storage.store.transaction(() => {
    for (const row of rows) {
      if (row.state === "Creating") {
        const op = operation(row.operationId);
        if (op) cancel(op);
      }
      storage.store.delete(row.key);
    }
  });
}

/**
 * A resource group deletion that also removes the group's storage accounts, in the same transaction as the
 * group itself (`inner` deletes the group and its Data Lake Store accounts), and tells the registry after.
 */
export function cascadeToStorageAccounts(
  inner: Completer,
  storage: StorageProvider,
  cancel: (op: OperationRow) => void,
  operation: (id: string) => OperationRow | undefined,
): Completer {
  return (op) => {
    const outcome = inner(op);
    if (outcome.status !== "Succeeded") return outcome;
    const rows = storage.store.accounts(op.subscription, op.target.groupKey ?? "");
    deleteStorageAccounts(storage, rows, cancel, operation);
    const names = rows.map((r) => r.name);
    return {
      ...outcome,
      afterCommit: () => {
        outcome.afterCommit?.();
        storage.registry.deleted(names);
      },
    };
  };
}
