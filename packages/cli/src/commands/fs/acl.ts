import type { FileStatus, FileSystemClient } from "@adlkit/fs-client";
import type { Context, FsTarget } from "../../context.js";
import { EXIT, hasCode, UsageError } from "../../errors.js";
import type { Result } from "../../result.js";
import { targets } from "./shared.js";

export async function get(options: { path: string }, ctx: Context): Promise<Result> {
  const { client: fs, path } = await ctx.fsAt(options.path);
  const acl = await fs.getAclStatus(path, { abortSignal: ctx.signal });
  // The same fields from both protocols (scripts read one shape), in this order.
  const data = {
    path: options.path,
    owner: acl.owner,
    group: acl.group,
    permission: acl.permission,
    stickyBit: acl.stickyBit,
    entries: acl.entries,
  };
  return {
    kind: "record",
    data,
    fields: [
      { label: "path", get: (d) => d.path },
      { label: "owner", get: (d) => d.owner },
      { label: "group", get: (d) => d.group },
      { label: "permission", get: (d) => d.permission },
      { label: "sticky", get: (d) => d.stickyBit },
      {
        label: "entries",
        get: (d) => ((d.entries as string[]).length ? (d.entries as string[]).join(",") : "(none)"),
      },
    ],
  };
}

/** Entries of a spec (`a,b,c`), checked for shape so mistakes are usage errors, not service errors. */
export function parseSpec(spec: string, withPermissions: boolean): string[] {
  const entries = spec
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new UsageError("the ACL spec is empty");
  const shape = withPermissions
    ? /^(default:)?(user|group|mask|other):[^:]*:[r-][w-][x-]$/
    : /^(default:)?(user|group|mask|other):[^:]*(:[r-][w-][x-])?$/;
  for (const entry of entries) {
    if (!shape.test(entry)) {
      throw new UsageError(
        `'${entry}' is not an ACL entry`,
        withPermissions
          ? "Entries look like user::rwx, user:OBJECT_ID:r-x, group::r--, other::---, default:user:OBJECT_ID:rwx."
          : "Entries look like user:OBJECT_ID or default:group:OBJECT_ID.",
      );
    }
  }
  return entries;
}

/** Default entries apply to directories only: on files in a -R run they are left out. */
function forTarget(entries: string[], status: FileStatus): string[] {
  return status.type === "DIRECTORY" ? entries : entries.filter((e) => !e.startsWith("default:"));
}

/**
 * What a change of one path or a tree did, the same fields from both protocols: directories and files changed,
 * and the paths that could not be (counted, the first few named, with the service's reason).
 */
interface Tally {
  directories: number;
  files: number;
  failed: number;
  failures: Array<{ path: string; message: string }>;
}

/** How many failed paths the answer names (all are counted). */
const NAMED_FAILURES = 10;

/**
 * The change done here, path by path (Gen1, and what Gen2 has no server-side form of). In a tree, a path the
 * caller may not change is counted and the rest goes on, as Gen2's recursive change on the service does.
 */
async function apply(
  target: FsTarget,
  recursive: boolean,
  ctx: Context,
  action: (fs: FileSystemClient, status: FileStatus) => Promise<void>,
): Promise<Tally> {
  const fs = target.client;
  const tally: Tally = { directories: 0, files: 0, failed: 0, failures: [] };
  for await (const status of targets(fs, target.path, recursive, ctx.signal)) {
    try {
      await action(fs, status);
    } catch (err) {
      if (!recursive || !hasCode(err, "ACCESS_DENIED")) throw err;
      tally.failed++;
      if (tally.failures.length < NAMED_FAILURES)
        tally.failures.push({ path: target.show(status.path), message: (err as Error).message });
      continue;
    }
    if (status.type === "DIRECTORY") tally.directories++;
    else tally.files++;
  }
  return tally;
}

type RecursiveMode = "set" | "modify" | "remove";

/**
 * Gen2 with -R: one server-side change of the whole tree (setAccessControlRecursive, in batches the client
 * continues), going on past the paths the caller may not change; the service counts and names those.
 */
async function applyOnService(
  target: Extract<FsTarget, { protocol: "gen2" }>,
  mode: RecursiveMode,
  entries: string[],
  batchSize: number | undefined,
  signal: AbortSignal,
): Promise<Tally> {
  const fs = target.client;
  const options = { continueOnFailure: true, batchSize, abortSignal: signal };
  const result =
    mode === "set"
      ? await fs.setAclRecursive(target.path, entries, options)
      : mode === "modify"
        ? await fs.modifyAclRecursive(target.path, entries, options)
        : await fs.removeAclRecursive(target.path, entries, options);
  return {
    directories: result.directoriesSuccessful,
    files: result.filesSuccessful,
    failed: result.failureCount,
    failures: result.failedEntries.slice(0, NAMED_FAILURES).map((e) => ({
      // The service names them relative to the filesystem.
      path: target.show(`/${e.name.replace(/^\/+/, "")}`),
      message: e.errorMessage,
    })),
  };
}

function done(verb: string, path: string, tally: Tally, spec?: string): Result {
  const count = tally.directories + tally.files;
  const data = {
    path,
    count,
    directories: tally.directories,
    files: tally.files,
    failed: tally.failed,
    failures: tally.failures,
    ...(spec ? { spec } : {}),
  };
  if (tally.failed === 0)
    return { kind: "message", message: `${verb} on ${count} path(s) under ${path}.`, data };
  const named = tally.failures.map((f) => f.path).join(", ");
  const more = tally.failed > tally.failures.length ? ", …" : "";
  return {
    kind: "message",
    message: `${verb} on ${count} path(s) under ${path}; ${tally.failed} could not be changed (${named}${more}): ${tally.failures[0]?.message ?? "access denied"}`,
    data,
    exitCode: EXIT.failed,
  };
}

type SpecOptions = { spec: string; path: string; recursive?: boolean; batchSize?: number };
type SpecCall = (fs: FileSystemClient, path: string, entries: string[], signal: AbortSignal) => Promise<void>;

/** set, modify and remove differ only in the client call, the recursive mode and whether entries carry permissions. */
async function applySpec(
  options: SpecOptions,
  ctx: Context,
  mode: RecursiveMode,
  verb: string,
  call: SpecCall,
): Promise<Result> {
  const entries = parseSpec(options.spec, mode !== "remove");
  const recursive = options.recursive === true;
  if (options.batchSize !== undefined && !recursive)
    throw new UsageError("--batch-size is for -R: the paths changed per request of a recursive change");
  const target = await ctx.fsAt(options.path);
  if (recursive && target.protocol === "gen2") {
    const tally = await applyOnService(target, mode, entries, options.batchSize, ctx.signal);
    return done(verb, options.path, tally, options.spec);
  }
  if (options.batchSize !== undefined)
    throw new UsageError(
      "--batch-size is for Gen2 locations (abfss://): Gen1 changes a tree path by path",
      "Leave out --batch-size.",
    );
  const tally = await apply(target, recursive, ctx, async (fs, s) => {
    const mine = forTarget(entries, s);
    if (mine.length > 0) await call(fs, s.path, mine, ctx.signal);
  });
  return done(verb, options.path, tally, options.spec);
}

export function set(options: SpecOptions, ctx: Context): Promise<Result> {
  return applySpec(options, ctx, "set", "Set the ACL", (fs, path, entries, abortSignal) =>
    fs.setAcl(path, entries, { abortSignal }),
  );
}

export function modify(options: SpecOptions, ctx: Context): Promise<Result> {
  return applySpec(options, ctx, "modify", "Modified ACL entries", (fs, path, entries, abortSignal) =>
    fs.modifyAclEntries(path, entries, { abortSignal }),
  );
}

export function remove(options: SpecOptions, ctx: Context): Promise<Result> {
  return applySpec(options, ctx, "remove", "Removed ACL entries", (fs, path, entries, abortSignal) =>
    fs.removeAclEntries(path, entries, { abortSignal }),
  );
}

export async function removeDefault(
  options: { path: string; recursive?: boolean },
  ctx: Context,
): Promise<Result> {
  const target = await ctx.fsAt(options.path);
  const tally = await apply(target, options.recursive === true, ctx, async (fs, s) => {
    if (s.type === "DIRECTORY") await fs.removeDefaultAcl(s.path, { abortSignal: ctx.signal });
  });
  return done("Removed the default ACL", options.path, tally);
}

export async function removeAll(
  options: { path: string; recursive?: boolean },
  ctx: Context,
): Promise<Result> {
  const target = await ctx.fsAt(options.path);
  const tally = await apply(target, options.recursive === true, ctx, (fs, s) =>
    fs.removeAcl(s.path, { abortSignal: ctx.signal }),
  );
  return done("Removed the ACL", options.path, tally);
}
