import { InvalidArgumentError } from "./errors/invalid-argument-error.js";

/**
 * Account names, the one rule for every package and both generations: 3-24 lowercase letters and digits, because
 * the name becomes a DNS label (`{account}.azuredatalakestore.net`, `{account}.dfs.core.windows.net`) and
 * Resource Manager refuses anything else, for Data Lake Store and storage accounts alike.
 */
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

/** What an account name names, for the message: the rule is the same, the noun is the user's. */
export type AccountKind = "Data Lake Store" | "storage";

/** Returns `value` if it is a valid account name; otherwise throws InvalidArgumentError naming `argument`. */
export function checkAccountName(
  value: unknown,
  argument: string,
  source?: string,
  kind: AccountKind = "Data Lake Store",
): string {
  if (typeof value === "string" && ACCOUNT_NAME.test(value)) return value;
  throw new InvalidArgumentError(
    argument,
    `${typeof value === "string" ? `'${value.length > 40 ? `${value.slice(0, 37)}…` : value}'` : String(value)} is not a valid ${kind} account name: use 3-24 lowercase letters and digits (it becomes a DNS name).`,
    { source },
  );
}
