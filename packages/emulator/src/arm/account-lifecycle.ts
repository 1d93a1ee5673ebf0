import type { EmulatorServices } from "../http/context.js";
import { armTimestamp } from "./call.js";
import type { AccountRow, OperationRow } from "./models.js";
import type { Completer, Failer } from "./operations.js";
import type { ArmStore } from "./store.js";

/**
 * Where an account's life touches the rest of the emulator: the global name index, and the filesystem
 * directory (services.accounts), which gets an account when its creation completes and loses it when the
 * account or its resource group is deleted. Directory changes happen after the ARM change has committed.
 */

/** Key of the operation behind an account's `.../operationresults/{n}` Location URL. */
export function accountLocationKey(
  subscription: string,
  groupKey: string,
  accountKey: string,
  n: string,
): string {
  return `account:${subscription}/${groupKey}/${accountKey}/${n}`;
}

/** Why `name` cannot be used for a new account, or undefined when it is free (global across the emulator). */
export function nameTakenBy(store: ArmStore, services: EmulatorServices, name: string): string | undefined {
  if (store.account(name)) return "";
  const directory = services.accounts.get(name);
  if (!directory) return undefined;
  return directory.source === "config" ? " (it is configured in the emulator, outside Resource Manager)" : "";
}

/** Deletes accounts and their rules from ARM state, canceling creations still running. */
export function deleteAccounts(
  store: ArmStore,
  rows: AccountRow[],
  cancel: (op: OperationRow) => void,
): void {
  store.transaction(() => {
    for (const row of rows) {
      if (row.state === "Creating") {
        const op = store.operation(`${row.accountId}_0`);
        if (op) cancel(op);
      }
      store.deleteAccount(row.key);
    }
  });
}

/**
 * Takes deleted accounts out of the filesystem directory (which drops their data). Never throws: the
 * directory entry is gone before the filesystem cleans up, so a cleanup failure leaves bytes on disk but
 * no live account, and must not turn the ARM call that caused it into an error. Returns what failed.
 */
export function retireFilesystems(services: EmulatorServices, names: string[]): string[] {
  const failures: string[] = [];
  for (const name of names) {
    try {
      if (services.accounts.get(name)?.source === "arm") services.accounts.remove(name);
    } catch (err) {
      failures.push(`removing the filesystem of account '${name}' failed: ${(err as Error).message}`);
    }
  }
  return failures;
}

/** Completes an account creation: the account becomes Succeeded and, after commit, its filesystem goes live. */
export function accountCreateCompleter(store: ArmStore, services: EmulatorServices): Completer {
  return (op) => {
    const row = store.account(op.target.accountKey ?? "");
    if (!row || row.accountId !== op.target.accountId) {
      const message = "The account was deleted before its creation completed.";
      return { status: "Canceled", error: { code: "OperationCanceled", message } };
    }
    if (services.accounts.get(row.name)?.source === "config") {
      store.putAccount({ ...row, state: "Failed" });
      const message = `An account named '${row.name}' already exists (it is configured in the emulator, outside Resource Manager).`;
      return { status: "Failed", error: { code: "Conflict", message } };
    }
    const now = armTimestamp();
    store.putAccount({ ...row, state: "Succeeded", createdAt: now, modifiedAt: now });
    return {
      status: "Succeeded",
      afterCommit: () => services.accounts.add(row.name, "arm", row.creator, row.subscription),
    };
  };
}

/** An account creation that fails: the account stays, in provisioning state `Failed` (delete it to retry). */
export function accountCreateFailer(store: ArmStore): Failer {
  return (op) => {
    const row = store.account(op.target.accountKey ?? "");
    if (row && row.accountId === op.target.accountId) store.putAccount({ ...row, state: "Failed" });
  };
}
