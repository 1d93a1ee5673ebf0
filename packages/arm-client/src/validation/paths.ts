/** Builds ARM paths with every name URL-encoded. */
const enc = encodeURIComponent;

export const paths = {
  subscription: (s: string) => `/subscriptions/${enc(s)}`,
  resourceGroups: (s: string) => `/subscriptions/${enc(s)}/resourcegroups`,
  resourceGroup: (s: string, rg: string) => `/subscriptions/${enc(s)}/resourcegroups/${enc(rg)}`,
  provider: (s: string) => `/subscriptions/${enc(s)}/providers/Microsoft.DataLakeStore`,
  accountsInGroup: (s: string, rg: string) =>
    `/subscriptions/${enc(s)}/resourceGroups/${enc(rg)}/providers/Microsoft.DataLakeStore/accounts`,
  account: (s: string, rg: string, name: string) =>
    `/subscriptions/${enc(s)}/resourceGroups/${enc(rg)}/providers/Microsoft.DataLakeStore/accounts/${enc(name)}`,
  location: (s: string, loc: string) =>
    `/subscriptions/${enc(s)}/providers/Microsoft.DataLakeStore/locations/${enc(loc)}`,
};

/** Microsoft.Storage: storage accounts (Data Lake Storage Gen2 when their hierarchical namespace is on). */
export const storagePaths = {
  provider: (s: string) => `/subscriptions/${enc(s)}/providers/Microsoft.Storage`,
  accountsInGroup: (s: string, rg: string) =>
    `/subscriptions/${enc(s)}/resourceGroups/${enc(rg)}/providers/Microsoft.Storage/storageAccounts`,
  account: (s: string, rg: string, name: string) =>
    `/subscriptions/${enc(s)}/resourceGroups/${enc(rg)}/providers/Microsoft.Storage/storageAccounts/${enc(name)}`,
};
