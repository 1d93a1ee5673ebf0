import type { FileStatus, FileSystemClient } from "@adlkit/fs-client";
import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import type { Result } from "../../result.js";
import { each, targets } from "./shared.js";

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

async function apply(
  path: string,
  recursive: boolean,
  ctx: Context,
  action: (fs: FileSystemClient, status: FileStatus) => Promise<void>,
): Promise<number> {
  const target = await ctx.fsAt(path);
  const fs = target.client;
  return each(targets(fs, target.path, recursive, ctx.signal), (status) => action(fs, status));
}

function done(verb: string, path: string, count: number, spec?: string): Result {
  return {
    kind: "message",
    message: `${verb} on ${count} path(s) under ${path}.`,
    data: { path, count, ...(spec ? { spec } : {}) },
  };
}

type SpecOptions = { spec: string; path: string; recursive?: boolean };
type SpecCall = (fs: FileSystemClient, path: string, entries: string[], signal: AbortSignal) => Promise<void>;

/** set, modify and remove differ only in the client call and whether entries carry permissions. */
async function applySpec(
  options: SpecOptions,
  ctx: Context,
  withPermissions: boolean,
  verb: string,
  call: SpecCall,
): Promise<Result> {
  const entries = parseSpec(options.spec, withPermissions);
  const count = await apply(options.path, options.recursive === true, ctx, async (fs, s) => {
    const mine = forTarget(entries, s);
    if (mine.length > 0) await call(fs, s.path, mine, ctx.signal);
  });
  return done(verb, options.path, count, options.spec);
}

export function set(options: SpecOptions, ctx: Context): Promise<Result> {
  return applySpec(options, ctx, true, "Set the ACL", (fs, path, entries, abortSignal) =>
    fs.setAcl(path, entries, { abortSignal }),
  );
}

export function modify(options: SpecOptions, ctx: Context): Promise<Result> {
  return applySpec(options, ctx, true, "Modified ACL entries", (fs, path, entries, abortSignal) =>
    fs.modifyAclEntries(path, entries, { abortSignal }),
  );
}

export function remove(options: SpecOptions, ctx: Context): Promise<Result> {
  return applySpec(options, ctx, false, "Removed ACL entries", (fs, path, entries, abortSignal) =>
    fs.removeAclEntries(path, entries, { abortSignal }),
  );
}

export async function removeDefault(
  options: { path: string; recursive?: boolean },
  ctx: Context,
): Promise<Result> {
  const count = await apply(options.path, options.recursive === true, ctx, async (fs, s) => {
    if (s.type === "DIRECTORY") await fs.removeDefaultAcl(s.path, { abortSignal: ctx.signal });
  });
  return done("Removed the default ACL", options.path, count);
}

export async function removeAll(
  options: { path: string; recursive?: boolean },
  ctx: Context,
): Promise<Result> {
  const count = await apply(options.path, options.recursive === true, ctx, (fs, s) =>
    fs.removeAcl(s.path, { abortSignal: ctx.signal }),
  );
  return done("Removed the ACL", options.path, count);
}
