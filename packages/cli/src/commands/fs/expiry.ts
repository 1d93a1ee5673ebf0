import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import type { Result } from "../../result.js";
import { iso, tryStat } from "./shared.js";

export async function set(
  options: { path: string; at?: number; in?: number; afterCreation?: number; yes?: boolean },
  ctx: Context,
): Promise<Result> {
  const given = [options.at, options.in, options.afterCreation].filter((v) => v !== undefined);
  if (given.length !== 1) throw new UsageError("pass exactly one of --at, --in and --after-creation");
  const fs = await ctx.fs();
  const signal = { abortSignal: ctx.signal };
  // The service deletes a file whose expiry time has passed at once: that takes --yes, like any deletion.
  const now = Date.now();
  let expiresAt: number;
  if (options.at !== undefined) expiresAt = options.at;
  else if (options.in !== undefined) expiresAt = now + options.in;
  // accessTime is the creation time on Data Lake Store Gen1 (reads do not change it).
  else expiresAt = (await fs.stat(options.path, signal)).accessTime + (options.afterCreation as number);
  if (expiresAt <= now && !options.yes) {
    throw new UsageError(
      `${options.path} would expire at ${new Date(expiresAt).toISOString()}, which is not in the future: the file would be deleted at once`,
      "Give a later time, or pass --yes to delete it now.",
    );
  }
  if (options.at !== undefined) await fs.setExpiry(options.path, "Absolute", options.at, signal);
  else if (options.in !== undefined) await fs.setExpiry(options.path, "RelativeToNow", options.in, signal);
  else await fs.setExpiry(options.path, "RelativeToCreationDate", options.afterCreation, signal);
  const status = await tryStat(fs, options.path, ctx.signal);
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
  const fs = await ctx.fs();
  await fs.setExpiry(options.path, "NeverExpire", undefined, { abortSignal: ctx.signal });
  return {
    kind: "message",
    message: `${options.path} never expires now.`,
    data: { path: options.path, expiresAt: null },
  };
}
