import { inspect } from "node:util";
import { AdlkitError, REDACTED } from "@adlkit/core";
import type { StorageAccountKeyName } from "./storage-account.js";

/**
 * One access key of a storage account. The key grants full control of the account's data, so it is readable
 * only by asking for it (`key.value`): it lives in a private field, and printing, logging, `JSON.stringify`,
 * `String()` or spreading the object never shows it. To store or pass a key on, take `key.value` explicitly.
 */
export class StorageAccountKey {
  readonly keyName: StorageAccountKeyName | (string & {});
  /** `Full` or `Read`; the service spells it in capitals at times, which is normalised here. */
  readonly permissions: "Full" | "Read" | (string & {});
  /** When the key was (re)generated, ISO-8601; undefined if the service did not say. */
  readonly creationTime: string | undefined;
  readonly #value: string;

  constructor(keyName: string, value: string, permissions: string, creationTime: string | undefined) {
    this.keyName = keyName;
    this.#value = value;
    this.permissions = normalisePermissions(permissions);
    this.creationTime = creationTime;
  }

  /** The key itself (base64): a secret, for Shared Key signing or a connection string. */
  get value(): string {
    return this.#value;
  }

  toJSON(): Record<string, unknown> {
    return {
      keyName: this.keyName,
      permissions: this.permissions,
      creationTime: this.creationTime,
      value: REDACTED,
    };
  }

  toString(): string {
    return `StorageAccountKey ${this.keyName} (${this.permissions}; value not shown, read .value)`;
  }

  [inspect.custom](): string {
    return `StorageAccountKey { keyName: '${this.keyName}', permissions: '${this.permissions}', creationTime: ${this.creationTime === undefined ? "undefined" : `'${this.creationTime}'`}, value: [${REDACTED}] }`;
  }
}

/** What listKeys and regenerateKey return: the account's keys, key1 and key2 first. */
export interface StorageAccountKeys {
  keys: StorageAccountKey[];
}

function normalisePermissions(value: string): string {
  const lower = value.toLowerCase();
  return lower === "full" ? "Full" : lower === "read" ? "Read" : value;
}

/**
 * The keys of a listKeys/regenerateKey body. A body of another shape is an error that quotes none of it (it may
 * hold keys); an entry without a name or value is too, rather than a key that is silently empty.
 */
export function keysFromBody(body: unknown, operation: string): StorageAccountKeys {
  const list = (body as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(list)) throw invalidKeys(operation, "has no keys array");
  return {
    keys: list.map((entry, i) => {
      const k = (entry ?? {}) as Record<string, unknown>;
      if (typeof k.keyName !== "string" || typeof k.value !== "string" || !k.value)
        throw invalidKeys(operation, `has an entry ${i} without keyName or value`);
      return new StorageAccountKey(
        k.keyName,
        k.value,
        typeof k.permissions === "string" ? k.permissions : "",
        typeof k.creationTime === "string" ? k.creationTime : undefined,
      );
    }),
  };
}

function invalidKeys(operation: string, problem: string): AdlkitError {
  return new AdlkitError(
    `${operation}: Resource Manager's answer ${problem} (its body is not shown: it may hold keys).`,
    {
      code: "INVALID_RESPONSE",
    },
  );
}
