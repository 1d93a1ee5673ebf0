/** Token audiences each resource accepts: the spellings Entra issues for it (with and without the slash). */
export const ARM_AUDIENCES = [
  "https://management.core.windows.net/",
  "https://management.core.windows.net",
  "https://management.azure.com/",
  "https://management.azure.com",
] as const;

export const DATALAKE_AUDIENCES = ["https://datalake.azure.net/", "https://datalake.azure.net"] as const;

/** Azure Storage (Gen2 data plane: DFS and Blob endpoints), the audience of `https://storage.azure.com/.default`. */
export const STORAGE_AUDIENCES = ["https://storage.azure.com/", "https://storage.azure.com"] as const;

/** Resources the emulator's token service issues tokens for (v1 `resource=` or v2 `{resource}/.default`). */
export const KNOWN_RESOURCES: readonly string[] = [
  ...ARM_AUDIENCES,
  ...DATALAKE_AUDIENCES,
  ...STORAGE_AUDIENCES,
];

/**
 * Host suffixes of per-account storage audiences: the emulator's own (`{account}.blob.localhost:PORT`, or the
 * configured DNS suffix) and Azure's public one, which the SDKs name (`getBlobServiceAccountAudience` gives
 * `https://{account}.blob.core.windows.net/`).
 */
export function storageAudienceSuffixes(fsDnsSuffix: string | undefined, port: number): string[] {
  return [(fsDnsSuffix ?? `localhost:${port}`).toLowerCase(), "core.windows.net"];
}

/** The account a per-account storage audience names (`https://{account}.blob|dfs.{suffix}[/]`), or undefined. */
export function accountOfStorageAudience(resource: string, suffixes: readonly string[]): string | undefined {
  const match = /^https:\/\/([a-z0-9]{3,24})\.(?:blob|dfs)\.([^/]+)\/?$/.exec(resource);
  return match && suffixes.includes(match[2]!) ? match[1] : undefined;
}

/** Every audience a storage account accepts: Azure Storage's, and its own blob and dfs hosts (with and without "/"). */
export function storageAudiencesOf(account: string, suffixes: readonly string[]): string[] {
  const own = suffixes.flatMap((suffix) =>
    ["blob", "dfs"].flatMap((api) => [
      `https://${account}.${api}.${suffix}/`,
      `https://${account}.${api}.${suffix}`,
    ]),
  );
  return [...STORAGE_AUDIENCES, ...own];
}

/** Whether the token service issues tokens for `resource`: the known resources, and per-account storage ones. */
export function isKnownResource(resource: string, suffixes: readonly string[]): boolean {
  return KNOWN_RESOURCES.includes(resource) || accountOfStorageAudience(resource, suffixes) !== undefined;
}
