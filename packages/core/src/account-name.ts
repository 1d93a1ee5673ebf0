import { InvalidArgumentError } from "./errors/invalid-argument-error.js";

/**
 * Data Lake Store account names, the one rule for every package: 3-24 lowercase letters and digits, because the
 * name becomes a DNS label (`{account}.azuredatalakestore.net`) and Resource Manager refuses anything else.
 */
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

/** Returns `value` if it is a valid account name; otherwise throws InvalidArgumentError naming `argument`. */
export function checkAccountName(value: unknown, argument: string, source?: string): string {
  if (typeof value === "string" && ACCOUNT_NAME.test(value)) return value;
  throw new InvalidArgumentError(
    argument,
    `${typeof value === "string" ? `'${value.length > 40 ? `${value.slice(0, 37)}…` : value}'` : String(value)} is not a valid Data Lake Store account name: use 3-24 lowercase letters and digits (it becomes a DNS name).`,
    { source },
  );
}
