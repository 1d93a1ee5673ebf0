import type { CommandTable, OptionSpec } from "../command-spec.js";
import { parseEnabled } from "../parse-values.js";
import { NO_WAIT, RG, TAG, YES } from "./shared-options.js";

const storageAccount = () => import("./storage-account.js");
const keys = () => import("./storage-account-keys.js");
const filesystems = () => import("./storage-account-filesystem.js");

/** The access tiers of blob data (2023-01-01); Premium only on Premium skus (the service says so). */
export const ACCESS_TIERS = ["Hot", "Cool", "Cold", "Premium"] as const;

const SKU: OptionSpec = {
  flags: "--sku <name>",
  description:
    "Standard_LRS, Standard_ZRS, Standard_GRS, Standard_RAGRS, Standard_GZRS, Standard_RAGZRS, Premium_LRS, Premium_ZRS",
};
const ACCESS_TIER: OptionSpec = {
  flags: "--access-tier <tier>",
  description: "default tier of blob data",
  choices: ACCESS_TIERS,
};

export const STORAGE_ACCOUNT_TABLE: CommandTable = {
  groups: [
    { name: "storage-account", summary: "Storage accounts (Data Lake Storage Gen2)" },
    { name: "storage-account keys", summary: "Access keys of a storage account" },
    {
      name: "storage-account filesystem",
      summary: "Filesystems (containers) of a storage account: abfss://FILESYSTEM@ACCOUNT/",
    },
  ],
  commands: [
    {
      name: "storage-account create",
      summary: "Create a storage account with a hierarchical namespace (Gen2); waits until it is ready",
      args: ["<name>"],
      options: [
        RG,
        { flags: "-l, --location <region>", description: "region, e.g. eastus2", required: true },
        { ...SKU, default: "Standard_LRS" },
        {
          flags: "--kind <kind>",
          description: "StorageV2 (Standard skus) or BlockBlobStorage (Premium skus)",
          default: "StorageV2",
        },
        ACCESS_TIER,
        { flags: "--no-hns", description: "a flat blob account, without the hierarchical namespace of Gen2" },
        TAG,
        NO_WAIT,
        {
          flags: "--force",
          description: "replace an existing account's settings and tags (those not given are reset)",
        },
      ],
      examples: [
        "adl storage-account create lake2 -g rg1 -l eastus2",
        "adl storage-account create lake2 -g rg1 -l eastus2 --sku Standard_ZRS --access-tier Cool --json",
      ],
      load: () => storageAccount().then((m) => m.create),
    },
    {
      name: "storage-account show",
      summary: "Show a storage account",
      args: ["<name>"],
      options: [RG],
      examples: ["adl storage-account show lake2 -g rg1", "adl storage-account show lake2 -g rg1 --json"],
      load: () => storageAccount().then((m) => m.show),
    },
    {
      name: "storage-account list",
      summary: "List storage accounts of the subscription or of one resource group",
      options: [{ flags: "-g, --resource-group <name>", description: "only this resource group" }],
      examples: ["adl storage-account list", "adl storage-account list -g rg1 --json"],
      load: () => storageAccount().then((m) => m.list),
    },
    {
      name: "storage-account update",
      summary: "Change a storage account's sku, access tier, access settings or tags",
      args: ["<name>"],
      options: [
        RG,
        { ...SKU, description: `within its tier: ${SKU.description}` },
        ACCESS_TIER,
        {
          flags: "--shared-key-access <state>",
          description: "Enabled or Disabled (Disabled: keys stop working, Entra ID only)",
          parse: parseEnabled,
        },
        {
          flags: "--public-network-access <state>",
          description: "Enabled or Disabled",
          parse: parseEnabled,
        },
        {
          flags: "--min-tls <version>",
          description: "oldest TLS version accepted",
          choices: ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"],
        },
        { ...TAG, description: "a tag (repeatable; replaces all tags)" },
      ],
      examples: [
        "adl storage-account update lake2 -g rg1 --access-tier Cool",
        "adl storage-account update lake2 -g rg1 --shared-key-access Disabled --tag env=prod",
      ],
      load: () => storageAccount().then((m) => m.update),
    },
    {
      name: "storage-account delete",
      summary: "Delete a storage account and all its data",
      args: ["<name>"],
      options: [RG, YES],
      examples: ["adl storage-account delete lake2 -g rg1 --yes"],
      load: () => storageAccount().then((m) => m.remove),
    },
    {
      name: "storage-account check-name",
      summary: "Whether a storage account name is valid and free (names are global)",
      args: ["<name>"],
      examples: ["adl storage-account check-name lake2", "adl storage-account check-name lake2 --json"],
      load: () => storageAccount().then((m) => m.checkName),
    },
    {
      name: "storage-account keys list",
      summary: "List the access keys (values hidden unless --show-values)",
      args: ["<name>"],
      options: [
        RG,
        { flags: "--show-values", description: "print the key values (secrets: full access to the data)" },
      ],
      examples: [
        "adl storage-account keys list lake2 -g rg1",
        "adl storage-account keys list lake2 -g rg1 --show-values --json",
      ],
      load: () => keys().then((m) => m.list),
    },
    {
      name: "storage-account keys renew",
      summary: "Replace key1 or key2 with a new key (the old one stops working)",
      args: ["<name>", "<key>"],
      options: [
        RG,
        { flags: "-y, --yes", description: "confirm: whatever uses the old key stops working (required)" },
        { flags: "--show-values", description: "print the new key's value" },
      ],
      examples: ["adl storage-account keys renew lake2 key2 -g rg1 --yes"],
      load: () => keys().then((m) => m.renew),
    },
    {
      name: "storage-account filesystem create",
      summary: "Create a filesystem (fine if it exists)",
      args: ["<account>", "<filesystem>"],
      examples: ["adl storage-account filesystem create lake2 raw"],
      load: () => filesystems().then((m) => m.create),
    },
    {
      name: "storage-account filesystem list",
      summary: "List the filesystems of a storage account",
      args: ["<account>"],
      options: [{ flags: "--prefix <text>", description: "only filesystems whose names start with this" }],
      examples: [
        "adl storage-account filesystem list lake2",
        "adl storage-account filesystem list lake2 --prefix raw --json",
      ],
      load: () => filesystems().then((m) => m.list),
    },
    {
      name: "storage-account filesystem delete",
      summary: "Delete a filesystem and everything in it",
      args: ["<account>", "<filesystem>"],
      options: [YES],
      examples: ["adl storage-account filesystem delete lake2 raw --yes"],
      load: () => filesystems().then((m) => m.remove),
    },
  ],
};
