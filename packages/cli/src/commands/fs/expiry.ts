import type { Context, FsTarget } from "../../context.js";
import { CliError, UsageError } from "../../errors.js";
import type { Result } from "../../result.js";
import { isNotFound, iso, tryStat } from "./shared.js";

/**
 * A file's expiry on both generations: Gen1's SETEXPIRY, Gen2's Set Blob Expiry (the client sends it to the
 * account's Blob endpoint). Gen2 keeps an absolute time to the second and expires files only.
 */

/** The file's creation time: Gen1 keeps it as the access time (reads do not change it), Gen2 reports it. */
async function createdAt(target: FsTarget, signal: AbortSignal): Promise<number> {
  const status = await target.client.stat(target.path, { abortSignal: signal });
  const created = target.protocol === "gen1" ? status.accessTime : status.creationTime;
  if (created === undefined || created <= 0)
    throw new CliError(`${target.show(target.path)} has no creation time to count from`, {
      code: "NO_CREATION_TIME",
      hint: "Give the time with --at or --in instead of --after-creation.",
    });
  return created;
}

/** The expiry the service now holds, in ms (0: never); undefined when the file is gone (it expired). */
async function expiryNow(target: FsTarget, signal: AbortSignal): Promise<number | undefined> {
  if (target.protocol === "gen1") {
    const status = await tryStat(target.client, target.path, signal);
    return status ? (status.msExpirationTime ?? 0) : undefined;
  }
  try {
    return await target.client.getExpiry(target.path, { abortSignal: signal });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function set(
  options: { path: string; at?: number; in?: number; afterCreation?: number; yes?: boolean },
  ctx: Context,
): Promise<Result> {
  const given = [options.at, options.in, options.afterCreation].filter((v) => v !== undefined);
  if (given.length !== 1) throw new UsageError("pass exactly one of --at, --in and --after-creation");
  const target = await ctx.fsAt(options.path);
  const { client: fs, path } = target;
  const signal = { abortSignal: ctx.signal };
  // The service deletes a file whose expiry time has passed at once: that takes --yes, like any deletion.
  const now = Date.now();
  let expiresAt: number;
  if (options.at !== undefined) expiresAt = options.at;
  else if (options.in !== undefined) expiresAt = now + options.in;
  else expiresAt = (await createdAt(target, ctx.signal)) + (options.afterCreation as number);
  if (expiresAt <= now && !options.yes) {
    throw new UsageError(
      `${options.path} would expire at ${new Date(expiresAt).toISOString()}, which is not in the future: the file would be deleted at once`,
      "Give a later time, or pass --yes to delete it now.",
    );
  }
  if (options.at !== undefined) await fs.setExpiry(path, "Absolute", options.at, signal);
  else if (options.in !== undefined) await fs.setExpiry(path, "RelativeToNow", options.in, signal);
  else await fs.setExpiry(path, "RelativeToCreationDate", options.afterCreation, signal);
  const held = await expiryNow(target, ctx.signal);
  if (held === undefined) {
    return {
      kind: "message",
      message: `Expired and deleted ${options.path}.`,
      data: { path: options.path, expiresAt: new Date(expiresAt).toISOString(), deleted: true },
    };
  }
  const at = iso(held) ?? null;
  return {
    kind: "message",
    message: `${options.path} expires at ${at ?? "(never)"}.`,
    data: { path: options.path, expiresAt: at, deleted: false },
  };
}

export async function remove(options: { path: string }, ctx: Context): Promise<Result> {
  const { client: fs, path } = await ctx.fsAt(options.path);
  await fs.setExpiry(path, "NeverExpire", undefined, { abortSignal: ctx.signal });
  return {
    kind: "message",
    message: `${options.path} never expires now.`,
    data: { path: options.path, expiresAt: null },
  };
}
