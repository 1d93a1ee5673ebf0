import { checkAccountName } from "@adlkit/core";
import {
  checkFilesystemName,
  type Gen2Filesystem,
  type Gen2FilesystemPage,
  type Gen2FsClient,
} from "@adlkit/fs-client";
import type { Context } from "../context.js";
import { CliError, hasCode, UsageError } from "../errors.js";
import { type Column, list as listResult, type Result } from "../result.js";
import { requireYes } from "./arm-helpers.js";

/**
 * `adl storage-account filesystem create|list|delete ACCOUNT [FILESYSTEM]`: the filesystems (containers) of a Gen2
 * storage account, on the account's data plane (DFS), so with no resource group. The clients come from the
 * one place that turns `abfss://` locations into clients, and what is printed names the filesystem as the
 * location the `fs` commands take.
 */

/** The names as fs-client and core check them, refused as usage errors that name the argument. */
function checkNames(account: string, filesystem?: string): void {
  try {
    checkAccountName(account, "ACCOUNT", undefined, "storage");
    if (filesystem !== undefined) checkFilesystemName(filesystem, "FILESYSTEM");
  } catch (err) {
    const { argument, problem } = err as { argument?: unknown; problem?: unknown };
    if (typeof problem !== "string") throw err;
    throw new UsageError(
      `${String(argument)}: ${problem}`,
      argument === "ACCOUNT" ? "`adl storage-account list` lists the storage accounts." : undefined,
    );
  }
}

function uri(account: string, filesystem: string): string {
  return `abfss://${filesystem}@${account}/`;
}

async function clientOf(ctx: Context, account: string, filesystem: string): Promise<Gen2FsClient> {
  const target = await ctx.fsAt(uri(account, filesystem));
  if (target.protocol !== "gen2") throw new Error(`${uri(account, filesystem)} is not a Gen2 location`);
  return target.client;
}

export async function create(
  options: { account: string; filesystem: string },
  ctx: Context,
): Promise<Result> {
  checkNames(options.account, options.filesystem);
  const location = uri(options.account, options.filesystem);
  const client = await clientOf(ctx, options.account, options.filesystem);
  let created = true;
  try {
    await client.createFilesystem({ abortSignal: ctx.signal });
  } catch (err) {
    // There already, as asked: nothing to change (as `adl fs mkdir` says of a directory).
    if (!hasCode(err, "PATH_EXISTS")) throw err;
    created = false;
  }
  return {
    kind: "message",
    message: created ? `Created filesystem ${location}.` : `Filesystem ${location} already exists.`,
    data: { account: options.account, name: options.filesystem, location, created },
  };
}

interface FilesystemView {
  name: string;
  location: string;
  lastModified: string | null;
}

const COLUMNS: Column<FilesystemView>[] = [
  { header: "NAME", get: (f) => f.name, style: () => "bold" },
  { header: "LOCATION", get: (f) => f.location },
  { header: "MODIFIED", get: (f) => f.lastModified },
];

/** Listing is the account's, not a filesystem's: any client of the account lists it; this name is never used. */
const ANY_FILESYSTEM = "adl-listing";

export async function list(options: { account: string; prefix?: string }, ctx: Context): Promise<Result> {
  checkNames(options.account);
  const account = options.account;
  const client = await clientOf(ctx, account, ANY_FILESYSTEM);
  const view = (f: Gen2Filesystem): FilesystemView => ({
    name: f.name,
    location: uri(account, f.name),
    lastModified: f.lastModified > 0 ? new Date(f.lastModified).toISOString() : null,
  });
  const pages = client.listFilesystems({ prefix: options.prefix, abortSignal: ctx.signal }).byPage();
  // The first page before anything is printed: a missing account is an error, not an empty list.
  let first: IteratorResult<Gen2FilesystemPage>;
  try {
    first = await pages.next();
  } catch (err) {
    if (hasCode(err, "PATH_NOT_FOUND") || (hasCode(err, "NETWORK_ERROR") && /ENOTFOUND/.test(String(err))))
      throw new CliError(`storage account ${account} not found`, {
        code: "ACCOUNT_NOT_FOUND",
        hint: "Check the name; `adl storage-account list` lists the storage accounts of the subscription.",
        exitCode: 3,
      });
    throw err;
  }
  async function* items(): AsyncGenerator<FilesystemView> {
    if (!first.done) yield* first.value.map(view);
    for await (const page of pages) yield* page.map(view);
  }
  return listResult(items(), COLUMNS, {
    empty: `Storage account ${account} has no filesystems${options.prefix ? ` named ${options.prefix}…` : ""}: create one with \`adl storage-account filesystem create ${account} NAME\`.`,
  });
}

export async function remove(
  options: { account: string; filesystem: string; yes?: boolean },
  ctx: Context,
): Promise<Result> {
  checkNames(options.account, options.filesystem);
  const location = uri(options.account, options.filesystem);
  requireYes(options, `filesystem ${location} and everything in it`);
  const client = await clientOf(ctx, options.account, options.filesystem);
  await client.deleteFilesystem({ abortSignal: ctx.signal });
  return {
    kind: "message",
    message: `Deleted filesystem ${location} and everything in it.`,
    data: { account: options.account, name: options.filesystem, location, status: "deleted" },
  };
}
