import { FsError } from "../errors.js";
import { aclSpec } from "../operations/acl.js";
import { invalidArgument, positiveInteger } from "../options.js";
import type { OperationOptions } from "../types.js";
import type { Dfs } from "./dfs.js";
import { dfsPermission } from "./namespace.js";
import { getAccessControl } from "./status.js";

/**
 * Gen2 access control: `setAccessControl` (owner, group, permissions or a whole ACL) and
 * `setAccessControlRecursive` (a tree, in batches with continuation). DFS has no single-item "modify" or
 * "remove entries": those read the ACL, change it here and write it back only if the item's ETag is still the
 * one read (`If-Match`), trying again on a concurrent change, so no one else's change is lost.
 */

async function setAccessControl(
  dfs: Dfs,
  path: string,
  headers: Record<string, string>,
  options: OperationOptions & { ifMatch?: string | undefined } = {},
): Promise<void> {
  await dfs.text(path, {
    method: "PATCH",
    operation: "setAccessControl",
    params: { action: "setAccessControl" },
    headers: { ...headers, ...(options.ifMatch ? { "if-match": `"${options.ifMatch}"` } : {}) },
    retryable: true,
    abortSignal: options.abortSignal,
  });
}

export async function setAcl(
  dfs: Dfs,
  path: string,
  spec: string | readonly string[],
  options: OperationOptions = {},
): Promise<void> {
  await setAccessControl(dfs, path, { "x-ms-acl": aclSpec(spec, true) }, options);
}

export async function setPermission(
  dfs: Dfs,
  path: string,
  permission: string,
  options: OperationOptions = {},
): Promise<void> {
  await setAccessControl(dfs, path, { "x-ms-permissions": dfsPermission(permission) }, options);
}

export async function setOwner(
  dfs: Dfs,
  path: string,
  owner: { owner?: string; group?: string },
  options: OperationOptions = {},
): Promise<void> {
  if (!owner.owner && !owner.group)
    throw invalidArgument("owner", "needs an owner, a group or both (setOwner)");
  await setAccessControl(
    dfs,
    path,
    {
      ...(owner.owner ? { "x-ms-owner": owner.owner } : {}),
      ...(owner.group ? { "x-ms-group": owner.group } : {}),
    },
    options,
  );
}

/** `[default:]type:qualifier` of an entry: what identifies it, without its permissions. */
function keyOf(entry: string): string {
  return entry.replace(/:[rwx-]{3}$/i, "");
}

function isBase(key: string): boolean {
  return /^(default:)?(user|group|other)::?$/.test(key) || /^(default:)?other:?$/.test(key);
}

/** Read-modify-write of one item's ACL, guarded by its ETag; a few tries if others change it meanwhile. */
async function changeAcl(
  dfs: Dfs,
  path: string,
  change: (entries: string[]) => string[],
  options: OperationOptions,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await getAccessControl(dfs, path, options);
    const next = change(current.entries);
    try {
      await setAccessControl(
        dfs,
        path,
        { "x-ms-acl": next.join(",") },
        { ...options, ifMatch: current.etag },
      );
      return;
    } catch (err) {
      if (!(err instanceof FsError && err.status === 412) || attempt >= 5) throw err;
    }
  }
}

/** Adds or replaces entries (by scope, type and qualifier); a mask not given is recomputed by the service. */
export async function modifyAclEntries(
  dfs: Dfs,
  path: string,
  spec: string | readonly string[],
  options: OperationOptions = {},
): Promise<void> {
  const changes = aclSpec(spec, true).split(",");
  await changeAcl(
    dfs,
    path,
    (entries) => {
      const byKey = new Map(entries.map((e) => [keyOf(e), e]));
      for (const entry of changes) byKey.set(keyOf(entry), entry);
      // As setfacl -m: a mask is recomputed from the group class unless the change sets one.
      for (const scope of ["", "default:"]) {
        if (!changes.some((e) => e.startsWith(`${scope}mask:`))) byKey.delete(`${scope}mask:`);
      }
      return [...byKey.values()];
    },
    options,
  );
}

/** Removes named entries (`user:<id>`, `default:group:<id>`, ...); base entries cannot be removed. */
export async function removeAclEntries(
  dfs: Dfs,
  path: string,
  spec: string | readonly string[],
  options: OperationOptions = {},
): Promise<void> {
  const names = (typeof spec === "string" ? spec.split(",") : [...spec]).map((e) => keyOf(e.trim()));
  const keys = new Set(
    aclSpec(names, false)
      .split(",")
      .map((k) => k.replace(/^((?:default:)?mask)$/, "$1:")),
  );
  for (const key of keys)
    if (isBase(key)) throw invalidArgument("aclSpec", `'${key}' is a base entry, which cannot be removed`);
  await changeAcl(dfs, path, (entries) => entries.filter((e) => !keys.has(keyOf(e))), options);
}

/** Drops every extended entry (named, mask, default): the base `user::`, `group::`, `other::` stay. */
export async function removeAcl(dfs: Dfs, path: string, options: OperationOptions = {}): Promise<void> {
  await changeAcl(
    dfs,
    path,
    (entries) => entries.filter((e) => isBase(keyOf(e)) && !e.startsWith("default:")),
    options,
  );
}

/** Drops the default ACL of a directory. */
export async function removeDefaultAcl(
  dfs: Dfs,
  path: string,
  options: OperationOptions = {},
): Promise<void> {
  await changeAcl(dfs, path, (entries) => entries.filter((e) => !e.startsWith("default:")), options);
}

export type RecursiveAclMode = "set" | "modify" | "remove";

/** The most items the service changes in one request (`maxRecords`). */
const MAX_BATCH = 2000;

/** How many failed items a recursive change lists (all are counted). */
const MAX_FAILED_ENTRIES = 100;

export interface RecursiveAclOptions extends OperationOptions {
  /** Items per request (the service's `maxRecords`, 1 to 2000). @default 2000 */
  batchSize?: number | undefined;
  /** Stop after this many requests; the result's `continuation` resumes. @default no limit */
  maxBatches?: number | undefined;
  /** Keep going past items that cannot be changed (they are counted and listed). @default false */
  continueOnFailure?: boolean | undefined;
  /** Resume an earlier change where it stopped. */
  continuation?: string | undefined;
  /** Called after each batch with the totals so far. */
  onProgress?: ((progress: RecursiveAclResult) => void) | undefined;
}

export interface RecursiveAclResult {
  directoriesSuccessful: number;
  filesSuccessful: number;
  /** Every item that could not be changed. */
  failureCount: number;
  /**
   * The first of them (up to 100, so a tree of many failures does not fill memory): their path relative to the
   * filesystem, type and why.
   */
  failedEntries: Array<{ name: string; type: string; errorMessage: string }>;
  /** Present when the change stopped before the end (`maxBatches`, or a failure): pass it back to resume. */
  continuation?: string | undefined;
}

/**
 * `setAccessControlRecursive`: applies an ACL change to `path` and everything below it, batch by batch, following
 * `x-ms-continuation`. Without `continueOnFailure` it stops at the first item it may not change (the service does)
 * and the result says where to resume.
 */
export async function changeAclRecursive(
  dfs: Dfs,
  path: string,
  mode: RecursiveAclMode,
  spec: string | readonly string[],
  options: RecursiveAclOptions = {},
): Promise<RecursiveAclResult> {
  if (!["set", "modify", "remove"].includes(mode))
    throw invalidArgument("mode", `must be set, modify or remove, got '${mode}'`);
  if (options.batchSize !== undefined) positiveInteger("batchSize", options.batchSize, MAX_BATCH);
  if (options.maxBatches !== undefined) positiveInteger("maxBatches", options.maxBatches);
  const acl =
    mode === "remove"
      ? aclSpec(
          (typeof spec === "string" ? spec.split(",") : [...spec]).map((e) => keyOf(e.trim())),
          false,
        )
      : aclSpec(spec, true);
  const total: RecursiveAclResult = {
    directoriesSuccessful: 0,
    filesSuccessful: 0,
    failureCount: 0,
    failedEntries: [],
  };
  let continuation = options.continuation;
  for (let batch = 1; ; batch++) {
    const response = await dfs.text(path, {
      method: "PATCH",
      operation: "setAccessControlRecursive",
      params: {
        action: "setAccessControlRecursive",
        mode,
        maxRecords: options.batchSize,
        forceFlag: options.continueOnFailure ?? false,
        continuation,
      },
      headers: { "x-ms-acl": acl },
      // Setting the same ACL twice leaves the same ACL: a batch may be repeated.
      retryable: true,
      abortSignal: options.abortSignal,
    });
    const body = response.json<Omit<RecursiveAclResult, "continuation">>();
    total.directoriesSuccessful += body.directoriesSuccessful ?? 0;
    total.filesSuccessful += body.filesSuccessful ?? 0;
    total.failureCount += body.failureCount ?? 0;
    for (const entry of body.failedEntries ?? [])
      if (total.failedEntries.length < MAX_FAILED_ENTRIES) total.failedEntries.push(entry);
    continuation = response.headers.get("x-ms-continuation") || undefined;
    options.onProgress?.({ ...total, failedEntries: [...total.failedEntries] });
    const stoppedOnFailure = (body.failureCount ?? 0) > 0 && !options.continueOnFailure;
    if (!continuation || stoppedOnFailure || batch === options.maxBatches) {
      return continuation ? { ...total, continuation } : total;
    }
  }
}
