import { invalidArgument } from "../options.js";
import type { OperationOptions } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";

const PERMISSION = /^[01]?[0-7]{3}$/;
const ACL_ENTRY = /^(default:)?(user|group|mask|other):[^:,]*(:[r-][w-][x-])?$/;

/** Validates an ACL spec and joins it as the wire wants it (`a,b,c`). */
export function aclSpec(spec: string | readonly string[], withPermissions: boolean): string {
  const entries = (typeof spec === "string" ? spec.split(",") : [...spec])
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw invalidArgument("aclSpec", "must have at least one entry");
  for (const entry of entries) {
    if (!ACL_ENTRY.test(entry) || (withPermissions && !/:[r-][w-][x-]$/.test(entry))) {
      throw invalidArgument(
        "aclSpec",
        `has '${entry}' is not an ACL entry like 'user:<id>:r-x'${withPermissions ? "" : " or 'user:<id>'"}`,
      );
    }
  }
  return entries.join(",");
}

/** SETACL: replace the whole ACL (must include `user::`, `group::` and `other::`). */
export async function setAcl(
  fs: WebHdfs,
  path: string,
  spec: string | readonly string[],
  options: OperationOptions = {},
): Promise<void> {
  await fs.empty("SETACL", path, {
    method: "PUT",
    params: { aclSpec: aclSpec(spec, true) },
    abortSignal: options.abortSignal,
  });
}

/** MODIFYACLENTRIES: add or update entries, leaving the others. */
export async function modifyAclEntries(
  fs: WebHdfs,
  path: string,
  spec: string | readonly string[],
  options: OperationOptions = {},
): Promise<void> {
  await fs.empty("MODIFYACLENTRIES", path, {
    method: "PUT",
    params: { aclSpec: aclSpec(spec, true) },
    abortSignal: options.abortSignal,
  });
}

/** REMOVEACLENTRIES: remove named entries (given without permissions, e.g. `user:<id>`). */
export async function removeAclEntries(
  fs: WebHdfs,
  path: string,
  spec: string | readonly string[],
  options: OperationOptions = {},
): Promise<void> {
  const entries = (typeof spec === "string" ? spec.split(",") : [...spec]).map((e) =>
    e.trim().replace(/:[r-][w-][x-]$/, ""),
  );
  await fs.empty("REMOVEACLENTRIES", path, {
    method: "PUT",
    params: { aclSpec: aclSpec(entries, false) },
    abortSignal: options.abortSignal,
  });
}

/** REMOVEACL: drop all extended access entries; base entries stay. */
export async function removeAcl(fs: WebHdfs, path: string, options: OperationOptions = {}): Promise<void> {
  await fs.empty("REMOVEACL", path, { method: "PUT", abortSignal: options.abortSignal });
}

/** REMOVEDEFAULTACL: drop all `default:` entries of a directory. */
export async function removeDefaultAcl(
  fs: WebHdfs,
  path: string,
  options: OperationOptions = {},
): Promise<void> {
  await fs.empty("REMOVEDEFAULTACL", path, { method: "PUT", abortSignal: options.abortSignal });
}

/** SETPERMISSION: octal mode such as `755` or `1770` (sticky). */
export async function setPermission(
  fs: WebHdfs,
  path: string,
  permission: string,
  options: OperationOptions = {},
): Promise<void> {
  if (!PERMISSION.test(permission))
    throw invalidArgument("permission", `must be octal like '755' or '1770', got '${permission}'`);
  await fs.empty("SETPERMISSION", path, {
    method: "PUT",
    params: { permission },
    abortSignal: options.abortSignal,
  });
}

/** SETOWNER: owner and/or group (object ids); at least one. */
export async function setOwner(
  fs: WebHdfs,
  path: string,
  owner: { owner?: string; group?: string },
  options: OperationOptions = {},
): Promise<void> {
  if (!owner.owner && !owner.group)
    throw invalidArgument("owner", "needs an owner, a group or both (setOwner)");
  await fs.empty("SETOWNER", path, {
    method: "PUT",
    params: { owner: owner.owner, group: owner.group },
    abortSignal: options.abortSignal,
  });
}

/** SETTIMES: modification and/or access time in ms since the epoch. */
export async function setTimes(
  fs: WebHdfs,
  path: string,
  times: { modificationTime?: number; accessTime?: number },
  options: OperationOptions = {},
): Promise<void> {
  if (times.modificationTime === undefined && times.accessTime === undefined)
    throw invalidArgument("times", "needs modificationTime, accessTime or both (setTimes)");
  await fs.empty("SETTIMES", path, {
    method: "PUT",
    params: { modificationtime: times.modificationTime, accesstime: times.accessTime },
    abortSignal: options.abortSignal,
  });
}

export { PERMISSION };
