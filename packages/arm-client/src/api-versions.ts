/**
 * The api-version sent for each API. DataLakeStore has only 2016-11-01 (and an older preview). Microsoft.Storage
 * has dozens; 2023-01-01 is the one our models follow (later versions only add optional fields), and
 * `options.apiVersions.storage` picks another where a cloud has not registered it (Azure Stack Hub lags years).
 */
export const API_VERSIONS = Object.freeze({
  subscriptions: "2022-12-01",
  resourceGroups: "2022-09-01",
  dataLakeStore: "2016-11-01",
  storage: "2023-01-01",
});

/** The api-versions a client sends: API_VERSIONS with the caller's overrides. */
export type ApiVersions = { readonly [K in keyof typeof API_VERSIONS]: string };

/** The APIs whose version a caller may choose: only those with more than one version our models fit. */
export const OVERRIDABLE_API_VERSIONS = ["storage"] as const;
export type ApiVersionOverrides = Partial<Record<(typeof OVERRIDABLE_API_VERSIONS)[number], string>>;
