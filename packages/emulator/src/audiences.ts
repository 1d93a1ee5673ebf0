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
