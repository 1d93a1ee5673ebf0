import {
  type ArmError,
  invalidApiVersion,
  missingApiVersion,
  unsupportedDataLakeApiVersion,
} from "./arm-error.js";
import { apiVersionsOf } from "./catalog.js";

const FORMAT = /^(\d{4})-(\d{2})-(\d{2})(-(preview|alpha|beta|rc|privatepreview))?$/i;

/** Microsoft.Resources versions older than this were retired long before ADLS Gen1 existed. */
const OLDEST_RESOURCES_VERSION = "2014-04-01";

/** The `api-version` query parameter (ARM matches query names case-insensitively). */
export function apiVersionOf(url: URL): string | undefined {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === "api-version") return value;
  return undefined;
}

/**
 * Microsoft.Resources (subscriptions, tenants, providers, resource groups): any well-formed version from
 * 2014-04-01 up to today. Clients in use send 2016-02-01 (provider registration), 2019-10-01, 2021-04-01,
 * 2022-09-01 and later, and the shapes we serve have not changed across them.
 */
export function requireResourcesApiVersion(url: URL): string {
  return requireDatedApiVersion(url, OLDEST_RESOURCES_VERSION, (version) =>
    invalidApiVersion(
      version,
      `Microsoft.Resources versions from '${OLDEST_RESOURCES_VERSION}' to today are accepted.`,
    ),
  );
}

/**
 * A provider that serves a range of versions with one set of shapes (newer versions only add fields): any
 * well-formed `yyyy-mm-dd[-suffix]` whose date is a calendar date from `oldest` up to today; a version
 * outside that range gets `outOfRange`'s error.
 */
export function requireDatedApiVersion(
  url: URL,
  oldest: string,
  outOfRange: (version: string) => ArmError,
): string {
  const version = apiVersionOf(url);
  if (version === undefined || version === "") throw missingApiVersion();
  const match = FORMAT.exec(version);
  if (!match)
    throw invalidApiVersion(version, "The api-version must look like 'yyyy-mm-dd' or 'yyyy-mm-dd-preview'.");
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw invalidApiVersion(version, `'${date}' is not a calendar date.`);
  }
  const today = new Date().toISOString().slice(0, 10);
  if (date < oldest || date > today) throw outOfRange(version);
  return version;
}

/**
 * Microsoft.DataLakeStore: the versions `type` is served in (catalog.ts): 2016-11-01 for all, 2015-10-01-preview
 * for what it had. Both get the same shapes; responses' own links keep the version the client sent.
 */
export function requireDataLakeApiVersion(url: URL, type: string): string {
  const version = apiVersionOf(url);
  if (version === undefined || version === "") throw missingApiVersion();
  const supported = apiVersionsOf(type);
  if (!supported.includes(version)) throw unsupportedDataLakeApiVersion(version, type, supported);
  return version;
}
