/** The api-version sent for each API. DataLakeStore has only 2016-11-01 (and an older preview). */
export const API_VERSIONS = Object.freeze({
  subscriptions: "2022-12-01",
  resourceGroups: "2022-09-01",
  dataLakeStore: "2016-11-01",
});
