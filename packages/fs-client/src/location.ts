import type { Cloud } from "@adlkit/core";
import { checkAccountName } from "@adlkit/core";
import { invalidArgument } from "./options.js";
import { normalizePath } from "./paths.js";

/**
 * Where a file lives, as Hadoop writes it: `adl://ACCOUNT[.azuredatalakestore.net]/path` for Gen1,
 * `abfss://FS@ACCOUNT[.dfs.core.windows.net]/path` for Gen2. The short forms take the cloud's suffix.
 */
export type Location = Gen1Location | Gen2Location;

export interface Gen1Location {
  protocol: "gen1";
  account: string;
  /** Absolute, normalised path (`/a/b`). */
  path: string;
}

export interface Gen2Location {
  protocol: "gen2";
  account: string;
  filesystem: string;
  /** Absolute, normalised path inside the filesystem (`/a/b`; `/` is the filesystem's root). */
  path: string;
}

/** A filesystem (container) name as the service accepts it: 3-63 of a-z, 0-9 and single hyphens. */
const FILESYSTEM = /^(?!.*--)[a-z0-9][-a-z0-9]{1,61}[a-z0-9]$/;

/** Throws unless `name` is a valid filesystem (container) name. */
export function checkFilesystemName(name: string, argument = "filesystem"): string {
  if (typeof name !== "string" || !FILESYSTEM.test(name))
    throw invalidArgument(
      argument,
      `'${name}' is not a filesystem name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit`,
    );
  return name;
}

/** Whether a string is a location URI (rather than a local path or a plain remote path). */
export function isLocationUri(text: string): boolean {
  return /^(adl|abfss?):\/\//i.test(text);
}

/**
 * Reads a location URI. A full host must carry the cloud's own suffix (so a URI of another cloud is refused
 * before any request, instead of being sent where the credential does not belong). `abfs://` (plain HTTP) is
 * refused: tokens and keys only travel over TLS.
 */
export function parseLocation(uri: string, cloud?: Cloud): Location {
  if (typeof uri !== "string") throw invalidArgument("uri", `must be a string, got ${typeof uri}`);
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)$/i.exec(uri);
  if (!match)
    throw invalidArgument(
      "uri",
      `'${uri}' is not a location like adl://ACCOUNT/path or abfss://FS@ACCOUNT/path`,
    );
  const scheme = (match[1] as string).toLowerCase();
  const authority = match[2] as string;
  const path = normalizePath(decodePath(uri, match[3] as string));
  if (scheme === "adl") {
    if (authority.includes("@"))
      throw invalidArgument("uri", `'${uri}': a Gen1 location has no filesystem (adl://ACCOUNT/path)`);
    return {
      protocol: "gen1",
      account: accountOf(uri, authority, "azuredatalakestore.net", cloud?.dataLakeDnsSuffix),
      path,
    };
  }
  if (scheme === "abfs") throw invalidArgument("uri", `'${uri}': abfs:// is plain HTTP; use abfss:// (TLS)`);
  if (scheme !== "abfss")
    throw invalidArgument("uri", `'${uri}': the scheme must be adl:// (Gen1) or abfss:// (Gen2)`);
  const at = authority.indexOf("@");
  if (at < 0)
    throw invalidArgument("uri", `'${uri}' names no filesystem: write abfss://FILESYSTEM@ACCOUNT/path`);
  const filesystem = checkFilesystemName(authority.slice(0, at), "uri");
  const suffix = cloud?.storageEndpointSuffix;
  const account = accountOf(uri, authority.slice(at + 1), "dfs.core.windows.net", suffix && `dfs.${suffix}`);
  return { protocol: "gen2", account, filesystem, path };
}

/** The URI form of a location: the short form (the cloud adds its suffix). */
export function formatLocation(location: Location): string {
  const path = encodeURI(location.path);
  return location.protocol === "gen1"
    ? `adl://${location.account}${path}`
    : `abfss://${location.filesystem}@${location.account}${path}`;
}

function accountOf(uri: string, host: string, publicSuffix: string, cloudSuffix: string | undefined): string {
  const lower = host.toLowerCase();
  const dot = lower.indexOf(".");
  const account = dot < 0 ? lower : lower.slice(0, dot);
  if (dot >= 0) {
    const suffix = lower.slice(dot + 1);
    const allowed = cloudSuffix ? [cloudSuffix.toLowerCase()] : [publicSuffix];
    if (!allowed.includes(suffix))
      throw invalidArgument(
        "uri",
        `'${uri}': the host must be ACCOUNT or ACCOUNT.${allowed[0]} for this cloud, not ${host}`,
      );
  }
  if (!account) throw invalidArgument("uri", `'${uri}' names no account`);
  checkAccountName(account, "uri", "@adlkit/fs-client");
  return account;
}

function decodePath(uri: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidArgument("uri", `'${uri}' has a malformed percent-encoding in its path`);
  }
}
