import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import type { Result } from "../../result.js";
import { requireGen1 } from "./location.js";
import { iso, tryStat } from "./shared.js";

const NO_EXPIRY = "file expiry (SETEXPIRY)";
const INSTEAD =
  "Gen2 files do not expire by themselves: delete them with `adl fs rm`, or use the storage account's lifecycle management rules.";

export async function set(
  options: { path: string; at?: number; in?: number; afterCreation?: number; yes?: boolean },
  ctx: Context,
): Promise<Result> {
  const given = [options.at, options.in, options.afterCreation].filter((v) => v !== undefined);
  if (given.length !== 1) throw new UsageError("pass exactly one of --at, --in and --after-creation");
  const target = await ctx.fsAt(options.path);
  const fs = requireGen1(target, "fs expiry set", NO_EXPIRY, INSTEAD);
  const path = target.path;
  const signal = { abortSignal: ctx.signal };
  // The service deletes a file whose expiry time has passed at once: that takes --yes, like any deletion.
  const now = Date.now();
  let expiresAt: number;
  if (options.at !== undefined) expiresAt = options.at;
  else if (options.in !== undefined) expiresAt = now + options.in;
  // accessTime is the creation time on Data Lake Store Gen1 (reads do not change it).
  else expiresAt = (await fs.stat(path, signal)).accessTime + (options.afterCreation as number);
  if (expiresAt <= now && !options.yes) {
    throw new UsageError(
      `${options.path} would expire at ${new Date(expiresAt).toISOString()}, which is not in the future: the file would be deleted at once`,
      "Give a later time, or pass --yes to delete it now.",
    );
  }
  if (options.at !== undefined) await fs.setExpiry(path, "Absolute", options.at, signal);
  else if (options.in !== undefined) await fs.setExpiry(path, "RelativeToNow", options.in, signal);
  else await fs.setExpiry(path, "RelativeToCreationDate", options.afterCreation, signal);
  const status = await tryStat(fs, path, ctx.signal);
  if (!status) {
    return {
      kind: "message",
      message: `Expired and deleted ${options.path}.`,
      data: { path: options.path, expiresAt: new Date(expiresAt).toISOString(), deleted: true },
    };
  }
  const at = iso(status.msExpirationTime) ?? null;
  return {
    kind: "message",
    message: `${options.path} expires at ${at ?? "(never)"}.`,
    data: { path: options.path, expiresAt: at, deleted: false },
  };
}

export async function remove(options: { path: string }, ctx: Context): Promise<Result> {
  const target = await ctx.fsAt(options.path);
  const fs = requireGen1(target, "fs expiry remove", NO_EXPIRY, INSTEAD);
  await fs.setExpiry(target.path, "NeverExpire", undefined, { abortSignal: ctx.signal });
  return {
    kind: "message",
    message: `${options.path} never expires now.`,
    data: { path: options.path, expiresAt: null },
  };
}
