import { ArmError, resourceNotFound } from "../arm-error.js";
import { shownValue } from "../validation.js";
import { OLDEST_STORAGE_API_VERSION, STORAGE_ACCOUNT_TYPE, TESTED_STORAGE_API_VERSIONS } from "./catalog.js";

/**
 * The errors of the Microsoft.Storage provider. Codes and messages are the service's where they are on
 * record (AccountNameInvalid, StorageAccountAlreadyTaken, InvalidRequestPropertyValue, ResourceNotFound);
 * the others use ARM's generic codes. No message ever carries a key, or a value that could be one.
 */

export const unsupportedStorageApiVersion = (version: string) =>
  new ArmError(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for API version '${version}' for type 'storageAccounts'. ` +
      `adl-emulator serves Microsoft.Storage api-versions from '${OLDEST_STORAGE_API_VERSION}' to today ` +
      `(the SDKs send e.g. '${TESTED_STORAGE_API_VERSIONS.join("', '")}').`,
  );

const NAME_RULE =
  "Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.";

/** The `message` of an invalid name, in checkNameAvailability answers and in the create error. */
export const invalidNameMessage = (name: string) =>
  `${name.length <= 40 ? name : `A name of ${name.length} characters`} is not a valid storage account name. ${NAME_RULE}`;

export const accountNameInvalid = (name: string) =>
  new ArmError(400, "AccountNameInvalid", invalidNameMessage(name), { target: "accountName" });

export const takenMessage = (name: string) => `The storage account named ${name} is already taken.`;

/** The name belongs to an account of another subscription (names are global). */
export const accountNameTaken = (name: string) =>
  new ArmError(409, "StorageAccountAlreadyTaken", takenMessage(name), { target: name });

/** The name belongs to an account of the same subscription, in another resource group. */
export const accountExistsElsewhere = (name: string, groupName: string) =>
  new ArmError(
    409,
    "StorageAccountAlreadyExists",
    `The storage account named ${name} already exists under the subscription (in resource group '${groupName}').`,
    { target: name },
  );

export const storageAccountNotFound = (name: string, groupName: string) =>
  resourceNotFound(STORAGE_ACCOUNT_TYPE, name, groupName);

/** A property value the provider does not allow; `why` says what would be accepted. */
export const propertyNotAllowed = (property: string, value: unknown, why: string) =>
  new ArmError(
    400,
    "InvalidRequestPropertyValue",
    `The value '${describe(value)}' is not allowed for property ${property}. ${why}`,
    { target: property },
  );

export const flatNamespaceRefused = (value: unknown) =>
  propertyNotAllowed(
    "isHnsEnabled",
    value ?? "False",
    "adl-emulator serves Data Lake Storage Gen2 accounts only, which need a hierarchical namespace: send " +
      '"properties": {"isHnsEnabled": true}. For flat blob storage use Azurite, the official Azure Storage emulator.',
  );

export const notProvisioned = (name: string, state: string) =>
  new ArmError(
    409,
    "StorageAccountIsNotProvisioned",
    `The storage account provisioning state must be 'Succeeded' before executing the operation; '${name}' is ${state}.`,
  );

/** Deliberately does not repeat the key name sent: a caller who pasted a key there must not see it echoed. */
export const invalidKeyName = () =>
  new ArmError(
    400,
    "InvalidValuesForRequestParameters",
    "Values for request parameters are invalid: keyName. It must be 'key1' or 'key2' (Kerberos keys 'kerb1' and " +
      "'kerb2' exist only on accounts with Active Directory authentication for Azure Files, which adl-emulator does not serve).",
    { target: "keyName" },
  );

export const storageQuotaExceeded = (location: string, limit: number) =>
  new ArmError(
    409,
    "TooManyStorageAccounts",
    `The subscription already has the maximum of ${limit} storage accounts in location '${location}'.`,
  );

/** How a value appears in messages: booleans as the service writes them, strings bare, nothing long. */
function describe(value: unknown): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  const shown = shownValue(value);
  return typeof value === "string" && shown.startsWith('"') ? value : shown;
}
